/**
 * What each chart of the panel shows, computed from the report: categories, series, a one-line
 * summary for screen readers (the canvas's description) and the same numbers as a table behind
 * "Show the numbers". No DOM here, so it is unit-tested in plain Node.
 */
import type { AnalyticsReport, CostPerDay } from '../analyticsReport';
import { formatCount, formatHour, formatMs, formatPercent, formatUsd } from '../format';
import { TASK_NAMES } from '../labels';
import { seriesLabels, type Table } from './summary';

/** Models beyond this many are summed into one "Other models" series, so colours stay distinct. */
export const MAX_COST_SERIES = 6;
/** Bars beyond this many are summed into "Other models". */
export const MAX_MODEL_BARS = 10;

export type ValueUnit = 'usd' | 'count';

export interface ChartSeries {
  label: string;
  values: number[];
  color: 'ok' | 'error' | number;
}

export interface ChartData {
  labels: string[];
  series: ChartSeries[];
  horizontal: boolean;
  stacked: boolean;
  unit: ValueUnit;
  valueTitle: string;
  /** One or two sentences a screen reader reads for the chart. */
  summary: string;
  table: Table;
}

const col = (label: string, numeric = true) => ({ label, numeric });

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `03-08`: short enough for 30 labels on one axis. */
function shortDay(day: string): string {
  return day.slice(5);
}

export function costChart(trend: CostPerDay): ChartData {
  const labels = seriesLabels(trend.series);
  const ranked = trend.series.map((s, i) => ({ label: labels[i] ?? s.model, values: s.usd, total: sum(s.usd) })).filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total);
  const shown = ranked.slice(0, MAX_COST_SERIES);
  const rest = ranked.slice(MAX_COST_SERIES);
  const series: ChartSeries[] = shown.map((s, i) => ({ label: s.label, values: s.values, color: i }));
  if (rest.length > 0) {
    series.push({ label: `${rest.length} other model(s)`, values: trend.days.map((_, d) => sum(rest.map((s) => s.values[d] ?? 0))), color: MAX_COST_SERIES });
  }
  const total = sum(trend.totalUsd);
  let peak = -1;
  trend.totalUsd.forEach((v, i) => {
    if (peak === -1 || v > (trend.totalUsd[peak] ?? 0)) peak = i;
  });
  const first = trend.days[0];
  const last = trend.days[trend.days.length - 1];
  const summary =
    total === 0 || first === undefined || last === undefined
      ? 'No cost recorded in these days.'
      : `${formatUsd(total)} from ${first} to ${last}; the most expensive day was ${trend.days[peak] ?? ''} at ${formatUsd(trend.totalUsd[peak] ?? 0)}` +
        (shown[0] ? `; ${shown[0].label} cost the most (${formatUsd(shown[0].total)}).` : '.');
  const unpriced = sum(trend.unpricedRequests);
  return {
    labels: trend.days.map(shortDay),
    series,
    horizontal: false,
    stacked: true,
    unit: 'usd',
    valueTitle: 'US dollars',
    summary: unpriced > 0 ? `${summary} ${formatCount(unpriced)} request(s) with unknown price are not included.` : summary,
    table: {
      caption: 'Cost per day by model',
      columns: [col('Day', false), ...series.map((s) => col(s.label)), col('Total')],
      rows: trend.days.map((day, d) => [day, ...series.map((s) => formatUsd(s.values[d] ?? 0)), formatUsd(trend.totalUsd[d] ?? 0)]),
      empty: 'No days in this range.',
    },
  };
}

interface CountRow {
  label: string;
  ok: number;
  failed: number;
}

function answeredFailedChart(caption: string, category: string, rows: CountRow[]): ChartData {
  const top = rows.slice(0, 3).map((r) => `${r.label} ${formatCount(r.ok + r.failed)}${r.failed > 0 ? ` (${formatCount(r.failed)} failed)` : ''}`);
  return {
    labels: rows.map((r) => r.label),
    series: [
      { label: 'Answered', values: rows.map((r) => r.ok), color: 'ok' },
      { label: 'Failed', values: rows.map((r) => r.failed), color: 'error' },
    ],
    horizontal: true,
    stacked: true,
    unit: 'count',
    valueTitle: 'Requests',
    summary: rows.length === 0 ? 'No requests in this period.' : `${caption}, most first: ${top.join('; ')}${rows.length > 3 ? `; and ${rows.length - 3} more` : ''}.`,
    table: {
      caption,
      columns: [col(category, false), col('Answered'), col('Failed'), col('Total')],
      rows: rows.map((r) => [r.label, formatCount(r.ok), formatCount(r.failed), formatCount(r.ok + r.failed)]),
      empty: 'No requests in this period.',
    },
  };
}

export function modelsChart(report: AnalyticsReport): ChartData {
  const labels = seriesLabels(report.byModel);
  const rows = report.byModel.map((m, i) => ({ label: labels[i] ?? m.model, ok: m.totals.succeeded, failed: m.totals.errors }));
  const shown = rows.slice(0, MAX_MODEL_BARS);
  const rest = rows.slice(MAX_MODEL_BARS);
  if (rest.length > 0) shown.push({ label: `${rest.length} other model(s)`, ok: sum(rest.map((r) => r.ok)), failed: sum(rest.map((r) => r.failed)) });
  return answeredFailedChart('Requests by model', 'Model', shown);
}

export function tasksChart(report: AnalyticsReport): ChartData {
  return answeredFailedChart(
    'Requests by task',
    'Task',
    report.byTask.map((t) => ({ label: TASK_NAMES[t.task], ok: t.totals.succeeded, failed: t.totals.errors })),
  );
}

export function hoursChart(report: AnalyticsReport): ChartData {
  const counts = report.requestsByHour;
  const total = sum(counts);
  const ranked = counts.map((n, h) => ({ n, h })).sort((a, b) => b.n - a.n || a.h - b.h);
  const peaks = ranked.slice(0, 3).filter((p) => p.n > 0);
  return {
    labels: counts.map((_, h) => String(h).padStart(2, '0')),
    series: [{ label: 'Requests', values: [...counts], color: 0 }],
    horizontal: false,
    stacked: false,
    unit: 'count',
    valueTitle: 'Requests',
    summary:
      total === 0
        ? 'No requests in this period.'
        : `Busiest hours (${report.timeZone}): ${peaks.map((p) => `${formatHour(p.h)} with ${formatCount(p.n)}`).join(', ')}; ${formatCount(total)} requests in all.`,
    table: {
      caption: 'Requests by hour of day',
      columns: [col('Hour', false), col('Requests')],
      rows: counts.map((n, h) => [formatHour(h), formatCount(n)]),
      empty: 'No requests in this period.',
    },
  };
}

/** `≤ 250 ms`, `≤ 1 s`, `> 2 min`: each bucket named by its upper bound, the last by the bound it exceeds. */
export function latencyBucketLabels(boundsMs: readonly number[]): string[] {
  const short = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);
  const last = boundsMs[boundsMs.length - 1];
  return [...boundsMs.map((b) => `≤ ${short(b)}`), last === undefined ? 'all' : `> ${short(last)}`];
}

export function latencyChart(report: AnalyticsReport): ChartData {
  const { boundsMs, counts } = report.latencyHistogram;
  const labels = latencyBucketLabels(boundsMs);
  const total = sum(counts);
  const { p50Ms, p95Ms } = report.latency;
  return {
    labels,
    series: [{ label: 'Answers', values: [...counts], color: 3 }],
    horizontal: false,
    stacked: false,
    unit: 'count',
    valueTitle: 'Answers',
    summary:
      total === 0
        ? 'No timed answers in this period (cache hits and failures are not timed).'
        : `${formatCount(total)} answers: half within ${formatMs(p50Ms)}, 95 % within ${formatMs(p95Ms)}; the largest group took ${labels[counts.indexOf(Math.max(...counts))] ?? ''}.`,
    table: {
      caption: 'Latency distribution',
      columns: [col('Latency', false), col('Answers'), col('Share')],
      rows: counts.map((n, i) => [labels[i] ?? '', formatCount(n), total === 0 ? '—' : formatPercent(n / total)]),
      empty: 'No timed answers in this period.',
    },
  };
}
