import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { isAurelisError } from '../../../src/core/errors';
import { realSleep, realTimers, throwIfAborted } from '../../../src/core/resilience/timers';

/** Real waiting, kept short; a sleep that ignored its abort would take `LONG` ms. */
const LONG = 10_000;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

/** Records the handles the global timer functions hand out and clear (the code under test looks them up when it runs). */
function watchTimers(): { created: unknown[]; cleared: unknown[]; restore(): void } {
  const { setTimeout: originalSet, clearTimeout: originalClear } = globalThis;
  const created: unknown[] = [];
  const cleared: unknown[] = [];
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    const handle = originalSet(...args);
    created.push(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    cleared.push(handle);
    originalClear(handle);
  }) as typeof clearTimeout;
  return {
    created,
    cleared,
    restore: () => {
      globalThis.setTimeout = originalSet;
      globalThis.clearTimeout = originalClear;
    },
  };
}

describe('real timers', () => {
  it('sleep resolves after the time has passed and leaves no abort listener behind', async () => {
    const signal = new AbortController().signal;
    const started = Date.now();
    await realSleep(30, signal);
    assert.ok(Date.now() - started >= 25, `woke after ${Date.now() - started} ms`);
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  });

  it('an abort during a sleep rejects at once with a cancelled error', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const sleeping = realSleep(LONG, abort.signal);
    setTimeout(() => abort.abort(), 20);
    const e = await rejection(sleeping);
    assert.ok(isAurelisError(e) && e.kind === 'cancelled', String(e));
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  });

  it('an abort during a sleep clears its timer (nothing is left to fire or keep the process alive)', async () => {
    const watch = watchTimers();
    try {
      const abort = new AbortController();
      const sleeping = realSleep(LONG, abort.signal);
      abort.abort();
      await rejection(sleeping);
    } finally {
      watch.restore();
    }
    assert.equal(watch.created.length, 1);
    assert.deepEqual(watch.cleared, watch.created);
  });

  it('a signal already aborted rejects without waiting', async () => {
    const abort = new AbortController();
    abort.abort();
    const started = Date.now();
    const e = await rejection(realTimers({ now: () => 0 }).sleep(LONG, abort.signal));
    assert.ok(isAurelisError(e) && e.kind === 'cancelled');
    assert.ok(Date.now() - started < 1_000);
  });

  it('a started timer fires once after its time, and not at all once cancelled', async () => {
    const timers = realTimers({ now: () => 0 });
    let fired = 0;
    let cancelledFired = 0;
    timers.startTimer(10, () => fired++);
    const cancel = timers.startTimer(10, () => cancelledFired++);
    cancel();
    await realSleep(40);
    assert.equal(fired, 1);
    assert.equal(cancelledFired, 0);
  });

  it('a pending request timeout never keeps the process alive on its own', () => {
    const watch = watchTimers();
    let cancel: () => void = () => undefined;
    try {
      cancel = realTimers({ now: () => 0 }).startTimer(LONG, () => undefined);
    } finally {
      watch.restore();
    }
    cancel();
    assert.equal(watch.created.length, 1);
    assert.equal((watch.created[0] as NodeJS.Timeout).hasRef(), false);
  });

  it('throwIfAborted throws a cancelled error only for an aborted signal', () => {
    const abort = new AbortController();
    assert.doesNotThrow(() => throwIfAborted(abort.signal));
    assert.doesNotThrow(() => throwIfAborted(undefined));
    abort.abort();
    assert.throws(() => throwIfAborted(abort.signal), (e: unknown) => isAurelisError(e) && e.kind === 'cancelled');
  });
});
