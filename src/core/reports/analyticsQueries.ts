/**
 * The analytics queries: one pass over the ledger's index for a slice of history, producing the
 * aggregates of src/shared/analyticsReport.ts. Pure functions of the rows, so the status bar, the panel and
 * the exports all count the same way.
 *
 * Counting rules (also stated in src/shared/analyticsReport.ts): cache hits count as requests and as hits
 * but add no tokens or cost (nothing was sent); latency percentiles are over answered requests
 * that went to a model; cost sums known prices only, the rest is counted as unpriced.
 */
import type { ErrorKind } from '../errors';
import type { RecordedTask } from '../../shared/taskTypes';
import type { ProviderId } from '../types';
import type {
  CostPerDay,
  ErrorKindRate,
  LatencyStats,
  LatencyHistogram,
  ModelBreakdownRow,
  ProviderBreakdownRow,
  RecentFailure,
  TaskBreakdownRow,
  PromptBreakdownRow,
  TimeRange,
  UsageTotals,
} from '../../shared/analyticsReport';
import { LatencyRows } from './latencyDistribution';
import { localDayKey, localDayStarts, startOfLocalDay } from './periods';
import { OUTCOMES } from '../ledger/usageRecord';
import * as flags from '../ledger/ledgerIndex';
import type { UsageRows } from '../ledger/ledgerIndex';

const HOUR_MS = 3_600_000;
// Copied into plain constants: these loops run over a million rows, and some module loaders
// (the test runner's among them) turn every imported binding into a property getter.
const FLAG_CACHE_HIT = flags.FLAG_CACHE_HIT;
const FLAG_ESTIMATED = flags.FLAG_ESTIMATED;
const FLAG_OVERRIDE = flags.FLAG_OVERRIDE;
const FLAG_COST_REPORTED = flags.FLAG_COST_REPORTED;
const OUTCOME_OK = flags.OUTCOME_OK;
const OUTCOME_CANCELLED = OUTCOMES.indexOf('cancelled');
const OUTCOME_BUDGET = OUTCOMES.indexOf('budget_exceeded');
/** Charts beyond this many days start at the first day that has data. */
const MAX_CHART_DAYS = 400;
export const RECENT_FAILURES = 20;

/** Which rows a query looks at: a time range and optional exact matches. */
export interface RowSelection extends TimeRange {
  provider?: ProviderId;
  model?: string;
  task?: RecordedTask;
}

export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    succeeded: 0,
    errors: 0,
    cancelled: 0,
    budgetRefusals: 0,
    cacheHits: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    totalTokens: 0,
    estimatedTokenRequests: 0,
    costUsd: 0,
    reportedCostUsd: 0,
    unpricedRequests: 0,
    budgetOverrides: 0,
  };
}

export function addToTotals(t: UsageTotals, rows: UsageRows, i: number): void {
  t.requests++;
  const outcome = rows.outcome[i] as number;
  if (outcome === OUTCOME_OK) t.succeeded++;
  else {
    t.errors++;
    if (outcome === OUTCOME_CANCELLED) t.cancelled++;
    else if (outcome === OUTCOME_BUDGET) t.budgetRefusals++;
  }
  const flags = rows.flags[i] as number;
  if (flags & FLAG_OVERRIDE) t.budgetOverrides++;
  if (flags & FLAG_CACHE_HIT) {
    t.cacheHits++;
    return;
  }
  const prompt = rows.promptTokens[i] as number;
  const completion = rows.completionTokens[i] as number;
  t.promptTokens += prompt;
  t.completionTokens += completion;
  t.cachedTokens += rows.cachedTokens[i] as number;
  t.totalTokens += prompt + completion;
  if (flags & FLAG_ESTIMATED) t.estimatedTokenRequests++;
  const cost = rows.costUsd[i] as number;
  if (Number.isNaN(cost)) {
    if (prompt + completion > 0) t.unpricedRequests++;
  } else {
    t.costUsd += cost;
    if (flags & FLAG_COST_REPORTED) t.reportedCostUsd += cost;
  }
}

/** Calls `visit` for each row in the selection. */
export function forEachSelected(rows: UsageRows, sel: RowSelection, visit: (row: number) => void): void {
  const providerIds = sel.provider === undefined ? undefined : rows.providerIndexOf(sel.provider);
  const taskId = sel.task === undefined ? undefined : rows.taskIndexOf(sel.task);
  // A model name may run on several providers: match every target with that name.
  const targetIds = sel.model === undefined ? undefined : new Set(rows.targets.flatMap((t, id) => (t.model === sel.model ? [id] : [])));
  const { ts, provider, task, target } = rows;
  const { from, to } = sel;
  rows.forEachSpan(from, to, (start, end) => {
    for (let i = start; i < end; i++) {
      const t = ts[i] as number;
      if (t < from || t >= to) continue;
      if (providerIds !== undefined && provider[i] !== providerIds) continue;
      if (taskId !== undefined && task[i] !== taskId) continue;
      if (targetIds !== undefined && !targetIds.has(target[i] as number)) continue;
      visit(i);
    }
  });
}

export function totalsFor(rows: UsageRows, sel: RowSelection): UsageTotals {
  const totals = emptyTotals();
  forEachSelected(rows, sel, (i) => addToTotals(totals, rows, i));
  return totals;
}

interface Group {
  totals: UsageTotals;
}
/** Adds row `i` to the group with that id, creating it on first use. */
function addToGroup(groups: Group[], id: number, rows: UsageRows, i: number): void {
  const g = (groups[id] ??= { totals: emptyTotals() });
  addToTotals(g.totals, rows, i);
}
/** [id, group, its latency] for the groups that exist. */
function present(groups: Group[], latency: LatencyStats[]): Array<[number, Group, LatencyStats]> {
  const out: Array<[number, Group, LatencyStats]> = [];
  groups.forEach((g, id) => out.push([id, g, latency[id] as LatencyStats]));
  return out;
}
/** Answered by a model: the rows latency figures are about. */
function isAnswered(rows: UsageRows, i: number): boolean {
  return rows.outcome[i] === OUTCOME_OK && ((rows.flags[i] as number) & FLAG_CACHE_HIT) === 0;
}
const byRequestsThenCost = (a: { totals: UsageTotals }, b: { totals: UsageTotals }) =>
  b.totals.requests - a.totals.requests || b.totals.costUsd - a.totals.costUsd;

export interface SliceAnalysis {
  totals: UsageTotals;
  latency: LatencyStats;
  latencyHistogram: LatencyHistogram;
  byModel: ModelBreakdownRow[];
  byTask: TaskBreakdownRow[];
  byPrompt: PromptBreakdownRow[];
  byProvider: ProviderBreakdownRow[];
  errorsByKind: ErrorKindRate[];
  costPerDay: CostPerDay;
  requestsByHour: number[];
  recentFailures: RecentFailure[];
}

/** Everything the panel shows for one selection, in one pass. */
export function analyseSlice(rows: UsageRows, sel: RowSelection): SliceAnalysis {
  const all: Group = { totals: emptyTotals() };
  // Sparse arrays indexed by target, task and provider id.
  const models: Group[] = [];
  const tasks: Group[] = [];
  const prompts: Group[] = [];
  const providers: Group[] = [];
  const errorCounts = new Map<number, number>();
  const failures: number[] = [];
  const byHour = new Uint32Array(24);

  let firstTs = Infinity;
  let lastTs = -Infinity;
  let answered = 0;
  forEachSelected(rows, sel, (i) => {
    const t = rows.ts[i] as number;
    if (t < firstTs) firstTs = t;
    if (t > lastTs) lastTs = t;
    if (isAnswered(rows, i)) answered++;
  });
  const latency = new LatencyRows(rows, answered);
  const days = chartDays(sel, firstTs, lastTs);
  const costByModelDay = new Map<number, Float64Array>();
  const totalByDay = new Float64Array(days.keys.length);
  const unpricedByDay = new Array<number>(days.keys.length).fill(0);

  forEachSelected(rows, sel, (i) => {
    addToTotals(all.totals, rows, i);
    if (isAnswered(rows, i)) latency.add(i);
    addToGroup(models, rows.target[i] as number, rows, i);
    addToGroup(tasks, rows.task[i] as number, rows, i);
    // Prompt id 0 is "not a prompt file's request".
    if (rows.prompt[i] !== 0) addToGroup(prompts, rows.prompt[i] as number, rows, i);
    addToGroup(providers, rows.provider[i] as number, rows, i);
    const outcome = rows.outcome[i] as number;
    if (outcome !== OUTCOME_OK) {
      errorCounts.set(outcome, (errorCounts.get(outcome) ?? 0) + 1);
      failures.push(i);
    }
    const t = rows.ts[i] as number;
    const day = dayIndex(days.starts, t);
    const hour = localHourIn(days.starts, day, t);
    byHour[hour] = (byHour[hour] as number) + 1;
    if (day >= 0 && day < days.keys.length && ((rows.flags[i] as number) & FLAG_CACHE_HIT) === 0) {
      const cost = rows.costUsd[i] as number;
      if (Number.isNaN(cost)) {
        if ((rows.promptTokens[i] as number) + (rows.completionTokens[i] as number) > 0) unpricedByDay[day] = (unpricedByDay[day] as number) + 1;
      } else {
        totalByDay[day] = (totalByDay[day] as number) + cost;
        const target = rows.target[i] as number;
        let series = costByModelDay.get(target);
        if (!series) costByModelDay.set(target, (series = new Float64Array(days.keys.length)));
        series[day] = (series[day] as number) + cost;
      }
    }
  });

  const requests = all.totals.requests;
  const { target, task, prompt, provider } = rows;
  return {
    totals: all.totals,
    latency: latency.all(),
    latencyHistogram: latency.histogram(),
    byModel: present(models, latency.grouped((i) => target[i] as number, models.length))
      .map(([id, g, l]) => ({ ...rows.targetAt(id), totals: g.totals, latency: l }))
      .sort(byRequestsThenCost),
    byTask: present(tasks, latency.grouped((i) => task[i] as number, tasks.length))
      .map(([id, g, l]) => ({ task: rows.taskAt(id), totals: g.totals, latency: l }))
      .sort(byRequestsThenCost),
    // Prompt id 0 is "not a prompt file's request".
    byPrompt: present(prompts, latency.grouped((i) => (prompt[i] === 0 ? -1 : (prompt[i] as number)), prompts.length))
      .map(([id, g, l]) => ({ prompt: rows.prompts[id] ?? '', totals: g.totals, latency: l }))
      .sort(byRequestsThenCost),
    byProvider: present(providers, latency.grouped((i) => provider[i] as number, providers.length))
      .map(([id, g, l]) => ({ provider: rows.providerAt(id), totals: g.totals, latency: l }))
      .sort(byRequestsThenCost),
    errorsByKind: [...errorCounts]
      // Every outcome but index 0 (ok) is an error kind.
      .map(([outcome, count]) => ({ kind: OUTCOMES[outcome] as ErrorKind, count, rate: count / requests }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    costPerDay: {
      days: days.keys,
      totalUsd: Array.from(totalByDay),
      unpricedRequests: unpricedByDay,
      series: [...costByModelDay]
        .map(([id, usd]) => ({ ...rows.targetAt(id), usd: Array.from(usd) }))
        .sort((a, b) => sum(b.usd) - sum(a.usd)),
    },
    requestsByHour: Array.from(byHour),
    recentFailures: failures
      .sort((a, b) => (rows.ts[b] as number) - (rows.ts[a] as number))
      .slice(0, RECENT_FAILURES)
      .map((i) => ({
        ts: rows.ts[i] as number,
        provider: rows.providerOf(i),
        model: rows.targetAt(rows.target[i] as number).model,
        task: rows.taskOf(i),
        kind: rows.outcomeOf(i) as ErrorKind,
        message: rows.errorMessages.get(i) ?? null,
      })),
  };
}

interface ChartDays {
  /** Local day starts, plus the start of the day after the last. */
  starts: number[];
  keys: string[];
}

function chartDays(sel: RowSelection, firstTs: number, lastTs: number): ChartDays {
  let from = sel.from;
  let to = sel.to;
  if (to - from > MAX_CHART_DAYS * 24 * HOUR_MS) {
    if (firstTs > lastTs) return { starts: [startOfLocalDay(from)], keys: [] };
    from = Math.max(from, firstTs);
    to = Math.min(to, lastTs + 1);
  }
  const starts = localDayStarts(from, to);
  return { starts, keys: starts.slice(0, -1).map(localDayKey) };
}

/** Index of the local day containing `t` (binary search); -1 before the first. */
function dayIndex(starts: number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (starts.length === 0 || t < (starts[0] as number)) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The local hour of `t`: arithmetic on ordinary 24-hour days, the Date API on DST days. */
function localHourIn(starts: number[], day: number, t: number): number {
  const start = starts[day];
  const next = starts[day + 1];
  if (start !== undefined && next !== undefined && next - start === 24 * HOUR_MS) return Math.floor((t - start) / HOUR_MS);
  return new Date(t).getHours();
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
