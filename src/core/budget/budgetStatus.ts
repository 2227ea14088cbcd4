/**
 * How much of each configured budget the current local day, week and month have used, read
 * from the ledger's index. Shared by the budget gate (before each request) and by the status
 * bar and analytics panel, so they can never disagree.
 *
 * What counts: tokens are prompt + completion; dollars are the recorded cost of requests whose
 * price was known. Cache hits count for nothing (nothing was sent). A request with tokens but
 * an unknown price adds its tokens to token budgets and is counted in `unpricedRequests`.
 */
import type { UsageRecord } from '../pipeline';
import type { Settings } from '../settings';
import type { BudgetPeriod, BudgetStatus, BudgetUnit } from '../../shared/analyticsReport';
import { budgetPeriod, type Period } from '../reports/periods';
import * as flags from '../ledger/ledgerIndex';
import type { UsageRows } from '../ledger/ledgerIndex';
import { SettingsMemo } from '../settingsMemo';

/** A plain constant for the hot loop (imported bindings can be getters under some loaders). */
const FLAG_CACHE_HIT = flags.FLAG_CACHE_HIT;

type Budgets = Settings['budgets'];

export interface Spend {
  usd: number;
  tokens: number;
  unpricedRequests: number;
}

export interface BudgetLimit {
  period: BudgetPeriod;
  unit: BudgetUnit;
  limit: number;
}

const LIMIT_KEYS: ReadonlyArray<{ period: BudgetPeriod; unit: BudgetUnit; key: keyof Budgets }> = [
  { period: 'daily', unit: 'usd', key: 'dailyUsd' },
  { period: 'daily', unit: 'tokens', key: 'dailyTokens' },
  { period: 'weekly', unit: 'usd', key: 'weeklyUsd' },
  { period: 'weekly', unit: 'tokens', key: 'weeklyTokens' },
  { period: 'monthly', unit: 'usd', key: 'monthlyUsd' },
  { period: 'monthly', unit: 'tokens', key: 'monthlyTokens' },
];

/** The limits of one budgets object (settings are a new object when they change). */
const limitsOf = new SettingsMemo<readonly Readonly<BudgetLimit>[]>();

export function configuredLimits(budgets: Budgets): readonly Readonly<BudgetLimit>[] {
  return limitsOf.get(budgets, 'limits', () => {
    const limits: BudgetLimit[] = [];
    for (const { period, unit, key } of LIMIT_KEYS) {
      const limit = budgets[key];
      if (typeof limit === 'number' && limit > 0) limits.push(Object.freeze({ period, unit, limit }));
    }
    return Object.freeze(limits);
  });
}

export type PeriodSpend = Record<BudgetPeriod, Spend & Period>;

function emptySpend(now: number): PeriodSpend {
  return {
    daily: { ...budgetPeriod('daily', now), usd: 0, tokens: 0, unpricedRequests: 0 },
    weekly: { ...budgetPeriod('weekly', now), usd: 0, tokens: 0, unpricedRequests: 0 },
    monthly: { ...budgetPeriod('monthly', now), usd: 0, tokens: 0, unpricedRequests: 0 },
  };
}

/** Adds rows `start..end` of the index to the periods they fall in (cache hits cost nothing). */
function addRows(periods: PeriodSpend, rows: UsageRows, start: number, end: number): void {
  const all = [periods.daily, periods.weekly, periods.monthly];
  const earliest = Math.min(periods.weekly.start, periods.monthly.start);
  const latest = Math.max(periods.weekly.end, periods.monthly.end);
  const { ts, flags, promptTokens, completionTokens, costUsd } = rows;
  for (let i = start; i < end; i++) {
    const t = ts[i] as number;
    if (t < earliest || t >= latest || ((flags[i] as number) & FLAG_CACHE_HIT) !== 0) continue;
    const tokens = (promptTokens[i] as number) + (completionTokens[i] as number);
    const cost = costUsd[i] as number;
    for (const p of all) {
      if (t < p.start || t >= p.end) continue;
      p.tokens += tokens;
      if (Number.isNaN(cost)) {
        if (tokens > 0) p.unpricedRequests++;
      } else p.usd += cost;
    }
  }
}

/**
 * `spend` plus records not yet in the index (this process's own, on their way to the file),
 * counted by the same rules as `addRows`. A copy: the tally's running figures stay as they are.
 */
export function withRecords(spend: PeriodSpend, records: readonly { readonly record: UsageRecord }[]): PeriodSpend {
  const periods: PeriodSpend = { daily: { ...spend.daily }, weekly: { ...spend.weekly }, monthly: { ...spend.monthly } };
  addRecords(periods, records, 0);
  return periods;
}

/** Adds `records` from `from` on to `periods` (in place), by the rules of `addRows`. */
function addRecords(periods: PeriodSpend, records: readonly { readonly record: UsageRecord }[], from: number): void {
  const all = [periods.daily, periods.weekly, periods.monthly];
  for (let i = from; i < records.length; i++) {
    const { record } = records[i] as { readonly record: UsageRecord };
    if (record.cacheHit) continue;
    const tokens = record.promptTokens + record.completionTokens;
    for (const p of all) {
      if (record.ts < p.start || record.ts >= p.end) continue;
      p.tokens += tokens;
      if (record.costUsd === null) {
        if (tokens > 0) p.unpricedRequests++;
      } else p.usd += record.costUsd;
    }
  }
}

/** Spend in the local day, week and month containing `now`, in one pass over the index. */
export function currentSpend(rows: UsageRows, now: number): PeriodSpend {
  const periods = emptySpend(now);
  const earliest = Math.min(periods.weekly.start, periods.monthly.start);
  const latest = Math.max(periods.weekly.end, periods.monthly.end);
  rows.forEachSpan(earliest, latest, (start, end) => addRows(periods, rows, start, end));
  return periods;
}

/**
 * `currentSpend` kept up to date as the index grows: the index only ever appends rows, so a
 * check adds just the rows that arrived since the last one instead of rescanning the month. It
 * starts over when the periods roll over or the ledger hands over a new index (retention).
 */
export class SpendTally {
  private rows: UsageRows | undefined;
  private periods: PeriodSpend | undefined;
  private counted = 0;
  /** The last `withUnread` figure, and what it was made of, to add only the records taken since. */
  private unreadSum: { spend: PeriodSpend; base: PeriodSpend; rowsCounted: number; list: readonly unknown[]; count: number; last: unknown } | undefined;

  /**
   * `of`, plus records not yet in the index (this process's own, on their way to the file). They
   * are only ever appended until a read brings them into the index (which changes the rows
   * counted) or retention hands over a new list, so the records taken since the last check are
   * added to its figure; anything else is added up again.
   */
  withUnread(rows: UsageRows, unread: readonly { readonly record: UsageRecord }[], now: number): PeriodSpend {
    const counted = this.of(rows, now);
    if (unread.length === 0) return counted;
    const u = this.unreadSum;
    if (u !== undefined && u.base === counted && u.rowsCounted === this.counted && u.list === unread && unread.length >= u.count && unread[u.count - 1] === u.last) {
      addRecords(u.spend, unread, u.count);
    } else {
      this.unreadSum = { spend: withRecords(counted, unread), base: counted, rowsCounted: this.counted, list: unread, count: 0, last: undefined };
    }
    const sum = this.unreadSum as NonNullable<typeof this.unreadSum>;
    sum.count = unread.length;
    sum.last = unread[unread.length - 1];
    return sum.spend;
  }

  of(rows: UsageRows, now: number): PeriodSpend {
    const periods = this.periods;
    const samePeriods = periods !== undefined && within(periods.daily, now) && within(periods.weekly, now) && within(periods.monthly, now);
    if (!samePeriods || rows !== this.rows || rows.length < this.counted) {
      this.periods = currentSpend(rows, now);
      this.rows = rows;
      this.counted = rows.length;
      return this.periods;
    }
    addRows(periods, rows, this.counted, rows.length);
    this.counted = rows.length;
    return periods;
  }
}

function within(period: Period, now: number): boolean {
  return now >= period.start && now < period.end;
}

/** Tolerance for comparing dollar sums, which carry floating-point dust. */
export const EPSILON = 1e-9;

export function stateOf(fraction: number, budgets: Budgets): BudgetStatus['state'] {
  if (fraction >= budgets.stopAt - EPSILON) return 'stop';
  if (fraction >= budgets.throttleAt - EPSILON) return 'throttle';
  if (fraction >= budgets.warnAt - EPSILON) return 'warn';
  return 'ok';
}

export function budgetStatuses(rows: UsageRows, budgets: Budgets, now: number): BudgetStatus[] {
  const limits = configuredLimits(budgets);
  if (limits.length === 0) return [];
  const spend = currentSpend(rows, now);
  return limits.map(({ period, unit, limit }) => {
    const s = spend[period];
    const spent = unit === 'usd' ? s.usd : s.tokens;
    const fraction = spent / limit;
    return {
      period,
      unit,
      limit,
      spent,
      fraction,
      warnAt: budgets.warnAt,
      throttleAt: budgets.throttleAt,
      stopAt: budgets.stopAt,
      periodStart: s.start,
      periodEnd: s.end,
      state: stateOf(fraction, budgets),
      unpricedRequests: unit === 'usd' ? s.unpricedRequests : 0,
    };
  });
}

/** The budget nearest to (or furthest past) its limit. */
export function tightest(statuses: BudgetStatus[]): BudgetStatus | null {
  let best: BudgetStatus | null = null;
  for (const s of statuses) if (!best || s.fraction > best.fraction) best = s;
  return best;
}
