import assert from 'node:assert/strict';
import { githubErrors, reply } from '../../fake-server';
import { failure, githubSettings, type Harness, settingsFrom, startHarness, T0 } from './harness';

const forced = { task: 'explain' as const, prompt: 'hi', model: 'openai/gpt-4o-mini' };
const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

describe('orchestrator: every error says what happened and what to do', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ githubKey: TOKEN });
  });
  afterEach(() => h.close());

  it('401 on GitHub Models names the `models: read` permission and offers Set API Key', async () => {
    h.server.script(githubErrors.unauthorized());
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.match(e.message, /GitHub Models did not accept the token \(HTTP 401\)/);
    assert.match(e.message, /`models: read` permission/);
    assert.match(e.message, /Aurelis: Set API Key/);
    assert.deepEqual(e.nextSteps, ['setApiKey', 'selectProvider']);
  });

  it('403 with an empty body still explains the permission and the organization', async () => {
    h.server.script(githubErrors.forbidden());
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /refused access to openai\/gpt-4o-mini \(HTTP 403\)/);
    assert.match(e.message, /`models: read`/);
    assert.match(e.message, /organization must also have GitHub Models enabled/);
  });

  it('never puts the key in a message, even when the provider echoes it', async () => {
    h.server.script(reply.error(401, { error: { code: 'unauthorized', message: `Bad credentials: ${TOKEN} (Authorization: Bearer ${TOKEN})` } }));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'auth');
    assert.ok(!e.message.includes(TOKEN), e.message);
    assert.ok(!e.message.includes(TOKEN.slice(4)), e.message);
    assert.match(e.message, /\[redacted\]/);
  });

  it('404 unknown_model names the model and the next step (choose a model)', async () => {
    h.server.script(githubErrors.unknownModel('openai/gpt-4o-mini'));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'unknown_model');
    assert.match(e.message, /GitHub Models has no model "openai\/gpt-4o-mini"/);
    assert.match(e.message, /Aurelis: Models/);
    assert.deepEqual(e.nextSteps, ['chooseModel', 'openSettings']);
  });

  it('410 says GitHub Models was retired and offers the provider picker', async () => {
    h.server.script(githubErrors.retired());
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'retired');
    assert.ok(e.message.startsWith('GitHub Models was retired on 2026-07-30 — choose another provider'), e.message);
    assert.deepEqual(e.nextSteps, ['selectProvider']);
  });

  it('410 from another provider says the model is gone (not that GitHub Models was retired)', async () => {
    await h.keys.set('openai', 'sk-test-key');
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url } });
    h.server.script(reply.error(410, { error: { code: 'model_not_available', message: 'The model gpt-4-0314 has been deprecated.' } }));
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'hi', model: 'gpt-4-0314' }));
    assert.equal(e.kind, 'unknown_model');
    assert.equal(e.status, 410);
    assert.equal(e.message, 'OpenAI says the model "gpt-4-0314" is gone (HTTP 410). Choose another model or provider.');
    assert.deepEqual(e.nextSteps, ['chooseModel', 'selectProvider']);
    assert.equal(h.server.chatRequests.length, 1);
    // Only that model is gone: the chain goes on to the provider's next model.
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { explain: ['gpt-4-0314', 'gpt-4o'] } });
    h.server.script(reply.error(410, { error: { code: 'model_not_available', message: 'gone' } }), reply.text('from gpt-4o'));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'hi again' });
    assert.equal(result.model, 'gpt-4o');
    assert.equal(result.content, 'from gpt-4o');
  });

  it('413 tokens_limit_reached names the limit the server gave', async () => {
    h.server.script(githubErrors.tokensLimitReached('gpt-4o-mini', 8000));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'too_large');
    assert.match(e.message, /HTTP 413 tokens_limit_reached/);
    assert.match(e.message, /The limit is 8000 tokens per request/);
  });

  it('a daily rate limit says when it resets', async () => {
    h.server.script(githubErrors.rateLimited({ type: 'UserByModelByDay', limit: 50, waitSeconds: 5631 }));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'rate_limited');
    assert.equal(e.resetAt, T0 + 5_631_000);
    assert.match(e.message, /GitHub Models rate limit reached for openai\/gpt-4o-mini \(UserByModelByDay\)/);
    assert.match(e.message, /It resets at .+ \(in 1 h 34 min\)/);
  });

  it('a content filter names the flagged categories and is not retried', async () => {
    h.server.script(githubErrors.contentFilter(['violence', 'hate']));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'content_filtered');
    assert.match(e.message, /content filter blocked this request \(hate, violence\)/);
    assert.match(e.message, /Rephrase/);
    // The harness allows 4 attempts: a retry would show up as a second request.
    assert.equal(h.server.chatRequests.length, 1);
    assert.deepEqual(h.timers.sleeps, []);
  });

  it('a 200 answer stopped by the content filter with no text is a content_filtered error', async () => {
    h.server.script(reply.text('', { finishReason: 'content_filter' }));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'content_filtered');
  });

  it('a malformed answer is an invalid_response error naming the provider', async () => {
    h.server.script(reply.malformed());
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'invalid_response');
    assert.match(e.message, /GitHub Models sent an answer Aurelis could not read/);
  });

  it('a missing key is a no_key error naming the provider, before anything is sent', async () => {
    await h.keys.delete('github-models');
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'no_key');
    assert.match(e.message, /No API key is set for GitHub Models/);
    assert.match(e.message, /Aurelis: Set API Key/);
    assert.match(e.message, /GITHUB_TOKEN/);
    assert.deepEqual(e.nextSteps, ['setApiKey', 'selectProvider']);
    assert.equal(h.server.chatRequests.length, 0);
  });

  it('GITHUB_TOKEN from the environment is used when no key is stored; no token prefix is rejected', async () => {
    await h.keys.delete('github-models');
    const orchestrator = h.restart({ env: { GITHUB_TOKEN: 'some-token-without-a-known-prefix' } });
    await orchestrator.run(forced);
    assert.equal(h.server.chatRequests[0]?.headers['authorization'], 'Bearer some-token-without-a-known-prefix');
    await orchestrator.dispose();
  });

  it('Azure AI Foundry without an endpoint is a config error that says which setting to set', async () => {
    await h.keys.set('azure-ai-foundry', 'azure-key');
    h.settings = settingsFrom({ provider: 'azure-ai-foundry' });
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'hi' }));
    assert.equal(e.kind, 'config');
    assert.match(e.message, /Azure AI Foundry needs an endpoint: set aurelis\.endpoints → "azure-ai-foundry"/);
    assert.deepEqual(e.nextSteps, ['openSettings', 'selectProvider']);
  });

  it('an unreachable local provider says it may not be running', async () => {
    const port = await closedPort();
    h.settings = settingsFrom({ provider: 'ollama', endpoints: { ollama: `http://127.0.0.1:${port}/v1` }, retry: { maxAttempts: 1 } });
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'hi' }));
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /Could not reach Ollama at http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED\)\. Is Ollama running\?/);
  });

  it('an invalid request is a bad_request error, before anything is sent', async () => {
    const e = await failure(h.orchestrator.run({ task: 'explain' }));
    assert.equal(e.kind, 'bad_request');
    assert.match(e.message, /needs a prompt or at least one message/);
    assert.equal(h.server.chatRequests.length, 0);
  });

  it('the settings used are live: a changed endpoint applies to the next request', async () => {
    const other = await startHarness();
    try {
      await h.orchestrator.run(forced);
      h.settings = githubSettings(other.server);
      await h.orchestrator.run(forced);
      assert.equal(h.server.chatRequests.length, 1);
      assert.equal(other.server.chatRequests.length, 1);
    } finally {
      await other.close();
    }
  });
});

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
