import type { AnalyticsReport, StatusSummary, UsageTotals } from '../shared/analyticsReport';
import { addLocalDays, startOfLocalWeek } from '../core/reports/periods';
import type { SpendFigures, SpendTotals } from './budgetStatusBar';

/** The queries of UsageAnalytics the status bar needs. */
export interface SpendQueries {
  statusSummary(): Promise<StatusSummary>;
  totals(filter: { period: { kind: 'custom'; from: number; to: number } }): Promise<UsageTotals>;
  report(filter: { period: { kind: 'thisMonth' } }): Promise<AnalyticsReport>;
}

/** Today / this week / this month, the budgets, this month's top models and cache hit rate. */
export async function spendFigures(queries: SpendQueries, now: number): Promise<SpendFigures> {
  const [summary, week, month] = await Promise.all([
    queries.statusSummary(),
    queries.totals({ period: { kind: 'custom', from: startOfLocalWeek(now), to: addLocalDays(now, 1) } }),
    queries.report({ period: { kind: 'thisMonth' } }),
  ]);
  return {
    today: totals(summary.today),
    week: totals(week),
    month: totals(summary.thisMonth),
    budgets: summary.budgets.map((b) => ({ period: b.period, unit: b.unit, limit: b.limit, spent: b.spent, fraction: b.fraction })),
    topModels: [...month.byModel]
      .sort((a, b) => b.totals.costUsd - a.totals.costUsd || b.totals.requests - a.totals.requests)
      .slice(0, 3)
      .map((m) => ({ label: m.model, costUsd: m.totals.costUsd, requests: m.totals.requests, unpricedRequests: m.totals.unpricedRequests })),
    cacheHitRate: month.cache.hitRate,
  };
}

function totals(t: UsageTotals): SpendTotals {
  return { costUsd: t.costUsd, requests: t.requests, unpricedRequests: t.unpricedRequests };
}
