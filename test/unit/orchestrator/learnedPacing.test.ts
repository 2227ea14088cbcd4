import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { reply, type FakeBucketLimit } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from './harness';

/** Pacing by what the server announces, with fake time shared by the server and the orchestrator. */
describe('orchestrator: pacing learned from the server', () => {
  let h: Harness;
  afterEach(() => h.close());

  const start = async (bucket: FakeBucketLimit | undefined, extra: Record<string, unknown> = {}) => {
    h = await startHarness({ githubKey: null, server: bucket ? { bucket } : {} });
    await h.keys.set('openai', 'sk-test');
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { explain: ['gpt-4o-mini'] }, cache: { enabled: false }, ...extra });
  };
  const batch = (n: number) => h.orchestrator.runBatch(Array.from({ length: n }, (_, i) => ({ task: 'explain' as const, prompt: `q${i}` })));

  for (const announce of ['openai', 'anthropic'] as const) {
    it(`paces to a limit announced in ${announce === 'openai' ? 'OpenAI' : 'Anthropic'}'s headers: no 429s, one request per refill once the bucket is empty`, async () => {
      await start({ requests: 3, windowMs: 60_000, announce }, { maxConcurrentRequests: 1 });
      const results = await batch(6);
      assert.equal(results.filter(isAurelisError).length, 0);
      assert.equal(h.server.rateLimited, 0);
      const arrivals = h.server.chatRequests.map((r) => r.receivedAt - (h.server.chatRequests[0]?.receivedAt ?? 0));
      // Three at once, then one every 20 s (3 a minute).
      assert.deepEqual(arrivals.slice(0, 3), [0, 0, 0]);
      for (const [i, at] of arrivals.slice(3).entries()) assert.ok(at >= (i + 1) * 20_000 - 1 && at <= (i + 1) * 20_000 + 1000, `request ${i + 4} at ${at} ms`);
    });
  }

  it('a burst before anything was learned: the 429s are retried and every request is answered', async () => {
    await start({ requests: 3, windowMs: 60_000, announce: 'openai' }, { maxConcurrentRequests: 6 });
    const results = await batch(8);
    assert.equal(results.filter(isAurelisError).length, 0);
    assert.ok(h.server.rateLimited > 0, 'the first wave went before anything was known');
  });

  it('a server that announces nothing: its bare 429s pause the model, and no request fails', async () => {
    await start({ requests: 3, windowMs: 60_000, announce: 'none' }, { maxConcurrentRequests: 3 });
    const results = await batch(9);
    assert.deepEqual(results.filter(isAurelisError).map((e) => e.message), []);
  });

  it('the user’s override wins over what the server announces', async () => {
    await start(undefined, { rateLimits: { overrides: { 'gpt-4o-mini': { requestsPerMinute: 100 } } }, maxConcurrentRequests: 1 });
    const exhausted = { 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' };
    h.server.handle(() => reply.text('ok', { headers: exhausted }));
    await batch(3);
    assert.deepEqual(h.timers.sleeps, [], 'no wait for the announced limit');
  });

  it('a 429 that announces its window makes the next requests wait for it instead of spending their retries', async () => {
    await start(undefined, { maxConcurrentRequests: 1 });
    const full = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' };
    h.server.script(reply.text('first', { headers: { ...full, 'x-ratelimit-remaining-requests': '5', 'x-ratelimit-reset-requests': '15s' } }), reply.error(429, { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } }, { ...full, 'retry-after': '30' }));
    const results = await batch(3);
    assert.equal(results.filter(isAurelisError).length, 0);
    assert.equal(h.server.chatRequests.length, 4, 'one refusal, then each request once');
    const third = h.server.chatRequests[3]?.receivedAt ?? 0;
    const refused = h.server.chatRequests[1]?.receivedAt ?? 0;
    assert.ok(third - refused >= 30_000, `the request after the retry waited for the window (${third - refused} ms)`);
  });

  it('capacity failures lower how many requests go at once for that model, instead of opening the breaker', async () => {
    await start(undefined, { maxConcurrentRequests: 8, breaker: { failureThreshold: 2 } });
    let active = 0;
    h.server.handle(async () => {
      active++;
      const busy = active > 2;
      await new Promise((resolve) => setTimeout(resolve, 15));
      active--;
      return busy ? reply.error(503, { error: { message: 'The server is overloaded.', type: 'server_error' } }) : reply.text('ok');
    });
    const results = await batch(12);
    assert.deepEqual(results.filter(isAurelisError).map((e) => e.message), []);
    assert.equal(h.orchestrator.breakerStates().find((s) => s.target.model === 'gpt-4o-mini')?.state, 'closed');
  });
});
