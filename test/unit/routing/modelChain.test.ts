import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { DEFAULT_CHAINS } from '../../../src/core/routing/defaultChains';
import { chainFor, cheapestFirst, resolveChain } from '../../../src/core/routing/modelChain';
import { parseModelRef } from '../../../src/core/routing/modelRef';
import { PROVIDER_IDS, TASK_TYPES } from '../../../src/core/types';
import { settingsFrom } from '../orchestrator/harness';

describe('model references', () => {
  it('reads "<provider>:<model>" and plain "<model>" (the active provider)', () => {
    assert.deepEqual(parseModelRef('ollama:qwen2.5-coder', 'github-models'), { provider: 'ollama', model: 'qwen2.5-coder' });
    assert.deepEqual(parseModelRef('openai/gpt-4o', 'github-models'), { provider: 'github-models', model: 'openai/gpt-4o' });
  });

  it('keeps Ollama tags with colons intact', () => {
    assert.deepEqual(parseModelRef('qwen2.5-coder:7b', 'ollama'), { provider: 'ollama', model: 'qwen2.5-coder:7b' });
    assert.deepEqual(parseModelRef('ollama:qwen2.5-coder:7b', 'openai'), { provider: 'ollama', model: 'qwen2.5-coder:7b' });
  });
});

describe('task chains', () => {
  it('follow the original design on GitHub Models, in catalog ids', () => {
    const gh = settingsFrom({ provider: 'github-models' });
    const ids = (task: (typeof TASK_TYPES)[number]) => chainFor(task, gh).map((t) => t.model);
    assert.deepEqual(ids('generate'), ['mistral-ai/codestral-2501', 'openai/gpt-4o', 'meta/llama-3.3-70b-instruct']);
    assert.deepEqual(ids('optimize'), ['mistral-ai/codestral-2501', 'meta/meta-llama-3.1-405b-instruct']);
    assert.deepEqual(ids('document'), ['cohere/cohere-command-r-08-2024', 'cohere/cohere-command-r-plus-08-2024', 'openai/gpt-4o-mini']);
    assert.deepEqual(ids('explain'), ['cohere/cohere-command-r-08-2024', 'mistral-ai/mistral-medium-2505']);
    for (const t of ['review', 'fix'] as const) assert.deepEqual(ids(t), ['openai/gpt-4o', 'meta/meta-llama-3.1-405b-instruct', 'mistral-ai/mistral-medium-2505']);
    assert.deepEqual(ids('prompt'), ['openai/gpt-4o-mini']);
    assert.deepEqual(ids('test'), ids('generate'));
  });

  it('every preset except the servers named by their owner has a non-empty chain for every task', () => {
    const namedByOwner = ['custom', 'vllm', 'llamacpp', 'litellm'];
    for (const provider of PROVIDER_IDS) {
      for (const task of TASK_TYPES) {
        const chain = DEFAULT_CHAINS[provider][task];
        assert.equal(chain.length > 0, !namedByOwner.includes(provider), `${provider}/${task}`);
      }
    }
    assert.deepEqual(chainFor('generate', settingsFrom({ provider: 'openai' }))[0], { provider: 'openai', model: 'gpt-4.1' });
  });

  it('uses the user’s chain for a task, crossing providers, without duplicates', () => {
    const s = settingsFrom({ provider: 'github-models', models: { review: ['openai/gpt-4o', 'ollama:qwen2.5-coder', 'OpenAI/GPT-4o'] } });
    assert.deepEqual(chainFor('review', s), [
      { provider: 'github-models', model: 'openai/gpt-4o' },
      { provider: 'ollama', model: 'qwen2.5-coder' },
    ]);
  });

  it('a forced model replaces the chain', () => {
    const s = settingsFrom({ provider: 'openai' });
    assert.deepEqual(resolveChain('review', 'lmstudio:my-model', s), [{ provider: 'lmstudio', model: 'my-model' }]);
  });

  it('custom with no chain set is a config error naming the setting', () => {
    assert.throws(
      () => resolveChain('explain', undefined, settingsFrom({ provider: 'custom' })),
      (e) => isAurelisError(e) && e.kind === 'config' && e.message.includes('aurelis.models.explain'),
    );
  });

  it('cheapest first: by cost, unknown prices last, ties keep chain order', () => {
    const t = (model: string) => ({ provider: 'openai' as const, model });
    const cost: Record<string, number | null> = { a: 3, b: null, c: 1, d: 1 };
    assert.deepEqual(
      cheapestFirst([t('a'), t('b'), t('c'), t('d')], (x) => cost[x.model] ?? null).map((x) => x.model),
      ['c', 'd', 'a', 'b'],
    );
  });
});

describe('resolved chains, once per settings', () => {
  it('hands every request of a task the same frozen chain until the settings change', () => {
    const first = settingsFrom({ provider: 'openai', models: { explain: ['gpt-4o-mini', 'ollama:qwen2.5-coder'] } });
    const chain = resolveChain('explain', undefined, first);
    assert.equal(resolveChain('explain', undefined, first), chain);
    assert.ok(Object.isFrozen(chain) && chain.every((t) => Object.isFrozen(t)), 'no request can change what the next one runs');
    assert.notEqual(resolveChain('explain', 'gpt-4.1', first), chain, 'a forced model is a chain of its own');
    assert.deepEqual(resolveChain('explain', 'gpt-4.1', first), [{ provider: 'openai', model: 'gpt-4.1' }]);
    const edited = settingsFrom({ provider: 'openai', models: { explain: ['gpt-4.1'] } });
    assert.deepEqual(resolveChain('explain', undefined, edited), [{ provider: 'openai', model: 'gpt-4.1' }]);
  });

  it('a chain that cannot be resolved throws on every request, not only the first', () => {
    const s = settingsFrom({ provider: 'custom' });
    for (let i = 0; i < 2; i++) assert.throws(() => resolveChain('explain', undefined, s), (e: unknown) => isAurelisError(e) && e.kind === 'config');
  });
});
