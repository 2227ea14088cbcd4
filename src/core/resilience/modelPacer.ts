/**
 * Pacing for one model: requests wait their turn (first come, first served) instead of
 * collecting 429s, within a requests-per-minute window and a concurrency limit.
 *
 * A request holds its place in the minute window from the moment it is let through until one
 * window after it finished. Counting from the finish rather than the start makes the pacing
 * safe however long the request took to reach the server: any request the server saw inside
 * one of its windows is still counted here when the next one is let through.
 */
import { LearnedPace } from './learnedPace';
import type { AnnouncedLimits } from './rateHeaders';
import type { PaceLimits } from './rateTiers';
import type { Timers } from './timers';
import { TurnQueue } from './turnQueue';

export const PACING_WINDOW_MS = 60_000;

export interface PacePermit {
  /** What the answer taught about the server's limits; call before `release`. */
  report(outcome: PaceOutcome): void;
  /** Call exactly once, when the request has finished (success or failure). */
  release(): void;
}

export interface PaceOutcome {
  /** The limits the server announced on this answer (or on its refusal). */
  announced?: AnnouncedLimits;
  result: 'ok' | 'rate_limited' | 'overloaded' | 'other';
  /** The wait a 429 asked for, when it said. */
  waitMs?: number;
}

/** What one request asks of the pacer beyond the configured limits. */
export interface PaceRequest {
  /**
   * Tokens it may use (prompt plus output allowance), for a learned tokens-per-window limit:
   * read only when the server has announced one (the prompt may be counted at that first read).
   */
  readonly tokens: number;
  /** A retry goes before requests that have not been sent yet: it has waited its turn once. */
  retry: boolean;
  /** Pace by what the server announced (off when the user's override sets this model's limits). */
  learned: boolean;
}

export const PLAIN_REQUEST: PaceRequest = { tokens: 0, retry: false, learned: false };

/** What the orchestrator asks of one model's pacer (local here; team-wide in src/core/team). */
export interface Pacer {
  /** Waits until this request may go; `onWait` hears about a timed wait once, before it starts. */
  acquire(limits: PaceLimits, signal: AbortSignal | undefined, onWait?: (ms: number) => void, request?: PaceRequest): Promise<PacePermit>;
}

export class ModelPacer implements Pacer {
  private inFlight = 0;
  /** Requests let through and not finished, in the order they went, by sequence number. */
  private readonly sentOrder = new Map<number, PaceRequest>();
  private sequence = 0;
  private readonly learned = new LearnedPace();
  /** When recent requests finished, oldest first. */
  private finishedAt: number[] = [];
  private readonly line = new TurnQueue();

  constructor(private readonly timers: Timers) {}

  /** Waits until this request may go; `onWait` hears about a timed wait once, before it starts. */
  acquire(limits: PaceLimits, signal: AbortSignal | undefined, onWait?: (ms: number) => void, request: PaceRequest = PLAIN_REQUEST): Promise<PacePermit> {
    // Nobody in line and a slot free (the usual case): the request goes at once, without a
    // place in line to take and give back. Whoever would wait behind it is not there to wake.
    if (this.line.isEmpty() && signal?.aborted !== true) {
      const permit = this.tryNow(limits, request);
      if (typeof permit === 'object') return Promise.resolve(permit);
    }
    let told = false;
    return this.line.take(request.retry, signal, async () => {
      const tried = this.tryNow(limits, request);
      if (typeof tried === 'object') return { result: tried };
      if (!told && Number.isFinite(tried)) {
        told = true;
        onWait?.(tried);
      }
      await this.pause(tried, signal);
      return undefined;
    });
  }

  /** Lets the request go now (its permit), or says how long it must wait (ms; Infinity until a release). */
  private tryNow(limits: PaceLimits, request: PaceRequest): PacePermit | number {
    const wait = Math.max(this.waitNeeded(limits), request.learned ? this.learned.waitNeeded(this.tokensOf(request), this.inFlight, this.timers.now()) : 0);
    if (wait !== 0) return wait;
    this.inFlight++;
    this.learned.sent(this.tokensOf(request), this.timers.now());
    const seq = ++this.sequence;
    this.sentOrder.set(seq, request);
    return this.permit(seq);
  }

  /** A request's tokens when a learned token limit counts them; 0 (and nothing counted) otherwise. */
  private tokensOf(request: PaceRequest): number {
    return this.learned.countsTokens() ? request.tokens : 0;
  }

  /** Requests let through and not yet finished, plus those finished within the window. */
  inWindow(): number {
    this.prune(this.timers.now());
    return this.inFlight + this.finishedAt.length;
  }

  /** 0 when a request may go now, Infinity when only a release can help, else ms to wait. */
  private waitNeeded(limits: PaceLimits): number {
    const now = this.timers.now();
    this.prune(now);
    if (limits.concurrent !== undefined && this.inFlight >= limits.concurrent) return Infinity;
    if (limits.requestsPerMinute !== undefined && this.inFlight + this.finishedAt.length >= limits.requestsPerMinute) {
      const oldest = this.finishedAt[0];
      return oldest === undefined ? Infinity : Math.max(1, oldest + PACING_WINDOW_MS - now);
    }
    return 0;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.finishedAt.length && (this.finishedAt[drop] as number) + PACING_WINDOW_MS <= now) drop++;
    if (drop > 0) this.finishedAt = this.finishedAt.slice(drop);
  }

  /** Sleeps for `ms`, or less if a release or a queue change comes first; the caller re-checks abort. */
  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    // An abort that came before the listener below (from `onWait`, say) would never reach it.
    if (signal?.aborted) return;
    const stop = new AbortController();
    const forward = (): void => stop.abort();
    signal?.addEventListener('abort', forward, { once: true });
    // Both sides settle quietly: whichever loses is stopped below, and a cancel is seen by the loop.
    const woken = this.line.changed.wait(stop.signal).catch(() => undefined);
    const slept = Number.isFinite(ms) ? this.timers.sleep(ms, stop.signal).catch(() => undefined) : woken;
    try {
      await Promise.race([slept, woken]);
    } finally {
      signal?.removeEventListener('abort', forward);
      stop.abort();
    }
  }

  private permit(seq: number): PacePermit {
    let released = false;
    return {
      report: (outcome) => {
        if (released) return;
        const now = this.timers.now();
        // Requests sent before this one reached the server first and are in what it announced;
        // those sent after it may not be yet.
        const later = { requests: 0, tokens: 0 };
        const countTokens = outcome.announced?.tokens !== undefined;
        for (const [other, otherRequest] of this.sentOrder) {
          if (other <= seq) continue;
          later.requests++;
          if (countTokens) later.tokens += otherRequest.tokens;
        }
        this.learned.observe(outcome.announced, later, now);
        if (outcome.result === 'ok') this.learned.succeeded(now);
        else if (outcome.result === 'rate_limited') this.learned.rateLimited(outcome.waitMs, this.inFlight, now);
        else if (outcome.result === 'overloaded') this.learned.overloaded(this.inFlight);
        this.line.changed.notify();
      },
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.sentOrder.delete(seq);
        this.finishedAt.push(this.timers.now());
        this.line.changed.notify();
      },
    };
  }
}
