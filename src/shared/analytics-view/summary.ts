/**
 * The figures the analytics panel and the HTML report show, derived from one AnalyticsReport.
 * Both render from these, so a number in an exported report is the number that was on screen.
 */
import type { AnalyticsReport, BudgetStatus, LatencyStats, UsageTotals } from '../analyticsReport';
import type { ProviderId } from '../providerIds';
import { NO_VALUE, formatCompact, formatCount, formatDateTime, formatMs, formatPercent, formatSpentOf, formatUnitCost, formatUsd } from '../format';
import { BUDGET_PERIOD_NAMES, ERROR_KIND_NAMES, PROVIDER_NAMES, TASK_NAMES, modelLabel } from '../labels';

export interface SummaryCard {
  id: 'requests' | 'tokens' | 'cost' | 'cacheHitRate' | 'errorRate' | 'latency';
  label: string;
  value: string;
  detail: string;
}

/** errors / requests; null with no requests. */
export function errorRate(t: UsageTotals): number | null {
  return t.requests === 0 ? null : t.errors / t.requests;
}

export function successRate(t: UsageTotals): number | null {
  return t.requests === 0 ? null : t.succeeded / t.requests;
}

/**
 * Average cost of the requests whose price is known; null when none is — or when every request
 * that cost anything had an unknown price (the priced rest are then only free cache hits, and
 * "$0.00 per request" would be a made-up figure).
 */
export function costPerRequest(t: UsageTotals): number | null {
  const priced = t.requests - t.unpricedRequests;
  if (priced <= 0 || (t.unpricedRequests > 0 && t.costUsd === 0)) return null;
  return t.costUsd / priced;
}

/**
 * The total cost, never pretending an unknown price is $0: "price unknown" when nothing priced
 * cost anything, "≥ $1.20" when part of the total is unknown.
 */
export function costText(t: UsageTotals): string {
  if (t.unpricedRequests === 0) return formatUsd(t.costUsd);
  return t.costUsd === 0 ? 'price unknown' : `≥ ${formatUsd(t.costUsd)}`;
}

/** How much of the period's spend the providers reported and how much is our estimate from prices. */
export function costSourceText(t: UsageTotals): string {
  if (t.costUsd <= 0) return '';
  if (t.reportedCostUsd <= 0) return 'all estimated from prices';
  const estimated = Math.max(0, t.costUsd - t.reportedCostUsd);
  if (estimated <= 0) return 'all reported by the providers';
  return `${formatUsd(t.reportedCostUsd)} reported by the providers, ${formatUsd(estimated)} estimated`;
}

function latencyText(l: LatencyStats): string {
  return l.samples === 0 ? NO_VALUE : `${formatMs(l.p50Ms)} / ${formatMs(l.p95Ms)}`;
}

export function summaryCards(report: AnalyticsReport): SummaryCard[] {
  const t = report.totals;
  const perRequest = costPerRequest(t);
  return [
    { id: 'requests', label: 'Requests', value: formatCount(t.requests), detail: `${formatCount(t.succeeded)} answered, ${formatCount(t.cacheHits)} from cache` },
    {
      id: 'tokens',
      label: 'Tokens',
      value: formatCompact(t.totalTokens),
      detail: `${formatCompact(t.promptTokens)} prompt, ${formatCompact(t.completionTokens)} completion`,
    },
    {
      id: 'cost',
      label: 'Cost',
      value: costText(t),
      detail: [
        t.unpricedRequests > 0 ? `${formatCount(t.unpricedRequests)} request(s) with unknown price not included` : perRequest === null ? 'no requests' : `${formatUnitCost(perRequest)} per request`,
        costSourceText(t),
      ]
        .filter((part) => part !== '')
        .join('; '),
    },
    { id: 'cacheHitRate', label: 'Cache hit rate', value: formatPercent(report.cache.hitRate), detail: `${formatCount(report.cache.hits)} of ${formatCount(report.cache.answered)} answers` },
    {
      id: 'errorRate',
      label: 'Error rate',
      value: formatPercent(errorRate(t)),
      detail: `${formatCount(t.errors)} failed (${formatCount(t.cancelled)} cancelled, ${formatCount(t.budgetRefusals)} over budget)`,
    },
    {
      id: 'latency',
      label: 'Latency p50 / p95',
      value: latencyText(report.latency),
      detail: report.latency.ttftSamples > 0 ? `first token ${formatMs(report.latency.ttftP50Ms)} / ${formatMs(report.latency.ttftP95Ms)}` : `${formatCount(report.latency.samples)} timed answers`,
    },
  ];
}

export interface BudgetBar {
  label: string;
  /** `$4.20 of $5.00` / `12,000 of 50,000 tokens`. */
  text: string;
  /** Share of the bar to fill, 0..1 (capped; `fraction` may exceed 1). */
  fill: number;
  fraction: number;
  warnAt: number;
  stopAt: number;
  state: BudgetStatus['state'];
  /** Where the thresholds sit on the bar, 0..1. */
  warnMark: number;
  stopMark: number;
}

/**
 * The bar's scale runs to the stop threshold or the spend, whichever is larger (at least the
 * limit), so both marks are always on the bar and an overspend is visible as such.
 */
export function budgetBars(budgets: readonly BudgetStatus[]): BudgetBar[] {
  return budgets.map((b) => {
    const scale = Math.max(1, b.stopAt, b.fraction);
    return {
      label: `${BUDGET_PERIOD_NAMES[b.period]} ${b.unit === 'usd' ? 'spend' : 'tokens'}`,
      text: `${formatSpentOf(b.spent, b.limit, b.unit)} (${formatPercent(b.fraction)})`,
      fill: Math.min(1, b.fraction / scale),
      fraction: b.fraction,
      warnAt: b.warnAt,
      stopAt: b.stopAt,
      state: b.state,
      warnMark: Math.min(1, b.warnAt / scale),
      stopMark: Math.min(1, b.stopAt / scale),
    };
  });
}

export interface TableColumn {
  label: string;
  numeric: boolean;
}

export interface Table {
  caption: string;
  columns: TableColumn[];
  rows: string[][];
  /** Said instead of an empty table. */
  empty: string;
}

const col = (label: string, numeric = true): TableColumn => ({ label, numeric });

export function modelPerformanceTable(report: AnalyticsReport): Table {
  return {
    caption: 'Per-model performance',
    columns: [col('Model', false), col('Provider', false), col('Requests'), col('Success rate'), col('Median latency'), col('p95 latency'), col('Tokens'), col('Cost'), col('Cost per request')],
    rows: report.byModel.map((m) => {
      const perRequest = costPerRequest(m.totals);
      return [
        m.model,
        PROVIDER_NAMES[m.provider],
        formatCount(m.totals.requests),
        formatPercent(successRate(m.totals)),
        formatMs(m.latency.p50Ms),
        formatMs(m.latency.p95Ms),
        formatCount(m.totals.totalTokens),
        costText(m.totals),
        perRequest === null ? 'price unknown' : formatUnitCost(perRequest),
      ];
    }),
    empty: 'No requests in this period.',
  };
}

export function taskTable(report: AnalyticsReport): Table {
  return {
    caption: 'Requests by task',
    columns: [col('Task', false), col('Requests'), col('Success rate'), col('Tokens'), col('Cost')],
    rows: report.byTask.map((t) => [TASK_NAMES[t.task], formatCount(t.totals.requests), formatPercent(successRate(t.totals)), formatCount(t.totals.totalTokens), costText(t.totals)]),
    empty: 'No requests in this period.',
  };
}

/** Per prompt file, by name: what each of the team's prompts costs (Run Prompt, Evaluate Prompt and its judges). */
export function promptTable(report: AnalyticsReport): Table {
  return {
    caption: 'Requests by prompt file',
    columns: [col('Prompt', false), col('Requests'), col('Success rate'), col('Tokens'), col('Cost'), col('Median latency')],
    rows: report.byPrompt.map((p) => [p.prompt, formatCount(p.totals.requests), formatPercent(successRate(p.totals)), formatCount(p.totals.totalTokens), costText(p.totals), formatMs(p.latency.p50Ms)]),
    empty: 'No prompt files were run in this period.',
  };
}

export function providerTable(report: AnalyticsReport): Table {
  return {
    caption: 'Requests by provider',
    columns: [col('Provider', false), col('Requests'), col('Success rate'), col('Tokens'), col('Cost')],
    rows: report.byProvider.map((p) => [PROVIDER_NAMES[p.provider], formatCount(p.totals.requests), formatPercent(successRate(p.totals)), formatCount(p.totals.totalTokens), costText(p.totals)]),
    empty: 'No requests in this period.',
  };
}

export function errorKindTable(report: AnalyticsReport): Table {
  return {
    caption: 'Errors by kind',
    columns: [col('Kind', false), col('Count'), col('Share of requests')],
    rows: report.errorsByKind.map((e) => [ERROR_KIND_NAMES[e.kind], formatCount(e.count), formatPercent(e.rate)]),
    empty: 'No errors in this period.',
  };
}

/** Never prompt content: the ledger keeps only a scrubbed one-line summary of each failure. */
export function recentFailuresTable(report: AnalyticsReport): Table {
  return {
    caption: 'Recent failures',
    columns: [col('Time', false), col('Model', false), col('Task', false), col('Error', false), col('Message', false)],
    rows: report.recentFailures.map((f) => [formatDateTime(f.ts), modelLabel(f.provider, f.model), TASK_NAMES[f.task], ERROR_KIND_NAMES[f.kind], f.message ?? NO_VALUE]),
    empty: 'No failures in this period.',
  };
}

export function costPerDayTable(report: AnalyticsReport): Table {
  const series = report.costPerDay.series;
  return {
    caption: 'Cost per day by model',
    columns: [col('Day', false), ...seriesLabels(series).map((label) => col(label)), col('Total')],
    rows: report.costPerDay.days.map((day, i) => [day, ...series.map((s) => formatUsd(s.usd[i] ?? 0)), formatUsd(report.costPerDay.totalUsd[i] ?? 0)]),
    empty: 'No days in this period.',
  };
}

/** Short legend text for a model series: the provider only when two models share a name. */
export function seriesLabels(series: readonly { provider: ProviderId; model: string }[]): string[] {
  const names = series.map((s) => s.model);
  return series.map((s) => (names.filter((n) => n === s.model).length > 1 ? modelLabel(s.provider, s.model) : s.model));
}
