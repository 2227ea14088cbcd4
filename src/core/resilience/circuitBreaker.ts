/**
 * A circuit breaker per (provider, model): after `failureThreshold` consecutive failures the
 * model is skipped for `cooldownSeconds`, then up to `halfOpenMaxCalls` trial calls may go
 * through; the first success closes it again, a failed trial opens it for another cooldown.
 * Only failures that say something about the model's health count (5xx, network, timeouts,
 * broken or unreadable answers), never the caller's own mistakes (4xx) or rate limits, which
 * pacing and the daily quota handle.
 */
import type { Clock } from '../host';
import type { ModelTarget } from '../pipeline';
import { targetKey } from '../routing/modelRef';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerThresholds {
  failureThreshold: number;
  cooldownSeconds: number;
  halfOpenMaxCalls: number;
}

export interface BreakerSnapshot {
  target: ModelTarget;
  state: BreakerState;
  failures: number;
  openedAt?: number;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt: number | undefined;
  private trialsStarted = 0;

  constructor(
    readonly target: ModelTarget,
    private readonly clock: Clock,
  ) {}

  /** Whether a call may go through now; in half-open each allowed call uses up a trial. */
  tryPass(thresholds: BreakerThresholds): boolean {
    this.advance(thresholds);
    if (this.state === 'closed') return true;
    if (this.state === 'open') return false;
    if (this.trialsStarted >= thresholds.halfOpenMaxCalls) return false;
    this.trialsStarted++;
    return true;
  }

  /** Whether selection should skip this model (open, or half-open with every trial in use). */
  isBlocked(thresholds: BreakerThresholds): boolean {
    this.advance(thresholds);
    return this.state === 'open' || (this.state === 'half-open' && this.trialsStarted >= thresholds.halfOpenMaxCalls);
  }

  recordSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.openedAt = undefined;
    this.trialsStarted = 0;
  }

  /** A call that said nothing about the model's health gives its half-open trial back. */
  recordNeutral(): void {
    if (this.state === 'half-open' && this.trialsStarted > 0) this.trialsStarted--;
  }

  recordFailure(thresholds: BreakerThresholds): void {
    this.failures++;
    if (this.state === 'half-open' || this.failures >= thresholds.failureThreshold) this.open();
  }

  snapshot(thresholds: BreakerThresholds): BreakerSnapshot {
    this.advance(thresholds);
    const snap: BreakerSnapshot = { target: this.target, state: this.state, failures: this.failures };
    if (this.openedAt !== undefined) snap.openedAt = this.openedAt;
    return snap;
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.clock.now();
    this.trialsStarted = 0;
  }

  /** Open turns half-open once the cooldown has passed (checked lazily: no timers to clean up). */
  private advance(thresholds: BreakerThresholds): void {
    if (this.state === 'open' && this.openedAt !== undefined && this.clock.now() - this.openedAt >= thresholds.cooldownSeconds * 1000) {
      this.state = 'half-open';
      this.trialsStarted = 0;
    }
  }
}

/** All breakers, created on first use. Thresholds are read per call so settings apply live. */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly clock: Clock,
    private readonly thresholds: () => BreakerThresholds,
  ) {}

  for(target: ModelTarget): CircuitBreaker {
    const key = targetKey(target);
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker({ ...target }, this.clock);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  isBlocked(target: ModelTarget): boolean {
    return this.breakers.get(targetKey(target))?.isBlocked(this.thresholds()) ?? false;
  }

  tryPass(target: ModelTarget): boolean {
    return this.for(target).tryPass(this.thresholds());
  }

  recordSuccess(target: ModelTarget): void {
    this.for(target).recordSuccess();
  }

  recordFailure(target: ModelTarget): void {
    this.for(target).recordFailure(this.thresholds());
  }

  recordNeutral(target: ModelTarget): void {
    this.for(target).recordNeutral();
  }

  snapshots(): BreakerSnapshot[] {
    const t = this.thresholds();
    return [...this.breakers.values()].map((b) => b.snapshot(t));
  }
}
