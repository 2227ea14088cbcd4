import assert from 'node:assert/strict';
import { FakeOpenAIServer, rateLimitMessage } from '../../fake-server';
import { FakeTimers, githubSettings, startHarness, T0, type Harness } from './harness';

const MINI = 'openai/gpt-4o-mini';
const GPT4O = 'openai/gpt-4o';
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

describe('fake server: its own per-day limit', () => {
  let clock: FakeTimers;
  let server: FakeOpenAIServer;
  beforeEach(async () => {
    clock = new FakeTimers(T0);
    server = await FakeOpenAIServer.start({ clock, limits: { requestsPerDay: 2 } });
  });
  afterEach(() => server.stop());

  const ask = (model: string) =>
    fetch(`${server.inferenceUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'q' }] }),
    });

  it('answers GitHub’s daily 429 past the limit, per model, until a day after the oldest request it let through', async () => {
    assert.equal((await ask(MINI)).status, 200);
    clock.advance(HOUR_MS);
    assert.equal((await ask(MINI)).status, 200);
    clock.advance(60_000);

    const refused = await ask(MINI);
    assert.equal(refused.status, 429);
    // The first request (at T0) leaves the window at T0 + 1 day: 22 h 59 min from now.
    const waitSeconds = (DAY_MS - HOUR_MS - 60_000) / 1000;
    assert.equal(refused.headers.get('x-ratelimit-type'), 'UserByModelByDay');
    assert.equal(refused.headers.get('retry-after'), String(waitSeconds));
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'RateLimitReached');
    assert.equal(body.error.message, rateLimitMessage({ type: 'UserByModelByDay', limit: 2, windowSeconds: 86400, waitSeconds }));
    assert.equal(server.rateLimited, 1);

    assert.equal((await ask(GPT4O)).status, 200, 'another model has a count of its own');

    // A refused request does not count: once the first one has left the window, one slot is free.
    clock.advance(waitSeconds * 1000);
    assert.equal((await ask(MINI)).status, 200);
    assert.equal((await ask(MINI)).status, 429);
    assert.equal(server.rateLimited, 2);
  });
});

describe('orchestrator against the fake server’s per-day limit', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('a day the server says is spent, though Aurelis counted none of it (another machine), skips the model until it resets', async () => {
    h = await startHarness({ server: { limits: { requestsPerDay: 2 } }, settings: (s) => githubSettings(s, { models: { explain: [MINI, GPT4O] } }) });
    for (let i = 0; i < 2; i++) {
      const elsewhere = await fetch(`${h.server.inferenceUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MINI, messages: [{ role: 'user', content: 'from another machine' }] }),
      });
      assert.equal(elsewhere.status, 200);
    }
    const before = h.server.chatRequests.length;

    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.model, GPT4O);
    assert.deepEqual(h.timers.sleeps, [], 'a wait of a whole day is not waited out');
    await h.orchestrator.run({ task: 'explain', prompt: 'q again' });
    assert.deepEqual(
      h.server.chatRequests.slice(before).map((r) => r.model),
      [MINI, GPT4O, GPT4O],
      'after the server’s 429 the spent model is skipped without a request',
    );

    h.timers.advance(DAY_MS);
    assert.equal((await h.orchestrator.run({ task: 'explain', prompt: 'next day' })).model, MINI, 'tried again once the server’s day is over');
  });
});
