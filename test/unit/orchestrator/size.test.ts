import assert from 'node:assert/strict';
import { FakeOpenAIServer } from '../../fake-server';
import { failure, githubSettings, type Harness, startHarness } from './harness';

/** About 9,000 tokens: over GitHub's 8,000-token free-tier request limit. */
const BIG = 'word '.repeat(9000);

describe('orchestrator: request size', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('refuses a prompt over the model’s input limit before sending, naming the limit', async () => {
    const e = await failure(h.orchestrator.run({ task: 'prompt', prompt: BIG }));
    assert.equal(e.kind, 'too_large');
    assert.match(e.message, /The request is about 9,00\d tokens, more than openai\/gpt-4o-mini on GitHub Models accepts: 8,000 tokens/);
    assert.match(e.message, /per-request limit of GitHub Models on the Copilot free plan \(rate tier low\)/);
    assert.deepEqual(e.nextSteps, ['chooseModel', 'openSettings']);
    assert.equal(h.server.chatRequests.length, 0);
  });

  it('uses the plan’s limit: Enterprise takes 16,000 tokens on the high tier', async () => {
    h.settings = githubSettings(h.server, { githubModels: { plan: 'enterprise' } });
    const result = await h.orchestrator.run({ task: 'prompt', prompt: BIG, model: 'openai/gpt-4o' });
    assert.equal(result.model, 'openai/gpt-4o');
  });

  it('falls back to a model of the chain that can take the prompt', async () => {
    const openai = await FakeOpenAIServer.start();
    try {
      await h.keys.set('openai', 'sk-test');
      h.settings = githubSettings(h.server, { endpoints: { 'github-models': h.server.inferenceUrl, openai: openai.v1Url }, models: { prompt: ['openai/gpt-4o-mini', 'openai:gpt-4o'] } });
      const result = await h.orchestrator.run({ task: 'prompt', prompt: BIG });
      assert.equal(result.provider, 'openai');
      assert.equal(result.fallbackDepth, 1);
      assert.equal(h.server.chatRequests.length, 0);
    } finally {
      await openai.stop();
    }
  });

  it('counts the system prompt and every message', async () => {
    const half = 'word '.repeat(4500);
    const e = await failure(h.orchestrator.run({ task: 'prompt', systemPrompt: half, messages: [{ role: 'user', content: half }] }));
    assert.equal(e.kind, 'too_large');
  });

  it('lets a prompt just under the limit through', async () => {
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'word '.repeat(7900) });
    assert.equal(result.model, 'openai/gpt-4o-mini');
  });
});
