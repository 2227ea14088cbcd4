/**
 * What the status bar and the analytics panel read from the usage ledger. Every query answers
 * with one of these shapes — aggregates only: the panel never receives ledger rows, request ids,
 * workspace hashes or prompt text. Each shape has a zod schema so the webview can validate what
 * it is sent (and the host what the webview asks for, `AnalyticsFilterSchema`).
 *
 * Conventions:
 * - Times are epoch milliseconds; ranges are half-open `[from, to)`.
 * - Days and hours are the user's local time (the time zone of the extension host process);
 *   weeks start on Monday.
 * - Money is USD. Requests whose model has no known price are counted in `unpricedRequests`
 *   and left out of `costUsd` — a total is never padded with a made-up $0.
 * - "Errors" are all outcomes other than `ok`, including cancellations and budget refusals;
 *   `errorsByKind` tells them apart.
 */
import * as z from './zodMini';
import { ERROR_KINDS } from './errorKinds';
import { ProviderIdSchema, RecordedTaskSchema } from './idSchemas';

const count = z.int().check(z.nonnegative());
const usd = z.number().check(z.nonnegative());
const epochMs = z.number();
/** Null when there were no samples. */
const optionalMs = z.nullable(z.number().check(z.nonnegative()));

// ── Filters ────────────────────────────────────────────────────────────────────────────────

/**
 * Which slice of history to look at. `today`, `thisMonth`: since the local start of the day or
 * month. `last7Days`, `last30Days`: the last 7 or 30 local calendar days, today included.
 * `custom`: any `[from, to)`.
 */
export const AnalyticsPeriodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('today') }),
  z.object({ kind: z.literal('last7Days') }),
  z.object({ kind: z.literal('last30Days') }),
  z.object({ kind: z.literal('thisMonth') }),
  z
    .object({ kind: z.literal('custom'), from: epochMs, to: epochMs })
    .check(z.refine((p) => p.from < p.to, { message: 'The custom range must end after it starts.' })),
]);
export type AnalyticsPeriod = z.infer<typeof AnalyticsPeriodSchema>;

export const AnalyticsFilterSchema = z.object({
  period: AnalyticsPeriodSchema,
  provider: z.optional(ProviderIdSchema),
  model: z.optional(z.string().check(z.minLength(1))),
  task: z.optional(RecordedTaskSchema),
});
export type AnalyticsFilter = z.infer<typeof AnalyticsFilterSchema>;

export const TimeRangeSchema = z.object({ from: epochMs, to: epochMs });
export type TimeRange = z.infer<typeof TimeRangeSchema>;

// ── Building blocks ────────────────────────────────────────────────────────────────────────

export const UsageTotalsSchema = z.object({
  requests: count,
  /** Outcome `ok` (cache hits included). */
  succeeded: count,
  /** Every outcome other than `ok`. */
  errors: count,
  cancelled: count,
  budgetRefusals: count,
  cacheHits: count,
  promptTokens: count,
  completionTokens: count,
  /** Part of `promptTokens` the provider served from its prompt cache. */
  cachedTokens: count,
  /** promptTokens + completionTokens. */
  totalTokens: count,
  /** Requests whose token counts came from our tokenizer because the server sent none. */
  estimatedTokenRequests: count,
  /** Sum over requests with a known price. */
  costUsd: usd,
  /** Of `costUsd`, what the providers reported themselves (OpenRouter, LiteLLM); the rest is estimated from prices. */
  reportedCostUsd: usd,
  /** Requests whose cost is unknown (not included in `costUsd`). */
  unpricedRequests: count,
  /** Requests sent past a budget stop because the user chose "Allow once". */
  budgetOverrides: count,
});
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;

/** Latency of answered requests that went to a model (cache hits and failures left out). */
export const LatencyStatsSchema = z.object({
  samples: count,
  p50Ms: optionalMs,
  p95Ms: optionalMs,
  /** Time to first token of streamed answers. */
  ttftSamples: count,
  ttftP50Ms: optionalMs,
  ttftP95Ms: optionalMs,
});
export type LatencyStats = z.infer<typeof LatencyStatsSchema>;

/** Upper bounds of the latency histogram's buckets, ms (the Prometheus export's buckets). */
export const LATENCY_HISTOGRAM_BOUNDS_MS = [250, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000] as const;

/**
 * The latency distribution of the same samples as LatencyStats: `counts[i]` answers took at most
 * `boundsMs[i]` (and more than the bound before); the last count is those above every bound.
 */
export const LatencyHistogramSchema = z
  .object({ boundsMs: z.array(z.number().check(z.positive())), counts: z.array(count) })
  .check(z.refine((h) => h.counts.length === h.boundsMs.length + 1, { message: 'A histogram has one count more than bounds.' }));
export type LatencyHistogram = z.infer<typeof LatencyHistogramSchema>;

const breakdownRow = {
  totals: UsageTotalsSchema,
  latency: LatencyStatsSchema,
};
export const ModelBreakdownRowSchema = z.object({ provider: ProviderIdSchema, model: z.string(), ...breakdownRow });
export type ModelBreakdownRow = z.infer<typeof ModelBreakdownRowSchema>;
export const TaskBreakdownRowSchema = z.object({ task: RecordedTaskSchema, ...breakdownRow });
export type TaskBreakdownRow = z.infer<typeof TaskBreakdownRowSchema>;
/** Requests of one prompt file (by its name): Run Prompt, Evaluate Prompt and their judges. */
export const PromptBreakdownRowSchema = z.object({ prompt: z.string(), ...breakdownRow });
export type PromptBreakdownRow = z.infer<typeof PromptBreakdownRowSchema>;
export const ProviderBreakdownRowSchema = z.object({ provider: ProviderIdSchema, ...breakdownRow });
export type ProviderBreakdownRow = z.infer<typeof ProviderBreakdownRowSchema>;

export const ErrorKindRateSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  count,
  /** count / all requests in the slice. */
  rate: z.number().check(z.gte(0), z.lte(1)),
});
export type ErrorKindRate = z.infer<typeof ErrorKindRateSchema>;

export const CacheRateSchema = z.object({
  hits: count,
  /** Answered requests (outcome `ok`): the denominator of the hit rate. */
  answered: count,
  /** hits / answered; null when nothing was answered. */
  hitRate: z.nullable(z.number().check(z.gte(0), z.lte(1))),
});

/** Cost per local day, split by model for a stacked chart. All arrays run parallel to `days`. */
export const CostPerDaySchema = z.object({
  /** Local calendar days `YYYY-MM-DD`, oldest first, every day of the range (empty days included). */
  days: z.array(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
  totalUsd: z.array(usd),
  /** Requests per day whose cost is unknown. */
  unpricedRequests: z.array(count),
  series: z.array(z.object({ provider: ProviderIdSchema, model: z.string(), usd: z.array(usd) })),
});
export type CostPerDay = z.infer<typeof CostPerDaySchema>;

/** Requests per local hour of the day, index 0 = 00:00–00:59. */
export const RequestsByHourSchema = z.array(count).check(z.length(24));

/** A failed request, newest first. Never prompt or response content. */
export const RecentFailureSchema = z.object({
  ts: epochMs,
  provider: ProviderIdSchema,
  model: z.string(),
  task: RecordedTaskSchema,
  kind: z.enum(ERROR_KINDS),
  /** The scrubbed one-line summary recorded with the failure. */
  message: z.nullable(z.string()),
});
export type RecentFailure = z.infer<typeof RecentFailureSchema>;

export const BudgetPeriodSchema = z.enum(['daily', 'weekly', 'monthly']);
export type BudgetPeriod = z.infer<typeof BudgetPeriodSchema>;
export const BudgetUnitSchema = z.enum(['usd', 'tokens']);
export type BudgetUnit = z.infer<typeof BudgetUnitSchema>;

/**
 * One configured limit and how much of it the current local period has used. `state` uses the
 * thresholds as fractions of the limit: `warn` from warnAt, `throttle` from throttleAt, `stop`
 * from stopAt (further requests are refused unless allowed once).
 */
export const BudgetStatusSchema = z.object({
  period: BudgetPeriodSchema,
  unit: BudgetUnitSchema,
  limit: z.number().check(z.positive()),
  spent: z.number().check(z.nonnegative()),
  /** spent / limit (may exceed 1 after overrides). */
  fraction: z.number().check(z.nonnegative()),
  warnAt: z.number().check(z.nonnegative()),
  throttleAt: z.number().check(z.nonnegative()),
  stopAt: z.number().check(z.nonnegative()),
  periodStart: epochMs,
  /** Start of the next period. */
  periodEnd: epochMs,
  state: z.enum(['ok', 'warn', 'throttle', 'stop']),
  /** USD limits only: requests this period whose cost is unknown and so not counted. */
  unpricedRequests: count,
});
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

// ── Whole answers ──────────────────────────────────────────────────────────────────────────

/** Everything the analytics panel shows for one filter. */
export const AnalyticsReportSchema = z.object({
  generatedAt: epochMs,
  filter: AnalyticsFilterSchema,
  range: TimeRangeSchema,
  /** IANA name of the time zone days and hours are counted in. */
  timeZone: z.string(),
  totals: UsageTotalsSchema,
  latency: LatencyStatsSchema,
  byModel: z.array(ModelBreakdownRowSchema),
  byTask: z.array(TaskBreakdownRowSchema),
  byPrompt: z.array(PromptBreakdownRowSchema),
  byProvider: z.array(ProviderBreakdownRowSchema),
  /** Kinds that occurred, most frequent first. */
  errorsByKind: z.array(ErrorKindRateSchema),
  cache: CacheRateSchema,
  costPerDay: CostPerDaySchema,
  requestsByHour: RequestsByHourSchema,
  latencyHistogram: LatencyHistogramSchema,
  recentFailures: z.array(RecentFailureSchema).check(z.maxLength(50)),
  /** Budgets are about the current periods, whatever the filter says. */
  budgets: z.array(BudgetStatusSchema),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReportSchema>;

/** What the status bar shows: today's and this month's spend, and the budgets' state. */
export const StatusSummarySchema = z.object({
  generatedAt: epochMs,
  today: UsageTotalsSchema,
  thisMonth: UsageTotalsSchema,
  budgets: z.array(BudgetStatusSchema),
  /** The budget closest to (or furthest past) its limit; null when no budget is set. */
  tightestBudget: z.nullable(BudgetStatusSchema),
});
export type StatusSummary = z.infer<typeof StatusSummarySchema>;

export const EXPORT_FORMATS = ['json', 'csv', 'prometheus'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
