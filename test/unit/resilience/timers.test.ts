import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { isAurelisError } from '../../../src/core/errors';
import { realSleep, realTimers, throwIfAborted } from '../../../src/core/resilience/timers';

/** A sleep that ignored its abort would never end: its timeout is held by the test. */
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

/**
 * Stands in for the global timer functions: a timeout is recorded, not scheduled, and fires only
 * when the test says its time has come. The tests then check what happens in which order, not how
 * long the machine took.
 */
function heldTimers(): { timers: Array<{ ms: number; fire: () => void; cleared: boolean }>; restore(): void } {
  const { setTimeout: originalSet, clearTimeout: originalClear } = globalThis;
  const timers: Array<{ ms: number; fire: () => void; cleared: boolean }> = [];
  globalThis.setTimeout = ((fire: () => void, ms?: number) => {
    const timer = { ms: ms ?? 0, fire, cleared: false, unref: () => timer, ref: () => timer, hasRef: () => false };
    timers.push(timer);
    return timer;
  }) as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((handle: { cleared: boolean } | undefined) => {
    if (handle) handle.cleared = true;
  }) as unknown as typeof clearTimeout;
  return {
    timers,
    restore: () => {
      globalThis.setTimeout = originalSet;
      globalThis.clearTimeout = originalClear;
    },
  };
}

/** Whether `p` has settled once everything already queued has run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('real timers', () => {
  it('sleep resolves when its timeout fires, not before, and leaves no abort listener behind', async () => {
    const signal = new AbortController().signal;
    const held = heldTimers();
    try {
      const sleeping = realSleep(30, signal);
      assert.deepEqual(
        held.timers.map((t) => t.ms),
        [30],
      );
      assert.equal(await settled(sleeping), false, 'the sleep ended before its time');
      held.timers[0]?.fire();
      await sleeping;
    } finally {
      held.restore();
    }
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  });

  it('an abort during a sleep rejects at once with a cancelled error, its timeout never having fired', async () => {
    const held = heldTimers();
    try {
      const abort = new AbortController();
      const sleeping = realSleep(LONG, abort.signal);
      assert.equal(await settled(sleeping), false);
      abort.abort();
      assert.equal(await settled(sleeping), true, 'the abort did not end the sleep');
      const e = await rejection(sleeping);
      assert.ok(isAurelisError(e) && e.kind === 'cancelled', String(e));
      assert.equal(held.timers[0]?.cleared, true);
    } finally {
      held.restore();
    }
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

  it('a signal already aborted rejects without waiting (no timeout is even set)', async () => {
    const abort = new AbortController();
    abort.abort();
    const held = heldTimers();
    try {
      const e = await rejection(realTimers({ now: () => 0 }).sleep(LONG, abort.signal));
      assert.ok(isAurelisError(e) && e.kind === 'cancelled');
      assert.deepEqual(held.timers, []);
    } finally {
      held.restore();
    }
  });

  it('a started timer fires once when its time comes, and not at all once cancelled', () => {
    const held = heldTimers();
    let fired = 0;
    let cancelledFired = 0;
    try {
      const timers = realTimers({ now: () => 0 });
      timers.startTimer(10, () => fired++);
      const cancel = timers.startTimer(10, () => cancelledFired++);
      cancel();
      assert.equal(fired, 0, 'fired before its time');
      for (const t of held.timers) if (!t.cleared) t.fire();
    } finally {
      held.restore();
    }
    assert.deepEqual(
      held.timers.map((t) => [t.ms, t.cleared]),
      [
        [10, false],
        [10, true],
      ],
    );
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
