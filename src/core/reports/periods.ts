/**
 * Calendar periods in the user's local time: the time zone of the process (VS Code's extension
 * host inherits the system's). JavaScript's local-time Date arithmetic handles daylight saving
 * (23- and 25-hour days) and zones whose offset is not whole hours; a local midnight that does
 * not exist (a DST jump at 00:00) resolves to the first instant of that day.
 *
 * Weeks start on Monday (ISO 8601), whatever the locale.
 */
import type { AnalyticsPeriod, BudgetPeriod, TimeRange } from '../../shared/analyticsReport';

export interface Period {
  start: number;
  /** Start of the next period (exclusive end). */
  end: number;
}

export function startOfLocalDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Start of the local day `days` calendar days after the day containing `ms` (negative: before). */
export function addLocalDays(ms: number, days: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days).getTime();
}

export function startOfLocalWeek(ms: number): number {
  const sinceMonday = (new Date(ms).getDay() + 6) % 7;
  return addLocalDays(ms, -sinceMonday);
}

export function startOfLocalMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

function startOfNextLocalMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
}

/** The local day, week or month containing `now`. */
export function budgetPeriod(period: BudgetPeriod, now: number): Period {
  switch (period) {
    case 'daily':
      return { start: startOfLocalDay(now), end: addLocalDays(now, 1) };
    case 'weekly': {
      const start = startOfLocalWeek(now);
      return { start, end: addLocalDays(start, 7) };
    }
    case 'monthly':
      return { start: startOfLocalMonth(now), end: startOfNextLocalMonth(now) };
  }
}

/** `YYYY-MM-DD` of the local day containing `ms`. */
export function localDayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function localHour(ms: number): number {
  return new Date(ms).getHours();
}

/** The IANA name of the zone local time is counted in (for display). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The `[from, to)` an analytics period covers at `now`. Fixed periods end with today (the start
 * of tomorrow), so a chart of "last 7 days" always shows seven whole local days.
 */
export function resolvePeriod(period: AnalyticsPeriod, now: number): TimeRange {
  const tomorrow = addLocalDays(now, 1);
  switch (period.kind) {
    case 'today':
      return { from: startOfLocalDay(now), to: tomorrow };
    case 'last7Days':
      return { from: addLocalDays(now, -6), to: tomorrow };
    case 'last30Days':
      return { from: addLocalDays(now, -29), to: tomorrow };
    case 'thisMonth':
      return { from: startOfLocalMonth(now), to: tomorrow };
    case 'custom':
      return { from: period.from, to: period.to };
  }
}

/** Local day starts from the day containing `from` up to the first one at or after `to`. */
export function localDayStarts(from: number, to: number): number[] {
  const starts = [startOfLocalDay(from)];
  while ((starts[starts.length - 1] as number) < to) starts.push(addLocalDays(starts[starts.length - 1] as number, 1));
  return starts;
}
