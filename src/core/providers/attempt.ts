/**
 * One provider call's cancellation and timeout wiring. Each attempt has its own AbortController,
 * which the caller's signal and the attempt's timeout both abort, so a cancel can be told from a
 * timeout. A streamed answer's timeout runs from its last chunk: a chunk only notes the time.
 *
 * The timeouts of all attempts share one timer (the Watchdog): a timer started and cancelled for
 * every request costs a timer list and a priority-queue entry each time, on the way to the
 * request's first byte. The watchdog's timer, when it fires, times out the attempts that have
 * been quiet for their whole timeout and waits out the rest of the others.
 */
import { AurelisError } from '../errors';
import { cancelledError, type Timers } from '../resilience/timers';
import { classifyFailure, ProviderFailure, type FailureContext } from './providerErrors';

export class Attempt {
  private readonly controller = new AbortController();
  /** When the timeout was last restarted (the attempt began, a chunk arrived). */
  lastActivity: number;
  timedOut = false;
  userCancelled = false;
  private readonly onUserAbort = (): void => {
    this.userCancelled = true;
    this.controller.abort();
  };

  constructor(
    private readonly watchdog: Watchdog,
    private readonly userSignal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    if (userSignal?.aborted) this.onUserAbort();
    else userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    this.lastActivity = watchdog.now();
    watchdog.watch(this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the timeout (a streamed chunk arrived). */
  heartbeat(): void {
    this.lastActivity = this.watchdog.now();
  }

  /** The watchdog found the attempt quiet for its whole timeout. */
  expire(): void {
    this.timedOut = true;
    this.controller.abort();
  }

  finish(): void {
    this.watchdog.forget(this);
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }

  explain(err: unknown, ctx: FailureContext): ProviderFailure {
    if (err instanceof ProviderFailure) return err;
    if (this.userCancelled) return new ProviderFailure(cancelledError(), false, false);
    if (this.timedOut) {
      const seconds = Math.round(this.timeoutMs / 1000);
      const error = new AurelisError(
        'timeout',
        `${ctx.model} on ${ctx.connection.label} did not answer within ${seconds} s (aurelis.requestTimeoutSeconds). Try again, raise the timeout, or choose a faster model.`,
        { provider: ctx.connection.provider, model: ctx.model },
      );
      return new ProviderFailure(error, true, true);
    }
    return classifyFailure(err, ctx);
  }
}

/**
 * The one timer behind every running attempt's timeout. It stays set when the last attempt
 * finishes (the next one usually needs it again; the timer never keeps a process alive, see
 * realTimers) and, firing with nothing to watch, simply stops.
 */
export class Watchdog {
  private readonly attempts = new Set<Attempt>();
  /** When the timer fires (by `timers.now()`), or undefined when none is set. */
  private firesAt: number | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly timers: Timers) {}

  now(): number {
    return this.timers.now();
  }

  watch(attempt: Attempt): void {
    this.attempts.add(attempt);
    const due = attempt.lastActivity + attempt.timeoutMs;
    if (this.firesAt === undefined || due < this.firesAt) this.arm(attempt.timeoutMs);
  }

  forget(attempt: Attempt): void {
    this.attempts.delete(attempt);
  }

  private arm(ms: number): void {
    this.cancelTimer?.();
    this.firesAt = this.timers.now() + ms;
    this.cancelTimer = this.timers.startTimer(ms, () => this.check());
  }

  /** Stops the timer (the provider is disposed). */
  dispose(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.firesAt = undefined;
  }

  private check(): void {
    this.firesAt = undefined;
    this.cancelTimer = undefined;
    const now = this.timers.now();
    let next = Infinity;
    for (const attempt of this.attempts) {
      // A clock stepped back reads as no quiet at all, never as more time to wait than the timeout.
      const quiet = Math.max(0, now - attempt.lastActivity);
      if (quiet >= attempt.timeoutMs) {
        this.attempts.delete(attempt);
        attempt.expire();
      } else next = Math.min(next, attempt.timeoutMs - quiet);
    }
    if (next !== Infinity) this.arm(next);
  }
}
