import assert from 'node:assert/strict';
import { type AurelisError } from '../../../src/core/errors';
import { githubErrors, reply } from '../../fake-server';
import { failure, githubSettings, type Harness, startHarness } from './harness';

/** One forced model, so only the retry loop (not the chain) decides how many requests are sent. */
const forced = { task: 'explain' as const, prompt: 'hi', model: 'openai/gpt-4o-mini' };

describe('orchestrator: retries', () => {
  let h: Harness;
  beforeEach(async () => {
    // random() is 0.5 in the harness: full jitter waits half of min(cap, base·2^n).
    h = await startHarness({ settings: (s) => githubSettings(s, { retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000, maxServerWaitSeconds: 60 } }) });
  });
  afterEach(() => h.close());

  it('retries 5xx with exponential full-jitter backoff, then answers', async () => {
    h.server.script(reply.error(503), reply.error(500), reply.error(502), reply.text('ok'));
    const result = await h.orchestrator.run(forced);
    assert.equal(result.content, 'ok');
    assert.equal(h.server.chatRequests.length, 4);
    assert.deepEqual(h.timers.sleeps, [250, 500, 1000]);
  });

  it('caps the backoff at retry.maxDelayMs', async () => {
    h.settings = githubSettings(h.server, { retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 600 } });
    h.server.script(reply.error(503), reply.error(503), reply.error(503), reply.text('ok'));
    await h.orchestrator.run(forced);
    assert.deepEqual(h.timers.sleeps, [250, 300, 300]);
  });

  it('retries a dropped connection (network error)', async () => {
    h.server.script(reply.drop(), reply.text('ok'));
    const result = await h.orchestrator.run(forced);
    assert.equal(result.content, 'ok');
    assert.equal(h.server.chatRequests.length, 2);
  });

  it('honours retry-after (seconds) on a 429', async () => {
    h.server.script(reply.error(429, { error: { code: 'RateLimitReached', message: 'slow down' } }, { 'retry-after': '3' }), reply.text('ok'));
    await h.orchestrator.run(forced);
    assert.deepEqual(h.timers.sleeps, [3000]);
  });

  it('honours retry-after-ms over retry-after', async () => {
    h.server.script(reply.error(429, undefined, { 'retry-after-ms': '1500', 'retry-after': '9' }), reply.text('ok'));
    await h.orchestrator.run(forced);
    assert.deepEqual(h.timers.sleeps, [1500]);
  });

  it('honours x-ratelimit-timeremaining over retry-after (GitHub’s minute limit)', async () => {
    h.server.script(githubErrors.rateLimited({ type: 'UserByModelByMinute', limit: 15, waitSeconds: 7, headers: { 'retry-after': '2' } }), reply.text('ok'));
    await h.orchestrator.run(forced);
    assert.deepEqual(h.timers.sleeps, [7000]);
  });

  it('reads GitHub’s "Please wait N seconds" when no header says', async () => {
    h.server.script(githubErrors.rateLimited({ type: 'UserByModelByMinute', waitSeconds: 12, omitHeaders: ['retry-after', 'x-ratelimit-timeremaining'] }), reply.text('ok'));
    await h.orchestrator.run(forced);
    assert.deepEqual(h.timers.sleeps, [12_000]);
  });

  it('still pauses (with jitter) when the server says retry-after: 0 (concurrency limit)', async () => {
    h.server.script(githubErrors.rateLimited({ type: 'UserConcurrentRequests', limit: 5 }), reply.text('ok'));
    await h.orchestrator.run(forced);
    assert.deepEqual(h.timers.sleeps, [250]);
  });

  it('gives up after retry.maxAttempts with an "unavailable" error that says so', async () => {
    h.server.handle(() => reply.error(503, { error: { code: 'ServiceUnavailable', message: 'Service temporarily unavailable' } }));
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'unavailable');
    assert.equal(h.server.chatRequests.length, 4);
    assert.match(e.message, /GitHub Models could not answer with openai\/gpt-4o-mini \(HTTP 503\)/);
    assert.match(e.message, /Aurelis tried 4 times/);
    assert.deepEqual(e.nextSteps, ['retry', 'viewLog']);
  });

  describe('never retries what a retry cannot fix', () => {
    const cases: Array<[string, () => ReturnType<typeof reply.error>, AurelisError['kind']]> = [
      ['400 bad request', () => reply.error(400, { error: { code: 'invalid_request', message: 'temperature is out of range' } }), 'bad_request'],
      ['401 unauthorized', () => githubErrors.unauthorized(), 'auth'],
      ['403 forbidden (empty body)', () => githubErrors.forbidden(), 'auth'],
      ['404 unknown_model', () => githubErrors.unknownModel('openai/gpt-4o-mini'), 'unknown_model'],
      ['410 gone', () => githubErrors.retired(), 'retired'],
      ['413 tokens_limit_reached', () => githubErrors.tokensLimitReached('gpt-4o-mini', 8000), 'too_large'],
      ['400 content_filter', () => githubErrors.contentFilter(['violence']), 'content_filtered'],
    ];
    for (const [name, make, kind] of cases) {
      it(name, async () => {
        h.server.handle(() => make());
        const e = await failure(h.orchestrator.run(forced));
        assert.equal(e.kind, kind);
        assert.equal(h.server.chatRequests.length, 1);
        assert.deepEqual(h.timers.sleeps, []);
      });
    }
  });

  it('does not retry a malformed answer (invalid_response)', async () => {
    h.server.script(reply.malformed());
    const e = await failure(h.orchestrator.run(forced));
    assert.equal(e.kind, 'invalid_response');
    assert.equal(h.server.chatRequests.length, 1);
  });
});
