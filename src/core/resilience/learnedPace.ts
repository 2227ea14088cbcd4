/**
 * What Aurelis has learned about one model's limits from the server itself, for pacing when
 * nobody told it the numbers:
 * - a bucket per announced limit (requests, tokens) that refills continuously at the rate the
 *   headers imply, so requests go as fast as the limit allows and no faster;
 * - after a 429 the refill is halved until the server's window would be full again, so a burst
 *   that misjudged the limit (another client on the same key) backs off instead of spending
 *   every retry;
 * - a server that announces nothing: a 429 pauses the model for everyone, for as long as one
 *   request's share of a minute going by the answers of the last minute (doubling while 429s
 *   keep coming), and a capacity failure (5xx, an error event in a stream) halves how many
 *   requests go at once, which grows back by one with each success.
 */
import type { AnnouncedLimit, AnnouncedLimits } from './rateHeaders';

/** When a server states a limit without saying when it refills: the usual one-minute window. */
const DEFAULT_WINDOW_MS = 60_000;
/** Keeps an estimate strictly below the next whole request the server has not announced. */
const FRACTION = 1e-6;
/** First pause after a 429 that said nothing; doubles while they keep coming. */
const BLIND_PAUSE_MS = 1000;
const MAX_BLIND_PAUSE_MS = 60_000;
/** Enough answers to read a minute's pace from at any limit Aurelis can reach. */
const MAX_REMEMBERED_ANSWERS = 10_000;
/** aurelis.maxConcurrentRequests can be at most this. */
const MAX_LEARNED_CAPACITY = 64;

class Bucket {
  private level: number;
  private at: number;
  private refillPerMs: number;
  private slowUntil = 0;
  /** The first announcement starts the estimate at what it says; later ones only correct it. */
  private observed = false;

  constructor(
    private limit: number,
    now: number,
  ) {
    this.level = limit;
    this.at = now;
    this.refillPerMs = limit / DEFAULT_WINDOW_MS;
  }

  available(now: number): number {
    const rate = now < this.slowUntil ? this.refillPerMs / 2 : this.refillPerMs;
    return Math.min(this.limit, this.level + rate * Math.max(0, now - this.at));
  }

  /** 0 when `cost` is there now, else ms until it will be. */
  waitFor(cost: number, now: number): number {
    const have = this.available(now);
    const need = Math.min(cost, this.limit);
    if (have >= need) return 0;
    const rate = now < this.slowUntil ? this.refillPerMs / 2 : this.refillPerMs;
    return Math.max(1, Math.ceil((need - have) / rate));
  }

  take(cost: number, now: number): void {
    this.level = this.available(now) - cost;
    this.at = now;
  }

  /** What the server said after it counted a request; `pending` is what we sent since and it may not have counted yet. */
  observe(announced: AnnouncedLimit, pending: number, now: number): void {
    this.limit = announced.limit;
    if (announced.remaining < announced.limit && announced.resetMs !== undefined && announced.resetMs > 0) {
      this.refillPerMs = (announced.limit - announced.remaining) / announced.resetMs;
    }
    // Servers announce whole requests left (rounded down): the true level is below remaining + 1.
    // Only an estimate above that is wrong; keeping ours otherwise keeps the refill in progress.
    const ceiling = this.observed ? announced.remaining + 1 - FRACTION : announced.remaining;
    this.level = Math.min(this.available(now), ceiling - pending);
    this.observed = true;
    this.at = now;
  }

  /** A 429: nothing left, and a slower refill until the window would be full again. */
  refused(now: number, waitMs: number | undefined): void {
    this.level = Math.min(0, this.available(now));
    this.at = now + (waitMs ?? 0);
    this.slowUntil = now + (waitMs ?? 0) + this.limit / this.refillPerMs;
  }
}

export class LearnedPace {
  private requests: Bucket | undefined;
  private tokens: Bucket | undefined;
  private blockedUntil = 0;
  private blindPauseMs = BLIND_PAUSE_MS;
  /** How many at once after capacity failures; undefined: no limit learned. */
  private capacity: number | undefined;
  private successes = 0;
  /** When the answers of the last minute came: a silent server's pace, seen from outside. */
  private answeredAt: number[] = [];

  /** 0 when a request of `tokens` may go now, Infinity when only a finishing request can help, else ms. */
  waitNeeded(tokens: number, inFlight: number, now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    if (this.capacity !== undefined && inFlight >= this.capacity) return Infinity;
    return Math.max(this.requests?.waitFor(1, now) ?? 0, this.tokens?.waitFor(tokens, now) ?? 0);
  }

  /** Whether the server announced a tokens-per-window limit (until then, a request's tokens change nothing here). */
  countsTokens(): boolean {
    return this.tokens !== undefined;
  }

  sent(tokens: number, now: number): void {
    this.requests?.take(1, now);
    this.tokens?.take(tokens, now);
  }

  /** Headers on any answer, the failures' too. */
  observe(limits: AnnouncedLimits | undefined, pending: { requests: number; tokens: number }, now: number): void {
    if (limits?.requests) (this.requests ??= new Bucket(limits.requests.limit, now)).observe(limits.requests, pending.requests, now);
    if (limits?.tokens) (this.tokens ??= new Bucket(limits.tokens.limit, now)).observe(limits.tokens, pending.tokens, now);
  }

  succeeded(now: number): void {
    this.blindPauseMs = BLIND_PAUSE_MS;
    this.answeredAt.push(now);
    if (this.answeredAt.length > MAX_REMEMBERED_ANSWERS) this.answeredAt.shift();
    if (this.capacity === undefined) return;
    // Additive increase: one more at once after as many successes as are allowed at once now.
    if (++this.successes >= this.capacity) {
      this.successes = 0;
      // Far above what any global limit lets through: the limit has served its purpose.
      this.capacity = this.capacity >= MAX_LEARNED_CAPACITY ? undefined : this.capacity + 1;
    }
  }

  /** A 429. `waitMs`: what the server asked for, when it said. */
  rateLimited(waitMs: number | undefined, inFlight: number, now: number): void {
    if (this.requests || this.tokens) {
      this.requests?.refused(now, waitMs);
      this.tokens?.refused(now, waitMs);
      if (waitMs !== undefined) this.blockedUntil = Math.max(this.blockedUntil, now + waitMs);
      return;
    }
    // Nothing announced: pause the model for everyone, and send fewer at once. The answers of
    // the last minute are the best guess at the limit: one request's share of the minute.
    this.answeredAt = this.answeredAt.filter((t) => t > now - DEFAULT_WINDOW_MS);
    const share = this.answeredAt.length > 0 ? DEFAULT_WINDOW_MS / this.answeredAt.length : 0;
    const pause = waitMs ?? Math.max(share, this.blindPauseMs);
    if (waitMs === undefined) this.blindPauseMs = Math.min(MAX_BLIND_PAUSE_MS, pause * 2);
    this.blockedUntil = Math.max(this.blockedUntil, now + pause);
    this.overloaded(inFlight);
  }

  /** A capacity failure (5xx under load, an error event in a stream): multiplicative decrease. */
  overloaded(inFlight: number): void {
    this.capacity = Math.max(1, Math.floor(Math.min(this.capacity ?? inFlight, inFlight) / 2));
    this.successes = 0;
  }
}
