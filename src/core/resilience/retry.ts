/**
 * The retry loop around one model: retries only what may succeed on a second try (429, 5xx,
 * network errors, timeouts), waits what the server asked for or a full-jitter backoff, and
 * gives up on this model at once when the server's wait is longer than we are willing to wait
 * (a daily limit saying "wait 5631 seconds"): the chain's next model is the better bet.
 */
import { ProviderFailure } from '../providers/providerErrors';
import { fullJitterDelay } from './backoff';
import type { Timers } from './timers';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxServerWaitMs: number;
}

export interface RetryOptions {
  timers: Timers;
  random?: () => number;
  signal?: AbortSignal;
  /** Hears about each wait before it starts. */
  onWait?: (ms: number, failure: ProviderFailure) => void;
}

/** Why the loop stopped, for the caller's bookkeeping. */
export class RetryStop extends Error {
  constructor(
    readonly failure: ProviderFailure,
    readonly attempts: number,
    /** The server wanted a wait longer than the policy allows. */
    readonly waitTooLong: boolean,
  ) {
    super(failure.message);
    this.name = 'RetryStop';
  }
}

export async function withRetries<T>(attempt: (index: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (err) {
      if (!(err instanceof ProviderFailure)) throw err;
      const wait = err.serverWaitMs;
      if (err.retryable && wait !== undefined && wait > policy.maxServerWaitMs) throw new RetryStop(err, index + 1, true);
      if (!err.retryable || index + 1 >= policy.maxAttempts) throw new RetryStop(err, index + 1, false);
      // A server that answers "retry-after: 0" (GitHub's concurrency limit) still gets a jittered pause.
      const delay = wait !== undefined && wait > 0 ? wait : fullJitterDelay(index, policy, options.random);
      options.onWait?.(delay, err);
      await options.timers.sleep(delay, options.signal);
    }
  }
}
