/**
 * Latency percentiles and the histogram for the analytics report, without keeping an array of
 * samples per group. The rows that count (answered by a model: not failed, not a cache hit) are
 * listed once as indices; for each grouping (all, by model, task, prompt, provider) their
 * latencies are laid out group by group in one typed array reused across groupings (a counting
 * sort), and each group's percentiles are selected inside its segment. A year of a million
 * requests needs about 20 MB, however many groups there are.
 */
import type { LatencyHistogram, LatencyStats } from '../../shared/analyticsReport';
import { LATENCY_HISTOGRAM_BOUNDS_MS } from '../../shared/analyticsReport';
import type { UsageRows } from '../ledger/ledgerIndex';

/** The answered rows of a selection, and room to lay out their latencies. */
export class LatencyRows {
  private readonly indices: Uint32Array;
  private count = 0;
  private readonly latency: Float64Array;
  private readonly ttft: Float64Array;

  /** `capacity`: how many rows at most will be added. */
  constructor(
    private readonly rows: UsageRows,
    capacity: number,
  ) {
    this.indices = new Uint32Array(capacity);
    this.latency = new Float64Array(capacity);
    this.ttft = new Float64Array(capacity);
  }

  add(row: number): void {
    this.indices[this.count++] = row;
  }

  /** Percentiles of every row added, as one group. */
  all(): LatencyStats {
    return this.grouped(() => 0, 1)[0] as LatencyStats;
  }

  /**
   * Percentiles per group; `groupOf` gives a row's group id in [0, groups), or -1 to leave the
   * row out. Groups with no answered rows get empty figures.
   */
  grouped(groupOf: (row: number) => number, groups: number): LatencyStats[] {
    const { rows, indices, count, latency, ttft } = this;
    const latencyStart = new Uint32Array(groups + 1);
    const ttftStart = new Uint32Array(groups + 1);
    for (let k = 0; k < count; k++) {
      const row = indices[k] as number;
      const g = groupOf(row);
      if (g < 0) continue;
      latencyStart[g + 1] = (latencyStart[g + 1] as number) + 1;
      if (!Number.isNaN(rows.ttftMs[row] as number)) ttftStart[g + 1] = (ttftStart[g + 1] as number) + 1;
    }
    for (let g = 0; g < groups; g++) {
      latencyStart[g + 1] = (latencyStart[g + 1] as number) + (latencyStart[g] as number);
      ttftStart[g + 1] = (ttftStart[g + 1] as number) + (ttftStart[g] as number);
    }
    const latencyNext = latencyStart.slice(0, groups);
    const ttftNext = ttftStart.slice(0, groups);
    for (let k = 0; k < count; k++) {
      const row = indices[k] as number;
      const g = groupOf(row);
      if (g < 0) continue;
      const at = latencyNext[g] as number;
      latency[at] = rows.latencyMs[row] as number;
      latencyNext[g] = at + 1;
      const t = rows.ttftMs[row] as number;
      if (!Number.isNaN(t)) {
        const tAt = ttftNext[g] as number;
        ttft[tAt] = t;
        ttftNext[g] = tAt + 1;
      }
    }
    const stats: LatencyStats[] = [];
    for (let g = 0; g < groups; g++) {
      const l = latency.subarray(latencyStart[g], latencyStart[g + 1]);
      const t = ttft.subarray(ttftStart[g], ttftStart[g + 1]);
      stats.push({
        samples: l.length,
        p50Ms: percentileOf(l, 0.5),
        p95Ms: percentileOf(l, 0.95),
        ttftSamples: t.length,
        ttftP50Ms: percentileOf(t, 0.5),
        ttftP95Ms: percentileOf(t, 0.95),
      });
    }
    return stats;
  }

  /** Every added row's latency counted into LATENCY_HISTOGRAM_BOUNDS_MS buckets. */
  histogram(): LatencyHistogram {
    const boundsMs = [...LATENCY_HISTOGRAM_BOUNDS_MS];
    const counts = new Array<number>(boundsMs.length + 1).fill(0);
    for (let k = 0; k < this.count; k++) {
      const ms = this.rows.latencyMs[this.indices[k] as number] as number;
      let bucket = 0;
      while (bucket < boundsMs.length && ms > (boundsMs[bucket] as number)) bucket++;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    return { boundsMs, counts };
  }
}

/** Nearest rank: the smallest sample with at least p of all samples at or below it. */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[rankOf(p, sorted.length)] as number;
}

/**
 * The same percentile of unsorted samples, by selection instead of a full sort (a year of
 * history has a million samples). Reorders `samples`.
 */
export function percentileOf(samples: Float64Array, p: number): number | null {
  if (samples.length === 0) return null;
  return nthSmallest(samples, rankOf(p, samples.length));
}

function rankOf(p: number, n: number): number {
  return Math.max(1, Math.ceil(p * n)) - 1;
}

/** Hoare's quickselect: the k-th smallest (0-based), partitioning in place. */
function nthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot keeps sorted and reversed input fast.
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}
