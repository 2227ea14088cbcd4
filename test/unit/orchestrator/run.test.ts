import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness';
import { reply } from '../../fake-server';
import { TaskResultSchema } from '../../../src/core/types';

describe('orchestrator: a plain request through the fake server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('sends the first model of the task chain to GitHub Models with its headers and returns a typed result', async () => {
    h.server.script(reply.text('const x = 1;', { usage: { prompt_tokens: 12, completion_tokens: 5 } }));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'declare x', systemPrompt: 'You write TypeScript.' });
    assert.deepEqual(TaskResultSchema.parse(result), result, 'the result matches its published schema');

    assert.equal(result.content, 'const x = 1;');
    assert.equal(result.provider, 'github-models');
    assert.equal(result.model, 'mistral-ai/codestral-2501');
    assert.deepEqual(result.usage, { promptTokens: 12, completionTokens: 5, cachedTokens: 0, estimated: false });
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.fallbackDepth, 0);
    assert.equal(result.cached, false);
    assert.equal(result.costUsd, null);

    const [sent] = h.server.chatRequests;
    assert.ok(sent);
    assert.equal(sent.path, '/inference/chat/completions');
    assert.equal(sent.headers['authorization'], 'Bearer ghp_testtoken');
    assert.equal(sent.headers['accept'], 'application/vnd.github+json');
    assert.equal(sent.headers['x-github-api-version'], '2022-11-28');
    assert.deepEqual((sent.body as { messages: unknown }).messages, [
      { role: 'system', content: 'You write TypeScript.' },
      { role: 'user', content: 'declare x' },
    ]);
    assert.equal(sent.stream, false);
  });
});

describe('orchestrator: the output limit a request asks for', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('asks for no more than the model can write ("Retry with a larger limit" cannot overshoot into a refusal)', async () => {
    await h.orchestrator.listModels();
    h.server.script(reply.text('a'), reply.text('b'));
    await h.orchestrator.run({ task: 'explain', prompt: 'x', model: 'openai/gpt-4o-mini', maxTokens: 20_000 });
    await h.orchestrator.run({ task: 'explain', prompt: 'y', model: 'openai/gpt-4o-mini', maxTokens: 1000 });
    const asked = h.server.chatRequests.map((r) => (r.body as { max_tokens?: number }).max_tokens);
    // GitHub Models' "low" rate tier allows 4000 output tokens a request (under the model's own 4096).
    assert.deepEqual(asked, [4000, 1000]);
  });
});
