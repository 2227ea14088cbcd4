/**
 * The queries the status bar and the analytics panel call. Every answer is an aggregate from
 * src/shared/analyticsReport.ts (validated shapes, no ledger rows); exports are the one place records
 * leave, and only into a file the user asked for.
 */
import type { Clock } from '../host';
import { systemClock } from '../host';
import type { UsageRecord } from '../pipeline';
import type { Settings } from '../settings';
import type { AnalyticsFilter, AnalyticsReport, BudgetStatus, ExportFormat, StatusSummary, UsageTotals } from '../../shared/analyticsReport';
import { analyseSlice, totalsFor, type RowSelection } from './analyticsQueries';
import { budgetStatuses, tightest } from '../budget/budgetStatus';
import { csvChunks, jsonChunks, prometheusText } from './usageExports';
import { localTimeZone, resolvePeriod, startOfLocalMonth, addLocalDays, startOfLocalDay } from './periods';
import type { UsageLedger } from '../ledger/usageLedger';

export interface UsageAnalyticsOptions {
  ledger: UsageLedger;
  settings: () => Settings;
  clock?: Clock;
}

export class UsageAnalytics {
  private readonly clock: Clock;

  constructor(private readonly options: UsageAnalyticsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async report(filter: AnalyticsFilter): Promise<AnalyticsReport> {
    const rows = await this.options.ledger.rows();
    const now = this.clock.now();
    const sel = this.selection(filter, now);
    const slice = analyseSlice(rows, sel);
    return {
      generatedAt: now,
      filter,
      range: { from: sel.from, to: sel.to },
      timeZone: localTimeZone(),
      ...slice,
      cache: cacheRate(slice.totals),
      budgets: budgetStatuses(rows, this.options.settings().budgets, now),
    };
  }

  async totals(filter: AnalyticsFilter): Promise<UsageTotals> {
    return totalsFor(await this.options.ledger.rows(), this.selection(filter, this.clock.now()));
  }

  async budgets(): Promise<BudgetStatus[]> {
    return budgetStatuses(await this.options.ledger.rows(), this.options.settings().budgets, this.clock.now());
  }

  /** Today's and this month's totals and the budgets: what the status bar shows. */
  async statusSummary(): Promise<StatusSummary> {
    const rows = await this.options.ledger.rows();
    const now = this.clock.now();
    const tomorrow = addLocalDays(now, 1);
    const budgets = budgetStatuses(rows, this.options.settings().budgets, now);
    return {
      generatedAt: now,
      today: totalsFor(rows, { from: startOfLocalDay(now), to: tomorrow }),
      thisMonth: totalsFor(rows, { from: startOfLocalMonth(now), to: tomorrow }),
      budgets,
      tightestBudget: tightest(budgets),
    };
  }

  /** The filtered history in a format, as chunks to write to a file in order. */
  async *export(format: ExportFormat, filter: AnalyticsFilter): AsyncGenerator<string> {
    const sel = this.selection(filter, this.clock.now());
    switch (format) {
      case 'csv':
        yield* csvChunks(this.records(sel));
        return;
      case 'json':
        yield* jsonChunks(await this.report(filter), this.records(sel));
        return;
      case 'prometheus':
        yield prometheusText(await this.options.ledger.rows(), sel);
        return;
    }
  }

  private async *records(sel: RowSelection): AsyncGenerator<UsageRecord> {
    for await (const r of this.options.ledger.readRecords({ from: sel.from, to: sel.to })) {
      if (sel.provider !== undefined && r.provider !== sel.provider) continue;
      if (sel.model !== undefined && r.model !== sel.model) continue;
      if (sel.task !== undefined && r.task !== sel.task) continue;
      yield r;
    }
  }

  private selection(filter: AnalyticsFilter, now: number): RowSelection {
    return { ...resolvePeriod(filter.period, now), provider: filter.provider, model: filter.model, task: filter.task };
  }
}

function cacheRate(t: UsageTotals): AnalyticsReport['cache'] {
  return { hits: t.cacheHits, answered: t.succeeded, hitRate: t.succeeded === 0 ? null : t.cacheHits / t.succeeded };
}

/** Concatenates an export (for tests and small exports; write large ones chunk by chunk). */
export async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}
