import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { ModelPacer, PACING_WINDOW_MS } from '../../../src/core/resilience/modelPacer';
import { FakeTimers, T0 } from '../orchestrator/harness';

describe('ModelPacer', () => {
  let timers: FakeTimers;
  let pacer: ModelPacer;
  beforeEach(() => {
    timers = new FakeTimers();
    pacer = new ModelPacer(timers);
  });

  it('lets 15 requests through at once on a 15-per-minute tier, then waits a window after the first finished', async () => {
    for (let i = 0; i < 15; i++) {
      const permit = await pacer.acquire({ requestsPerMinute: 15 }, undefined);
      timers.advance(100);
      permit.release();
    }
    assert.deepEqual(timers.sleeps, []);
    const firstFinished = T0 + 100;
    await pacer.acquire({ requestsPerMinute: 15 }, undefined);
    assert.equal(timers.now(), firstFinished + PACING_WINDOW_MS);
    assert.equal(timers.sleeps.length, 1);
  });

  it('counts a request that is still running against the window (it may not have reached the server yet)', async () => {
    const running = await pacer.acquire({ requestsPerMinute: 1 }, undefined);
    let granted = false;
    const next = pacer.acquire({ requestsPerMinute: 1 }, undefined).then((p) => {
      granted = true;
      return p;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(granted, false, 'no timed wait can help while the only slot is in flight');
    timers.advance(5_000);
    running.release();
    (await next).release();
    assert.equal(timers.now(), T0 + 5_000 + PACING_WINDOW_MS);
  });

  it('holds requests beyond the concurrency limit until one finishes', async () => {
    const a = await pacer.acquire({ concurrent: 2 }, undefined);
    await pacer.acquire({ concurrent: 2 }, undefined);
    const order: string[] = [];
    const c = pacer.acquire({ concurrent: 2 }, undefined).then(() => order.push('c'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, []);
    a.release();
    await c;
    assert.deepEqual(order, ['c']);
    assert.deepEqual(timers.sleeps, [], 'a concurrency wait is not a timed sleep');
  });

  it('a newcomer never takes a freed slot from a request already waiting for it', async () => {
    const first = await pacer.acquire({ concurrent: 1 }, undefined);
    const order: string[] = [];
    const waiting = pacer.acquire({ concurrent: 1 }, undefined).then((p) => {
      order.push('waiting');
      p.release();
    });
    await new Promise((r) => setImmediate(r));
    first.release();
    // The slot is free at this instant, before the waiter has woken: the newcomer must still queue.
    const newcomer = pacer.acquire({ concurrent: 1 }, undefined).then((p) => {
      order.push('newcomer');
      p.release();
    });
    await Promise.all([waiting, newcomer]);
    assert.deepEqual(order, ['waiting', 'newcomer']);
  });

  it('serves waiters first come, first served', async () => {
    const first = await pacer.acquire({ concurrent: 1 }, undefined);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) =>
      pacer.acquire({ concurrent: 1 }, undefined).then((p) => {
        order.push(n);
        p.release();
      }),
    );
    first.release();
    await Promise.all(waiters);
    assert.deepEqual(order, [1, 2, 3]);
  });

  it('a waiter that is cancelled leaves the queue and the next one moves up', async () => {
    const first = await pacer.acquire({ concurrent: 1 }, undefined);
    const abort = new AbortController();
    const cancelled = pacer.acquire({ concurrent: 1 }, abort.signal);
    const third = pacer.acquire({ concurrent: 1 }, undefined);
    abort.abort();
    await assert.rejects(cancelled, (e) => isAurelisError(e) && e.kind === 'cancelled');
    first.release();
    (await third).release();
    assert.equal(pacer.inWindow(), 2, 'the cancelled waiter never took a place in the window');
  });

  it('tells the caller once how long a timed wait will be', async () => {
    (await pacer.acquire({ requestsPerMinute: 1 }, undefined)).release();
    const heard: number[] = [];
    await pacer.acquire({ requestsPerMinute: 1 }, undefined, (ms) => heard.push(ms));
    assert.deepEqual(heard, [PACING_WINDOW_MS]);
  });

  it('a cancel from the wait notice itself stops before the wait starts', async () => {
    (await pacer.acquire({ requestsPerMinute: 1 }, undefined)).release();
    const abort = new AbortController();
    await assert.rejects(
      pacer.acquire({ requestsPerMinute: 1 }, abort.signal, () => abort.abort()),
      (e) => isAurelisError(e) && e.kind === 'cancelled',
    );
    // Fake sleeps move the clock: a wait that started anyway would show here.
    assert.deepEqual(timers.sleeps, []);
    assert.equal(timers.now(), T0);
  });

  it('does not limit anything when no limits are set', async () => {
    for (let i = 0; i < 100; i++) await pacer.acquire({}, undefined);
    assert.deepEqual(timers.sleeps, []);
  });

  it("reads a request's tokens only once the server has announced a token limit", async () => {
    const reads: string[] = [];
    const asking = (name: string, tokens: number) => ({
      get tokens() {
        reads.push(name);
        return tokens;
      },
      retry: false,
      learned: true,
    });
    const first = await pacer.acquire({}, undefined, undefined, asking('first', 500));
    const second = await pacer.acquire({}, undefined, undefined, asking('second', 700));
    assert.equal(reads.length, 0, 'no token limit known: the prompt need not be counted');
    // The first answer announces 1,000 tokens a minute with 400 left: the second, sent after it, is not in that yet.
    first.report({ result: 'ok', announced: { tokens: { limit: 1_000, remaining: 400, resetMs: 60_000 } } });
    assert.deepEqual(reads, ['second']);
    first.release();
    second.release();
    await pacer.acquire({}, undefined, undefined, asking('third', 100));
    assert.ok(reads.includes('third'), 'with a token limit known, each request is counted');
  });
});
