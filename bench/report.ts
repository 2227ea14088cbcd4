/**
 * bench/results.json's shape and the summary table printed from it (plain text for the
 * terminal, Markdown for the README), with each target marked met or not.
 */
import type { BatchReviewFigures } from './batchReview';
import type { CacheFigures } from './cache';
import type { ExtensionFigures } from './extension';
import type { LedgerFigures } from './ledgerFigures';
import type { OverheadFigures } from './overhead';
import type { LearnedPacingFigures } from './learnedPacing';
import type { PacingFigures } from './pacing';
import type { TeamFigures } from './team';

export interface BenchResults {
  overhead: OverheadFigures;
  cache: CacheFigures;
  pacing: PacingFigures;
  /** Missing in results written before the batch review was measured. */
  batchReview?: BatchReviewFigures;
  /** Absent in results written before pacing was learned from headers. */
  learnedPacing?: LearnedPacingFigures;
  /** Absent in results written before team mode. */
  team?: TeamFigures;
  ledger: LedgerFigures;
  extension: ExtensionFigures;
  machine: { cpus: number; node: string; cpu_model: string; platform: string; date: string; mode: 'quick' | 'full'; wall_s: number };
}

/** A target: a limit the figure must not pass, or an exact value. */
export type Target = { max: number } | { equals: number };

export interface Row {
  measurement: string;
  figure: string;
  detail: string;
  target?: Target;
  /** The number the target is checked against (the figure as measured, unrounded). */
  value?: number | null;
}

export function targetText(target: Target | undefined): string {
  if (!target) return '—';
  return 'max' in target ? `≤ ${target.max}` : `= ${target.equals}`;
}

/** 'met', 'NOT met', or '' when there is no target (or nothing was measured). */
export function verdict(row: Pick<Row, 'target' | 'value'>): string {
  if (!row.target || row.value === undefined || row.value === null) return '';
  const ok = 'max' in row.target ? row.value <= row.target.max : row.value === row.target.equals;
  return ok ? 'met' : 'NOT met';
}

export function rows(r: BenchResults): Row[] {
  const { overhead: o, cache: c, pacing: p, learnedPacing: lp, batchReview: b, ledger: l, extension: e } = r;
  const ms = (v: number | null, digits = 1): string => (v === null ? 'n/a' : `${v.toFixed(digits)} ms`);
  const x = (v: number): string => `${v.toFixed(3)}×`;
  const perS = (v: number): string => `${v.toLocaleString('en-US')}/s`;
  const max105: Target = { max: 1.05 };
  return [
    { measurement: 'Overhead, added latency (median)', figure: ms(o.added_ms, 3), detail: `full pipeline over the bare SDK on loopback (${o.requests} pairs)`, target: { max: 0.25 }, value: o.added_ms },
    { measurement: 'Usage record durable after', figure: ms(o.durable_ms, 2), detail: `median from the ask (${ms(o.durable_after_answer_ms, 2)} after the answer): ledger line with fsync, audit line` },
    { measurement: 'Overhead, median latency', figure: x(o.ratio_median), detail: `${ms(o.pipeline_median_ms, 2)} vs SDK ${ms(o.sdk_median_ms, 2)} (${o.requests} requests, +${ms(o.added_median_ms, 2)})`, target: max105, value: o.ratio_median },
    { measurement: 'Overhead, p95 latency', figure: x(o.ratio_p95), detail: `${ms(o.pipeline_p95_ms, 2)} vs SDK ${ms(o.sdk_p95_ms, 2)}`, target: max105, value: o.ratio_p95 },
    { measurement: 'Overhead, streamed time to first token', figure: x(o.stream_ttft_ratio), detail: `${ms(o.pipeline_ttft_median_ms, 2)} vs SDK ${ms(o.sdk_ttft_median_ms, 2)} (median of ${o.streamed_requests})`, target: { max: 1.1 }, value: o.stream_ttft_ratio },
    { measurement: '… with ledger fsync off', figure: x(o.breakdown.fsync_off.ratio_median), detail: `median, +${ms(o.breakdown.fsync_off.added_median_ms, 2)}; p95 ${x(o.breakdown.fsync_off.ratio_p95)}; first token ${x(o.breakdown.fsync_off.stream_ttft_ratio)} (${o.breakdown.fsync_off.requests} requests)` },
    { measurement: `… against a ${o.at_provider_latency.server_latency_ms} ms server`, figure: x(o.at_provider_latency.ratio_median), detail: `median, +${ms(o.at_provider_latency.added_median_ms, 2)}; p95 ${x(o.at_provider_latency.ratio_p95)}; first token ${x(o.at_provider_latency.stream_ttft_ratio)} (${o.at_provider_latency.requests} requests)`, target: max105, value: o.at_provider_latency.ratio_median },
    { measurement: '… without ledger, audit log and budget gate', figure: x(o.breakdown.without_ledger_stages.ratio_median), detail: `median, +${ms(o.breakdown.without_ledger_stages.added_median_ms, 2)}; p95 ${x(o.breakdown.without_ledger_stages.ratio_p95)}; first token ${x(o.breakdown.without_ledger_stages.stream_ttft_ratio)}` },
    { measurement: 'Cache, memory hit ÷ miss', figure: x(c.memory_hit_ratio), detail: `${ms(c.memory_hit_median_ms, 2)} vs miss ${ms(c.miss_median_ms, 2)} (lookup alone ${ms(c.memory_lookup_median_ms, 3)})` },
    { measurement: 'Cache, disk hit ÷ miss', figure: x(c.disk_hit_ratio), detail: `${ms(c.disk_hit_median_ms, 2)} (lookup alone ${ms(c.disk_lookup_median_ms, 3)})` },
    { measurement: 'Cache, server requests on hits', figure: String(c.server_requests_on_hit), detail: `${c.requests_per_kind} memory + ${c.requests_per_kind} disk hits`, target: { equals: 0 }, value: c.server_requests_on_hit },
    { measurement: 'Pacing: 429s from the server', figure: String(p.server_429s), detail: `${p.requests} requests at once, ${p.requests_per_minute}/min (window ${p.window_real_ms} ms real) and ${p.concurrent} at once` },
    { measurement: 'Pacing: errors the caller saw', figure: String(p.caller_errors), detail: '', target: { equals: 0 }, value: p.caller_errors },
    { measurement: 'Pacing: wall time ÷ minimum', figure: x(p.wall_ratio), detail: `${(p.wall_ms / 1000).toFixed(2)} s vs ${(p.minimum_wall_ms / 1000).toFixed(2)} s`, target: { max: 1.15 }, value: p.wall_ratio },
    { measurement: 'No pacing (retries on): 429s / errors', figure: `${p.unpaced.server_429s} / ${p.unpaced.caller_errors}`, detail: `${p.unpaced.server_requests} requests sent; errors: ${describeKinds(p.unpaced.error_kinds)}` },
    { measurement: 'No pacing: wall time ÷ minimum', figure: x(p.unpaced.wall_ratio), detail: `${(p.unpaced.wall_ms / 1000).toFixed(2)} s` },
    ...(b === undefined
      ? []
      : [
          { measurement: `Review of ${b.files} files: wall time ÷ minimum`, figure: x(b.wall_ratio), detail: `${(b.wall_ms / 1000).toFixed(2)} s vs ${(b.minimum_wall_ms / 1000).toFixed(2)} s at ${b.requests_per_minute}/min and ${b.concurrent} at once; ${b.server_429s} 429s from the server`, target: { max: 1.15 }, value: b.wall_ratio },
          { measurement: `Review of ${b.files} files: errors reaching the user`, figure: String(b.user_errors), detail: `${b.findings} findings from ${b.server_requests} requests`, target: { equals: 0 }, value: b.user_errors },
        ]),
    ...learnedPacingRows(lp, x),
    ...teamRows(r.team, x),
    { measurement: 'Ledger append, fsync on', figure: perS(l.append_per_s), detail: `16 in flight; one at a time ${perS(l.append_sequential_per_s)}; fsync off ${perS(l.append_no_fsync_per_s)}` },
    { measurement: 'Ledger report, 100,000 records', figure: ms(l.aggregate_100k_ms), detail: `load ${ms(l.load_100k_ms, 0)} from snapshots, first parse ${ms(l.first_parse_100k_ms, 0)}` },
    { measurement: 'Ledger report, 1,000,000 records', figure: ms(l.aggregate_1m_ms), detail: l.aggregate_1m_ms === null ? 'full mode only' : `load ${ms(l.load_1m_ms, 0)} from snapshots, first parse ${ms(l.first_parse_1m_ms, 0)} (${l.ledger_1m_mb} MB)` },
    { measurement: 'Ledger report, 1,000,000 records: peak heap', figure: l.report_peak_heap_1m_mb === null ? 'n/a' : `${l.report_peak_heap_1m_mb.toFixed(0)} MB`, detail: l.report_peak_heap_1m_mb === null ? 'full mode only' : `what the year's report adds to the heap and typed arrays (100k: ${l.report_peak_heap_100k_mb.toFixed(0)} MB)` },
    { measurement: 'Ledger peak RSS', figure: `${l.peak_rss_mb.toFixed(0)} MB`, detail: `100k: ${l.peak_rss_100k_mb.toFixed(0)} MB${l.peak_rss_1m_mb === null ? '' : `, 1M: ${l.peak_rss_1m_mb.toFixed(0)} MB`} (whole process, synthetic data written in it too)` },
    {
      measurement: 'Extension activation',
      figure: e.activation_ms === null ? 'n/a' : `${e.activation_ms} ms`,
      detail:
        e.activation_source === 'measured'
          ? `production bundle in ${e.vscode_version ?? 'VS Code'}, as VS Code counts it: code loading ${ms(e.code_loading_ms ?? null)} + activate() ${ms(e.activate_call_ms ?? null)}; from VS Code's activation log line ${ms(e.activation_span_ms ?? null)}`
          : e.activation_source,
      target: { max: 50 },
      value: e.activation_ms,
    },
    { measurement: 'Bundle dist/extension.js', figure: `${(e.bundle_bytes / 1024).toFixed(0)} KiB`, detail: `${e.bundle_bytes.toLocaleString('en-US')} bytes, production build${e.dist_bytes !== undefined ? `; all of dist/ (chunks loaded on first use, tokenizer) ${(e.dist_bytes / 1024).toFixed(0)} KiB` : ''}` },
    ...memoryRows(e),
    ...nodeStartupRows(e),
    { measurement: 'VSIX', figure: `${(e.vsix_bytes / 1024).toFixed(0)} KiB`, detail: `${e.vsix_bytes.toLocaleString('en-US')} bytes` },
  ];
}

function learnedPacingRows(lp: LearnedPacingFigures | undefined, x: (v: number) => string): Row[] {
  if (!lp) return [];
  return [
      { measurement: 'Learned pacing (OpenAI headers): errors the caller saw', figure: String(lp.announced.caller_errors), detail: `${lp.requests} requests at once, a ${lp.requests_per_minute}/min bucket nobody told Aurelis about; ${lp.announced.server_429s} 429s from the server, ${lp.announced.server_requests} requests sent`, target: { equals: 0 }, value: lp.announced.caller_errors },
      { measurement: 'Learned pacing (OpenAI headers): wall time ÷ minimum', figure: x(lp.announced.wall_ratio), detail: `${(lp.announced.wall_ms / 1000).toFixed(2)} s vs ${(lp.minimum_wall_ms / 1000).toFixed(2)} s`, target: { max: 1.2 }, value: lp.announced.wall_ratio },
      { measurement: 'Learned pacing (server announces nothing): errors the caller saw', figure: String(lp.silent.caller_errors), detail: `${lp.silent.server_429s} 429s from the server, ${lp.silent.server_requests} requests sent; ${(lp.silent.wall_ms / 1000).toFixed(2)} s (${x(lp.silent.wall_ratio)} the minimum)`, target: { equals: 0 }, value: lp.silent.caller_errors },
  ];
}

function teamRows(t: TeamFigures | undefined, x: (v: number) => string): Row[] {
  if (!t) return [];
  const w = t.without_redis;
  const b = t.budget;
  return [
    { measurement: `Team (${t.members} processes, Redis): errors callers saw`, figure: String(t.caller_errors), detail: `${t.requests} requests, one model at ${t.requests_per_minute}/min (window ${t.window_real_ms} ms real); server 429s: ${t.server_429s}; notices: ${t.notices}`, target: { equals: 0 }, value: t.caller_errors },
    { measurement: 'Team: wall time ÷ minimum', figure: x(t.wall_ratio), detail: `${(t.wall_ms / 1000).toFixed(2)} s vs ${(t.minimum_wall_ms / 1000).toFixed(2)} s`, target: { max: 1.15 }, value: t.wall_ratio },
    { measurement: 'Team without Redis: 429s / errors', figure: `${w.server_429s} / ${w.caller_errors}`, detail: `each process paced alone; ${w.server_requests} requests sent; errors: ${describeKinds(w.error_kinds)}; wall ${x(w.wall_ratio)}` },
    ...learnedTeamRows(t, x),
    { measurement: 'Team budget: spent beyond the limit', figure: `$${b.overshoot_usd.toFixed(4)}`, detail: `$${b.spent_usd.toFixed(2)} of $${b.limit_usd.toFixed(2)}; requests in flight could add $${b.in_flight_bound_usd.toFixed(2)}; ${b.answered} answered, ${b.refused} refused`, target: { max: b.in_flight_bound_usd }, value: b.overshoot_usd },
  ];
}

/** Absent in results written before learned limits were shared. */
function learnedTeamRows(t: TeamFigures, x: (v: number) => string): Row[] {
  const l = t.learned;
  const w = t.learned_without_redis;
  if (!l || !w) return [];
  return [
    { measurement: 'Team, limit learned from headers (Redis): errors callers saw', figure: String(l.caller_errors), detail: `a ${t.requests_per_minute}/min bucket only announced in x-ratelimit-* headers; server 429s: ${l.server_429s}; ${l.server_requests} requests sent`, target: { equals: 0 }, value: l.caller_errors },
    { measurement: 'Team, limit learned from headers: wall time ÷ minimum', figure: x(l.wall_ratio), detail: `${(l.wall_ms / 1000).toFixed(2)} s vs ${(l.minimum_wall_ms / 1000).toFixed(2)} s (the bucket at once, then one per refill)`, target: { max: 1.2 }, value: l.wall_ratio },
    { measurement: 'Team, limit learned from headers, without Redis: 429s / errors', figure: `${w.server_429s} / ${w.caller_errors}`, detail: `each process learned alone; ${w.server_requests} requests sent; errors: ${describeKinds(w.error_kinds)}; wall ${x(w.wall_ratio)}` },
  ];
}

function describeKinds(kinds: Record<string, number>): string {
  const parts = Object.entries(kinds).map(([k, n]) => `${n} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const HEADER = ['Measurement', 'Result', 'Baseline / detail', 'Target', 'Met'];

function cells(row: Row): string[] {
  return [row.measurement, row.figure, row.detail, targetText(row.target), verdict(row)];
}

/** Columns padded to their widest cell, for the terminal. */
export function textTable(table: readonly Row[]): string {
  const all = [HEADER, ...table.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map((r) => line(cells(r)))].join('\n');
}

/** A GitHub-flavoured Markdown table (pipes in cells escaped). */
export function markdownTable(table: readonly Row[]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  const line = (r: string[]): string => `| ${r.map(esc).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...table.map((r) => line(cells(r)))].join('\n');
}

/** The memory Aurelis adds to the extension host; absent from results written before it was measured. */
function memoryRows(e: ExtensionFigures): Row[] {
  const mb = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v} MB`);
  if (e.rss_added_at_rest_mb === undefined) return [];
  return [
    { measurement: 'Memory added at rest', figure: `${mb(e.rss_added_at_rest_mb)} RSS`, detail: `heap ${mb(e.heap_added_at_rest_mb)}; activated, status bar shown, after a full GC; extension host with Aurelis less one without it (medians of the host runs)` },
    { measurement: 'Memory added after the first request', figure: `${mb(e.rss_added_after_request_mb)} RSS`, detail: `heap ${mb(e.heap_added_after_request_mb)}; one Explain against a loopback server (that request alone: ${mb(e.rss_first_request_mb)} RSS, heap ${mb(e.heap_first_request_mb)})` },
  ];
}

/** The production bundle alone in plain Node (vscode stubbed); absent from older results. */
function nodeStartupRows(e: ExtensionFigures): Row[] {
  const n = e.node;
  if (!n) return [];
  return [
    { measurement: 'Start-up in plain Node: require', figure: `${n.require_ms} ms`, detail: `activate() ${n.activate_ms} ms; ${(n.startup_bytes / 1024).toFixed(0)} KiB of files loaded until the status bar shows spend` },
    { measurement: 'Start-up in plain Node: memory added', figure: `${n.rss_added_at_rest_mb} MB RSS`, detail: `heap ${n.heap_added_at_rest_mb} MB at rest; with the core built (no request yet) ${n.rss_added_core_mb} MB RSS, heap ${n.heap_added_core_mb} MB` },
  ];
}
