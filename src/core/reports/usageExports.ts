/**
 * Exports of the usage ledger: CSV and JSON (one row per request, for reconciling with a bill),
 * and the Prometheus text exposition format (version 0.0.4: aggregates by model and task, for
 * a dashboard). Produced as chunks so a year of history never has to sit in one string.
 */
import type { UsageRecord } from '../pipeline';
import type { AnalyticsReport } from '../../shared/analyticsReport';
import { forEachSelected, type RowSelection } from './analyticsQueries';
import * as flags from '../ledger/ledgerIndex';
import type { UsageRows } from '../ledger/ledgerIndex';

/** Plain constants for the hot loop (imported bindings can be getters under some loaders). */
const FLAG_CACHE_HIT = flags.FLAG_CACHE_HIT;
const OUTCOME_OK = flags.OUTCOME_OK;

// ── CSV ────────────────────────────────────────────────────────────────────────────────────

const CSV_COLUMNS = [
  'time_utc',
  'request_id',
  'provider',
  'model',
  'task',
  'outcome',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'tokens_estimated',
  'cost_usd',
  'cost_source',
  'latency_ms',
  'ttft_ms',
  'cache_hit',
  'fallback_depth',
  'budget_override',
  'workspace_hash',
  'error_message',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (starting with = + - @ or a tab) gets a
 * leading apostrophe — error messages can come from a provider.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(r: UsageRecord): string {
  return [
    new Date(r.ts).toISOString(),
    r.requestId,
    r.provider,
    r.model,
    r.task,
    r.outcome,
    r.promptTokens,
    r.completionTokens,
    r.cachedTokens,
    r.tokensEstimated,
    r.costUsd,
    r.costSource,
    r.latencyMs,
    r.ttftMs,
    r.cacheHit,
    r.fallbackDepth,
    r.budgetOverride ?? false,
    r.workspace,
    r.errorMessage,
  ]
    .map(csvField)
    .join(',');
}

export async function* csvChunks(records: AsyncIterable<UsageRecord>): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(',') + '\r\n';
  let batch: string[] = [];
  for await (const r of records) {
    batch.push(csvRow(r) + '\r\n');
    if (batch.length >= 1000) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length > 0) yield batch.join('');
}

// ── JSON ───────────────────────────────────────────────────────────────────────────────────

export const JSON_EXPORT_FORMAT = 'aurelis-usage-export';

/** `{format, version, report, records: [...]}`, streamed record by record. */
export async function* jsonChunks(report: AnalyticsReport, records: AsyncIterable<UsageRecord>): AsyncGenerator<string> {
  const head = JSON.stringify({ format: JSON_EXPORT_FORMAT, version: 1, report }, null, 2);
  // Reopen the object to append the records array.
  yield head.slice(0, head.lastIndexOf('}')).trimEnd() + ',\n  "records": [';
  let first = true;
  for await (const r of records) {
    yield (first ? '\n    ' : ',\n    ') + JSON.stringify(r);
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}

// ── Prometheus ─────────────────────────────────────────────────────────────────────────────

/** Latency histogram bucket bounds, seconds. */
export const LATENCY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120] as const;

type Labels = Record<string, string>;

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function sampleValue(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** A counter family: sums by label set, in first-seen order. */
class CounterFamily {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  add(labels: Labels, value: number): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += value;
    else this.values.set(key, { labels, value });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} counter`];
    for (const key of [...this.values.keys()].sort()) lines.push(`${this.name}${key} ${sampleValue(this.values.get(key)?.value ?? 0)}`);
    return lines.join('\n') + '\n';
  }
}

class HistogramFamily {
  private readonly series = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    // Buckets are cumulative: an observation counts in every bucket whose bound it does not exceed.
    this.bounds.forEach((bound, b) => {
      if (value <= bound) s.buckets[b] = (s.buckets[b] as number) + 1;
    });
    s.sum += value;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`];
    for (const key of [...this.series.keys()].sort()) {
      const s = this.series.get(key);
      if (!s) continue;
      this.bounds.forEach((bound, b) => {
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: sampleValue(bound) })} ${s.buckets[b]}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${sampleValue(s.sum)}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join('\n') + '\n';
  }
}

/**
 * The selection as Prometheus metrics. Counters are totals over the selection (over all kept
 * history when it covers everything), labelled by provider, model and task.
 */
export function prometheusText(rows: UsageRows, sel: RowSelection): string {
  const requests = new CounterFamily('aurelis_requests_total', 'Requests recorded in the usage ledger, by outcome (ok or the error kind).');
  const tokens = new CounterFamily(
    'aurelis_tokens_total',
    'Tokens sent and received, by type: prompt, completion, and cached (the part of prompt tokens served from the provider cache). Cache hits send nothing.',
  );
  const cost = new CounterFamily('aurelis_cost_usd_total', 'Estimated cost in US dollars of requests whose model price is known.');
  const unpriced = new CounterFamily('aurelis_unpriced_requests_total', 'Requests whose model price is unknown, so their cost is not in aurelis_cost_usd_total.');
  const errors = new CounterFamily('aurelis_errors_total', 'Failed requests by error kind (cancellations and budget refusals included).');
  const cacheHits = new CounterFamily('aurelis_cache_hits_total', 'Requests answered from the response cache.');
  const latency = new HistogramFamily(
    'aurelis_request_duration_seconds',
    'Time to a complete answer, of answered requests that went to a model.',
    LATENCY_BUCKETS,
  );

  forEachSelected(rows, sel, (i) => {
    const target = rows.targetAt(rows.target[i] as number);
    const labels = { provider: target.provider, model: target.model, task: rows.taskOf(i) };
    const outcome = rows.outcomeOf(i);
    const hit = ((rows.flags[i] as number) & FLAG_CACHE_HIT) !== 0;
    requests.add({ ...labels, outcome }, 1);
    if (outcome !== 'ok') errors.add({ ...labels, kind: outcome }, 1);
    if (hit) {
      cacheHits.add(labels, 1);
      return;
    }
    const prompt = rows.promptTokens[i] as number;
    const completion = rows.completionTokens[i] as number;
    tokens.add({ ...labels, type: 'prompt' }, prompt);
    tokens.add({ ...labels, type: 'completion' }, completion);
    tokens.add({ ...labels, type: 'cached' }, rows.cachedTokens[i] as number);
    const c = rows.costUsd[i] as number;
    if (!Number.isNaN(c)) cost.add(labels, c);
    else if (prompt + completion > 0) unpriced.add(labels, 1);
    if (rows.outcome[i] === OUTCOME_OK) latency.observe({ provider: target.provider, model: target.model }, (rows.latencyMs[i] as number) / 1000);
  });

  return [requests, tokens, cost, unpriced, errors, cacheHits, latency].map((f) => f.render()).join('');
}
