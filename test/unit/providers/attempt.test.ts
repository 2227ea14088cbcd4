import assert from 'node:assert/strict';
import { Attempt, Watchdog } from '../../../src/core/providers/attempt';
import { FakeTimers } from '../orchestrator/harness';

/** FakeTimers that also count the timers started, to show the watchdog shares one. */
class CountingTimers extends FakeTimers {
  started = 0;
  override startTimer(ms: number, fire: () => void): () => void {
    this.started++;
    return super.startTimer(ms, fire);
  }
}

describe('attempt timeouts on one watchdog timer', () => {
  it('times out an attempt quiet for its whole timeout, and aborts its signal', () => {
    const timers = new FakeTimers();
    const attempt = new Attempt(new Watchdog(timers), undefined, 30_000);
    assert.equal(timers.fireTimeouts(), 1);
    assert.equal(attempt.timedOut, true);
    assert.equal(attempt.signal.aborted, true);
    assert.equal(attempt.userCancelled, false);
  });

  it('leaves a finished attempt alone, and stops when it has nothing to watch', () => {
    const timers = new FakeTimers();
    const attempt = new Attempt(new Watchdog(timers), undefined, 30_000);
    attempt.finish();
    assert.equal(timers.fireTimeouts(), 1);
    assert.equal(attempt.timedOut, false);
    assert.equal(attempt.signal.aborted, false);
    assert.equal(timers.fireTimeouts(), 0, 'no timer is set again for nothing');
  });

  it('counts the timeout from the last chunk: fired early, it waits out the rest', () => {
    const timers = new FakeTimers();
    const attempt = new Attempt(new Watchdog(timers), undefined, 30_000);
    timers.advance(20_000);
    attempt.heartbeat();
    assert.equal(timers.fireTimeouts(), 1, 'the first timer fires 30 s after the start');
    assert.equal(attempt.timedOut, false, 'only 10 s since the last chunk');
    const quietFor = timers.now() - attempt.lastActivity;
    assert.equal(timers.fireTimeouts(), 1);
    assert.equal(attempt.timedOut, true);
    assert.equal(timers.now() - attempt.lastActivity, 30_000, `timed out after exactly the timeout of quiet (was ${quietFor} ms at the first check)`);
  });

  it('times out each of several attempts at its own time, a later shorter one first', () => {
    const timers = new FakeTimers();
    const watchdog = new Watchdog(timers);
    const long = new Attempt(watchdog, undefined, 60_000);
    timers.advance(1_000);
    const short = new Attempt(watchdog, undefined, 5_000);
    assert.equal(timers.fireTimeouts(), 1);
    assert.equal(short.timedOut, true);
    assert.equal(long.timedOut, false);
    assert.equal(timers.now() - short.lastActivity, 5_000, 'the clock moved to the short one only');
    timers.fireTimeouts();
    assert.equal(long.timedOut, true);
    assert.equal(timers.now() - long.lastActivity, 60_000);
  });

  it('a cancel is a cancel, not a timeout, and is seen even when it came before the attempt', () => {
    const timers = new FakeTimers();
    const watchdog = new Watchdog(timers);
    const user = new AbortController();
    const attempt = new Attempt(watchdog, user.signal, 30_000);
    user.abort();
    assert.equal(attempt.userCancelled, true);
    assert.equal(attempt.signal.aborted, true);
    attempt.finish();
    timers.fireTimeouts();
    assert.equal(attempt.timedOut, false);
    const late = new Attempt(watchdog, user.signal, 30_000);
    assert.equal(late.userCancelled, true);
    late.finish();
  });

  it('a clock stepped back never makes one wait longer than the timeout', () => {
    const timers = new FakeTimers();
    const attempt = new Attempt(new Watchdog(timers), undefined, 30_000);
    const start = timers.now();
    attempt.lastActivity = start + 3_600_000; // a chunk noted before the clock was set back an hour
    timers.fireTimeouts();
    assert.equal(timers.now() - start, 30_000);
    assert.equal(attempt.timedOut, false, 'no quiet at all, by this clock');
    timers.fireTimeouts();
    assert.equal(timers.now() - start, 60_000, 'the next look is one timeout later, not an hour and more');
  });

  it('requests one after another share one timer instead of starting one each', () => {
    const timers = new CountingTimers();
    const watchdog = new Watchdog(timers);
    for (let i = 0; i < 50; i++) {
      timers.advance(10);
      new Attempt(watchdog, undefined, 30_000).finish();
    }
    assert.equal(timers.started, 1);
  });
});
