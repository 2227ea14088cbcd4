import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAurelisError, type AurelisError } from '../../../src/core/errors';
import type { Notice } from '../../../src/core/pipeline';
import { reply } from '../../fake-server';
import { disposed, failure, githubSettings, type Harness, startHarness, T0, HeldTimers } from './harness';
import { settles } from '../../support/waitFor';

/** `prompt` with no model set runs on openai/gpt-4o-mini, a `low` tier model: 15 requests a minute, 5 at once on the free plan. */
const quick = (n: number) => ({ task: 'prompt' as const, prompt: `question ${n}` });
const MINI = 'openai/gpt-4o-mini';

describe('orchestrator: pacing per model tier', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('keeps a 15-per-minute tier free of 429s: requests wait their turn', async () => {
    h = await startHarness({ server: { limits: { requestsPerMinute: 15, concurrent: 5 } }, settings: (s) => githubSettings(s, { retry: { maxAttempts: 1 } }) });
    const notices: Notice[] = [];
    const results = await h.orchestrator.runBatch(Array.from({ length: 40 }, (_, i) => quick(i)), { onNotice: (n) => notices.push(n) });
    assert.equal(results.filter(isAurelisError).length, 0);
    assert.equal(h.server.rateLimited, 0);
    assert.equal(h.server.chatRequests.length, 40);
    assert.ok(h.server.maxConcurrent <= 5);
    // 40 requests at 15 a minute need at least two full windows of waiting.
    assert.ok(h.timers.now() - T0 >= 2 * 60_000, `only ${h.timers.now() - T0} ms passed`);
    assert.ok(notices.some((n) => n.kind === 'rate_wait'));
  });

  it('(control) without pacing the same burst collects 429s from the fake', async () => {
    h = await startHarness({ server: { limits: { requestsPerMinute: 15, concurrent: 5 } }, settings: (s) => githubSettings(s, { retry: { maxAttempts: 1 }, rateLimits: { pacing: false } }) });
    const results = await h.orchestrator.runBatch(Array.from({ length: 40 }, (_, i) => quick(i)));
    assert.ok(h.server.rateLimited > 0);
    assert.ok(results.some((r) => isAurelisError(r) && r.kind === 'rate_limited'));
  });

  it('holds a `high` tier model to 2 requests at once on the free plan', async () => {
    h = await startHarness({ server: { limits: { concurrent: 2 } } });
    h.server.handle(() => reply.text('ok', { delayMs: 15 }));
    const results = await h.orchestrator.runBatch(Array.from({ length: 6 }, (_, i) => ({ task: 'prompt' as const, prompt: `${i}`, model: 'openai/gpt-4o' })));
    assert.equal(results.filter(isAurelisError).length, 0);
    assert.equal(h.server.maxConcurrent, 2);
    assert.equal(h.server.rateLimited, 0);
  });

  it('applies overrides from settings by tier name, live', async () => {
    h = await startHarness();
    h.settings = githubSettings(h.server, { rateLimits: { overrides: { low: { requestsPerMinute: 2 } } } });
    for (let i = 0; i < 3; i++) await h.orchestrator.run(quick(i));
    assert.equal(h.timers.sleeps.length, 1);
    assert.ok((h.timers.sleeps[0] ?? 0) >= 59_000);
  });

  it('Copilot plan sets the numbers: Enterprise allows 20 a minute on the low tier', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { githubModels: { plan: 'enterprise' } }) });
    for (let i = 0; i < 20; i++) await h.orchestrator.run(quick(i));
    assert.deepEqual(h.timers.sleeps, []);
    await h.orchestrator.run(quick(20));
    assert.equal(h.timers.sleeps.length, 1);
  });
});

/** Lets queued work run: the pacer's queue moves on promise callbacks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('orchestrator: pacing and cancellation', () => {
  let h: Harness;
  afterEach(() => h.close());

  /** gpt-4o-mini one request at a time; the global limit (5) is not what holds requests back here. */
  const oneAtATime = (s: Parameters<typeof githubSettings>[0]) => githubSettings(s, { rateLimits: { overrides: { [MINI]: { concurrent: 1 } } } });

  it('an aborted request gives its pacing permit back: the next request on a one-at-a-time model goes', async () => {
    h = await startHarness({ settings: oneAtATime });
    h.server.script(reply.hang(), reply.text('second'));
    const abort = new AbortController();
    const first = h.orchestrator.run(quick(1), { signal: abort.signal });
    await h.server.waitForChatRequests(1);
    abort.abort();
    assert.equal((await failure(first)).kind, 'cancelled');
    const second = await settles('the request after the aborted one', h.orchestrator.run(quick(2)));
    assert.equal(second.content, 'second');
  });

  it('cancelling a request that waits for the model’s only slot rejects at once and leaves the queue', async () => {
    h = await startHarness({ settings: oneAtATime });
    // The first answer waits until the test lets it go, so the slot is taken for as long as needed.
    let answerFirst = (): void => undefined;
    const firstAnswered = new Promise<void>((resolve) => (answerFirst = resolve));
    h.server.script(reply.text('first', { until: firstAnswered }), reply.text('third'));
    const first = h.orchestrator.run(quick(1));
    await h.server.waitForChatRequests(1);
    const abort = new AbortController();
    const waiting = h.orchestrator.run(quick(2), { signal: abort.signal });
    await settle();
    abort.abort();
    assert.equal((await settles('the cancelled request', failure(waiting))).kind, 'cancelled');
    assert.equal(h.server.chatRequests.length, 1, 'the cancelled request was never sent');
    answerFirst();
    assert.equal((await first).content, 'first');
    // Were the cancelled request still first in the pacer's queue, this one would wait forever.
    assert.equal((await settles('the request queued behind the cancelled one', h.orchestrator.run(quick(3)))).content, 'third');
  });

  describe('with held timers (a fake wait ends at once; a held one ends only when cancelled, so settling proves the cut)', () => {
    let timers: HeldTimers;
    let orchestrator: Harness['orchestrator'];
    beforeEach(async () => {
      h = await startHarness({ settings: (s) => githubSettings(s, { rateLimits: { overrides: { [MINI]: { requestsPerMinute: 1 } } } }) });
      timers = new HeldTimers();
      orchestrator = h.restart({ timers });
    });
    afterEach(() => disposed(orchestrator));

    it('cancelling during a pacing wait rejects at once with "cancelled"', async () => {
      await orchestrator.run(quick(1));
      const abort = new AbortController();
      const sleeping = timers.nextSleep();
      const waiting = failure(orchestrator.run(quick(2), { signal: abort.signal }));
      assert.ok((await settles('the pacing wait', sleeping)) > 50_000, 'a minute window wait started');
      abort.abort();
      assert.equal((await settles('the cancelled request', waiting)).kind, 'cancelled');
      assert.equal(h.server.chatRequests.length, 1);
    });

    it('cancelling from the wait notice itself (before the wait starts) still rejects at once', async () => {
      await orchestrator.run(quick(1));
      const abort = new AbortController();
      const notices: Notice[] = [];
      const onNotice = (n: Notice): void => {
        notices.push(n);
        if (n.kind === 'rate_wait') abort.abort();
      };
      const e = await settles('the request cancelled from its notice', failure(orchestrator.run(quick(2), { signal: abort.signal, onNotice })));
      assert.equal(e.kind, 'cancelled');
      assert.match(notices[0]?.message ?? '', /Waiting 1 min for openai\/gpt-4o-mini's rate limit/);
      assert.equal(h.server.chatRequests.length, 1);
    });
  });
});

describe('orchestrator: daily quota per model', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { rateLimits: { overrides: { [MINI]: { requestsPerDay: 3 } } } }) });
  });
  afterEach(() => h.close());

  it('counts requests per model in <storage>/ratelimits.json, and the count survives a restart', async () => {
    await h.orchestrator.run(quick(1));
    await h.orchestrator.run(quick(2));
    // Saved in the background, off the request's path.
    await h.orchestrator.flush();
    const file = JSON.parse(readFileSync(path.join(h.storageDir, 'ratelimits.json'), 'utf8')) as { day: string; counts: Record<string, number> };
    assert.equal(file.day, '2026-05-04');
    assert.equal(file.counts[`github-models:${MINI}`], 2);

    await h.orchestrator.dispose();
    h.orchestrator = h.restart();
    await h.orchestrator.run(quick(3));
    let e: AurelisError | undefined;
    try {
      await h.orchestrator.run(quick(4));
    } catch (err) {
      if (isAurelisError(err)) e = err;
    }
    assert.equal(e?.kind, 'rate_limited');
    assert.match(e?.message ?? '', /The daily quota of openai\/gpt-4o-mini on GitHub Models \(3 requests a day, all used\) is spent; it resets at/);
    assert.equal(e?.resetAt, Date.UTC(2026, 4, 5));
    assert.equal(h.server.chatRequests.length, 3, 'the fourth request was never sent');
  });

  it('starts a new count on a new UTC day', async () => {
    for (let i = 0; i < 3; i++) await h.orchestrator.run(quick(i));
    h.timers.advance(24 * 60 * 60 * 1000);
    await h.orchestrator.run(quick(4));
    assert.equal(h.server.chatRequests.length, 4);
  });

  it('two orchestrators on one storage folder add their counts up', async () => {
    const second = h.restart();
    await h.orchestrator.run(quick(1));
    await h.orchestrator.flush();
    await second.run(quick(2));
    await second.flush();
    await h.orchestrator.run(quick(3));
    await h.orchestrator.flush();
    const file = JSON.parse(readFileSync(path.join(h.storageDir, 'ratelimits.json'), 'utf8')) as { counts: Record<string, number> };
    assert.equal(file.counts[`github-models:${MINI}`], 3);
    await second.dispose();
  });

  it('an unreadable ratelimits.json starts from zero instead of failing', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(h.storageDir, 'ratelimits.json'), '{ not json');
    const fresh = h.restart();
    await fresh.run(quick(1));
    await fresh.flush();
    await fresh.dispose();
    const file = JSON.parse(readFileSync(path.join(h.storageDir, 'ratelimits.json'), 'utf8')) as { counts: Record<string, number> };
    assert.equal(file.counts[`github-models:${MINI}`], 1);
  });
});
