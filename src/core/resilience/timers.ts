/**
 * Waiting, behind an interface: backoff, pacing and request timeouts all go through it, so
 * tests can move a fake clock instead of sleeping and stay fast and deterministic.
 */
import { AurelisError } from '../errors';
import type { Clock } from '../host';

export interface Timers extends Clock {
  /** Resolves after `ms`; rejects with a 'cancelled' AurelisError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fire` once after `ms` unless the returned cancel function runs first (request timeouts). */
  startTimer(ms: number, fire: () => void): () => void;
}

export function cancelledError(): AurelisError {
  return new AurelisError('cancelled', 'The request was cancelled.');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Real timers on top of a clock (the clock only tells the time; waiting is real). */
export function realTimers(clock: Clock): Timers {
  return {
    now: () => clock.now(),
    sleep: (ms, signal) => realSleep(ms, signal),
    startTimer(ms, fire) {
      const handle = setTimeout(fire, ms);
      // A pending timeout must never keep a CLI or a test process alive on its own.
      handle.unref();
      return () => clearTimeout(handle);
    },
  };
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(handle);
      reject(cancelledError());
    };
    const handle = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
