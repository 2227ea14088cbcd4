/**
 * The arithmetic of the benchmarks, kept pure so it can be unit-tested: percentiles, ratios,
 * the shortest time a rate limit allows, and the order that interleaves a measurement with
 * its baseline.
 */
import { isAurelisError } from '../src/core/errors';

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest sample with at least
 * p % of the samples at or below it. Nearest rank never invents a value between two samples,
 * so a p95 of 2,000 latencies is a latency that was really measured.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is outside 0–100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** `value ÷ baseline`, rounded to three decimals (the precision the table shows and more). */
export function ratio(value: number, baseline: number): number {
  if (!(baseline > 0)) throw new Error(`ratio against a baseline of ${baseline}`);
  return round(value / baseline, 3);
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface RateLimit {
  /** Requests the server lets in per window. */
  perWindow: number;
  windowMs: number;
  /** Requests it lets run at once. */
  concurrent: number;
}

/**
 * The least wall time `count` requests can take under a sliding-window limit and a
 * concurrency limit when each takes `serviceMs` on the server. Request j belongs to window
 * k = ⌊j / perWindow⌋ — it cannot arrive before k windows have passed since request
 * j − k·perWindow — and within its window it waits for the ⌊(j mod perWindow) / concurrent⌋
 * waves ahead of it. So the last request finishes no earlier than k windows plus its wave's
 * end; and never before ⌈count / concurrent⌉ waves, however long the window.
 */
export function minimumWallMs(count: number, limit: RateLimit, serviceMs: number): number {
  if (count <= 0) return 0;
  const last = count - 1;
  const windows = Math.floor(last / limit.perWindow);
  const wavesInLastWindow = Math.floor((last % limit.perWindow) / limit.concurrent) + 1;
  const byWindow = windows * limit.windowMs + wavesInLastWindow * serviceMs;
  const byConcurrency = Math.ceil(count / limit.concurrent) * serviceMs;
  return Math.max(byWindow, byConcurrency);
}

/**
 * Which of the pair goes first in round i: A B, B A, B A, A B, … (ABBA). Alternating cancels
 * a steady drift (a warming JIT, a busy neighbour) and any advantage of going first.
 */
export function measuredFirst(round: number): boolean {
  return round % 4 === 0 || round % 4 === 3;
}

/** The errors among a batch's results, and how many of each kind. */
export function errorsOf(results: ReadonlyArray<unknown>): { count: number; kinds: Record<string, number> } {
  const kinds: Record<string, number> = {};
  let count = 0;
  for (const r of results) {
    if (!isAurelisError(r)) continue;
    count++;
    kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  }
  return { count, kinds };
}
