import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { PROVIDER_PRESETS } from '../../../src/core/providers/presets';
import { PROVIDER_IDS, type ProviderId } from '../../../src/core/types';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { reply } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from './harness';

type Body = Record<string, unknown>;

/** Each preset added for issue 13, as the server sees its requests: URL, headers, body, quirks. */
describe('orchestrator: the presets people use in 2026', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
  });
  afterEach(() => h.close());

  const sent = (i = 0) => h.server.chatRequests[i];
  const body = (i = 0) => sent(i)?.body as Body;
  const use = async (provider: ProviderId, extra: Record<string, unknown> = {}, key: string | null = `${provider}-key-0123456789`) => {
    if (key !== null) await h.keys.set(provider, key);
    h.settings = settingsFrom({ provider, endpoints: { [provider]: h.server.v1Url }, ...extra });
  };

  it('base URLs, key policies and groups are the documented ones', () => {
    const expected: Array<[ProviderId, string, string, string]> = [
      ['anthropic', 'https://api.anthropic.com/v1', 'required', 'hosted'],
      ['gemini', 'https://generativelanguage.googleapis.com/v1beta/openai', 'required', 'hosted'],
      ['deepseek', 'https://api.deepseek.com/v1', 'required', 'hosted'],
      ['mistral', 'https://api.mistral.ai/v1', 'required', 'hosted'],
      ['groq', 'https://api.groq.com/openai/v1', 'required', 'hosted'],
      ['xai', 'https://api.x.ai/v1', 'required', 'hosted'],
      ['together', 'https://api.together.xyz/v1', 'required', 'hosted'],
      ['vllm', 'http://localhost:8000/v1', 'optional', 'local'],
      ['llamacpp', 'http://localhost:8080/v1', 'optional', 'local'],
      ['litellm', 'http://localhost:4000/v1', 'optional', 'gateway'],
    ];
    for (const [id, url, key, group] of expected) assert.deepEqual([PROVIDER_PRESETS[id].baseUrl, PROVIDER_PRESETS[id].key, PROVIDER_PRESETS[id].group], [url, key, group], id);
    assert.deepEqual(
      PROVIDER_IDS.filter((id) => PROVIDER_PRESETS[id].group === 'local'),
      ['ollama', 'lmstudio', 'vllm', 'llamacpp'],
    );
  });

  it('a required key that is missing stops the request before anything is sent, naming where to get one', async () => {
    await use('groq', {}, null);
    const e = await h.orchestrator.run({ task: 'explain', prompt: 'q' }).catch((err: unknown) => err);
    assert.ok(isAurelisError(e) && e.kind === 'no_key');
    assert.match(e.message, /No API key is set for Groq\. Run "Aurelis: Set API Key" and enter a Groq API key \(console\.groq\.com → API Keys\)\./);
    assert.equal(h.server.chatRequests.length, 0);
  });

  it('anthropic: bearer key plus x-api-key and anthropic-version; temperature capped at 1; no response_format', async () => {
    await use('anthropic');
    await h.orchestrator.run({ task: 'review', prompt: 'q', temperature: 1.5, responseFormat: { type: 'json_object' } });
    assert.equal(sent()?.path, '/v1/chat/completions');
    assert.equal(sent()?.headers['authorization'], 'Bearer anthropic-key-0123456789');
    assert.equal(sent()?.headers['x-api-key'], 'anthropic-key-0123456789');
    assert.equal(sent()?.headers['anthropic-version'], '2023-06-01');
    assert.equal(body()['model'], 'claude-sonnet-4-5');
    assert.equal(body()['temperature'], 1);
    assert.equal(body()['max_tokens'], 2000);
    assert.equal(body()['response_format'], undefined, 'its compatibility layer ignores it; the prompt asks for JSON');
  });

  it('gemini: bearer key, max_tokens, a thinking model gets room to think and the effort; the catalog’s "models/" prefix is removed', async () => {
    await use('gemini', { reasoningEffort: { default: 'low' } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q', temperature: 0.2 });
    assert.equal(sent()?.headers['authorization'], 'Bearer gemini-key-0123456789');
    assert.equal(body()['model'], 'gemini-2.5-flash-lite');
    assert.equal(body()['max_tokens'], 1000 + 4000);
    assert.equal(body()['reasoning_effort'], 'low');
    assert.equal(body()['temperature'], 0.2);
    h.server.scriptCatalog(reply.json({ object: 'list', data: [{ id: 'models/gemini-2.5-pro', object: 'model', owned_by: 'google' }] }));
    const models = await h.orchestrator.listModels('gemini');
    assert.deepEqual(models.map((m) => m.id), ['gemini-2.5-pro']);
  });

  it('deepseek: keep-alive blank lines and SSE comments while queued are not an answer or an error', async () => {
    await use('deepseek');
    h.server.script(reply.text('', { chunks: ['def f(): ', 'pass'], keepAlive: true }));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'q', stream: true });
    assert.equal(result.content, 'def f(): pass');
    assert.equal(body()['model'], 'deepseek-chat');
    assert.equal(body()['max_tokens'], 2000);
  });

  it('deepseek-reasoner: no temperature, room for its chain of thought, no reasoning_effort', async () => {
    await use('deepseek');
    await h.orchestrator.run({ task: 'review', prompt: 'q', temperature: 0 });
    assert.equal(body()['model'], 'deepseek-reasoner');
    assert.equal('temperature' in body(), false);
    assert.equal(body()['max_tokens'], 2000 + 8000);
    assert.equal(body()['reasoning_effort'], undefined);
  });

  it('mistral: only max_tokens (it refuses max_completion_tokens as an unknown field), no stream_options', async () => {
    await use('mistral', { models: { explain: ['magistral-medium-latest', 'o3'] } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q', stream: true, model: 'o3' });
    assert.equal(body()['max_tokens'], 1000 + 8000);
    assert.equal(body()['max_completion_tokens'], undefined);
    assert.equal(body()['stream_options'], undefined);
  });

  it('mistral: a 422 for an unknown field in its own error shape is read, and the field dropped', async () => {
    await use('mistral', { models: { explain: ['codestral-latest'] } });
    h.server.script(reply.error(422, { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'response_format'], msg: 'Extra inputs are not permitted', input: { type: 'json_object' } }] }, type: 'invalid_request_message_error', param: null, code: null }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q', responseFormat: { type: 'json_object' } });
    assert.equal(result.content, 'Answer from codestral-latest.');
    assert.equal(body(1)['response_format'], undefined);
  });

  it('groq: max_completion_tokens, never n or logprobs; gpt-oss gets the reasoning effort', async () => {
    await use('groq', { reasoningEffort: { generate: 'high' } });
    await h.orchestrator.run({ task: 'generate', prompt: 'q', temperature: 0.2 });
    assert.equal(body()['model'], 'openai/gpt-oss-120b');
    assert.equal(body()['max_completion_tokens'], 2000 + 16000);
    assert.equal(body()['reasoning_effort'], 'high');
    assert.equal(body()['temperature'], 0.2);
    for (const field of ['n', 'logprobs', 'top_logprobs']) assert.equal(field in body(), false, field);
  });

  it('xai: bearer key, max_completion_tokens; grok-4 thinks but is never sent reasoning_effort', async () => {
    await use('xai', { reasoningEffort: { default: 'high' } });
    await h.orchestrator.run({ task: 'review', prompt: 'q' });
    assert.equal(sent()?.headers['authorization'], 'Bearer xai-key-0123456789');
    assert.equal(body()['model'], 'grok-4');
    assert.equal(body()['reasoning_effort'], undefined);
    assert.equal(body()['max_completion_tokens'], 2000 + 16000);
  });

  it('together: max_tokens, publisher/model ids; its model list is a bare array', async () => {
    await use('together');
    await h.orchestrator.run({ task: 'generate', prompt: 'q' });
    assert.equal(body()['model'], 'Qwen/Qwen2.5-Coder-32B-Instruct');
    assert.equal(body()['max_tokens'], 2000);
    h.server.scriptCatalog(reply.json([{ id: 'Qwen/Qwen2.5-Coder-32B-Instruct', object: 'model', display_name: 'Qwen 2.5 Coder 32B Instruct', context_length: 32768 }]));
    const models = await h.orchestrator.listModels('together');
    assert.deepEqual(models.map((m) => [m.id, m.name, m.maxInputTokens]), [['Qwen/Qwen2.5-Coder-32B-Instruct', 'Qwen 2.5 Coder 32B Instruct', 32768]]);
  });

  it('vllm: no key needed; with no chain set, the model it serves (from /models) answers', async () => {
    await use('vllm', {}, null);
    h.server.scriptCatalog(reply.json({ object: 'list', data: [{ id: 'Qwen/Qwen2.5-Coder-7B-Instruct', object: 'model', owned_by: 'vllm', max_model_len: 32768 }] }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.model, 'Qwen/Qwen2.5-Coder-7B-Instruct');
    assert.equal(sent()?.headers['authorization'], undefined);
    assert.equal(body()['max_tokens'], 1000);
    assert.equal(result.costUsd, null, 'no price book here');
  });

  it('vllm started with --api-key: a stored key is sent', async () => {
    await use('vllm', { models: { explain: ['served'] } }, 'vllm-secret-0123');
    await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(sent()?.headers['authorization'], 'Bearer vllm-secret-0123');
  });

  it('llamacpp: keyless, the served model; a local server costs nothing', async () => {
    await use('llamacpp', {}, null);
    h.orchestrator = h.restart({ prices: new ModelPrices(() => h.settings) });
    h.server.scriptCatalog(reply.json({ object: 'list', data: [{ id: 'qwen2.5-coder-7b-instruct-q4_k_m.gguf', object: 'model', owned_by: 'llamacpp', meta: { n_ctx_train: 32768 } }] }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.model, 'qwen2.5-coder-7b-instruct-q4_k_m.gguf');
    assert.equal(result.costUsd, 0);
  });

  it('litellm: a chain must be chosen (a proxy routes to many models); the virtual key as bearer', async () => {
    await use('litellm', {}, null);
    const e = await h.orchestrator.run({ task: 'explain', prompt: 'q' }).catch((err: unknown) => err);
    assert.ok(isAurelisError(e) && e.kind === 'config');
    assert.match(e.message, /No model is set for "explain" requests on LiteLLM/);
    await use('litellm', { models: { explain: ['gpt-4o-mini'] } }, 'sk-litellm-virtual-key');
    await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(sent()?.headers['authorization'], 'Bearer sk-litellm-virtual-key');
  });

  it('azure-ai-foundry: a deployment URL with api-version is reached at the deployment, with the version on every request', async () => {
    await h.keys.set('azure-ai-foundry', 'azure-key-0123456789');
    h.settings = settingsFrom({ provider: 'azure-ai-foundry', endpoints: { 'azure-ai-foundry': `${h.server.baseUrl}/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21` }, models: { explain: ['gpt-4o'] } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(sent()?.path, '/openai/deployments/gpt4o-prod/chat/completions');
    assert.equal(sent()?.query, '?api-version=2024-10-21');
    assert.equal(sent()?.headers['api-key'], 'azure-key-0123456789');
    h.settings = settingsFrom({ provider: 'azure-ai-foundry', endpoints: { 'azure-ai-foundry': `${h.server.baseUrl}/openai/deployments/gpt4o-prod` }, models: { explain: ['gpt-4o'] } });
    const e = await h.orchestrator.run({ task: 'explain', prompt: 'q2' }).catch((err: unknown) => err);
    assert.ok(isAurelisError(e) && e.kind === 'config');
    assert.match(e.message, /needs its api-version, for example .*\/openai\/deployments\/gpt4o-prod\/chat\/completions\?api-version=2024-10-21/);
  });

  it('every hosted preset’s default models have a built-in price', () => {
    const prices = new ModelPrices(() => settingsFrom({}));
    for (const provider of ['anthropic', 'gemini', 'deepseek', 'mistral', 'groq', 'xai', 'together'] as const) {
      h.settings = settingsFrom({ provider });
      for (const target of ['generate', 'review', 'explain', 'prompt'].flatMap((t) => h.orchestrator.chainFor(t as 'generate'))) {
        assert.notEqual(prices.priceOf(target), null, `${target.provider}:${target.model}`);
      }
    }
  });
});
