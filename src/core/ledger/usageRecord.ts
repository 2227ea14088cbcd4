/**
 * The usage record: one per request (cache hits, failures, cancellations and budget refusals
 * included), the one description of it. The ledger's line format (recordLine.ts), the audit
 * log's request line (audit/auditEvents.ts) and the pipeline's `UsageRecord` type all derive
 * from this schema, so they cannot drift apart.
 */
import * as z from '../../shared/zodMini';
import { ERROR_KINDS, scrubSecrets } from '../errors';
import { ProviderIdSchema, RecordedTaskSchema } from '../../shared/idSchemas';

/** Longest error message kept; longer ones are cut (they are summaries, not logs). */
export const MAX_ERROR_MESSAGE = 500;

export const OUTCOMES = ['ok', ...ERROR_KINDS] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const CostSourceSchema = z.enum(['provider', 'estimate']);
/** Who says what the request cost: the provider (OpenRouter, LiteLLM) or our estimate from prices. */
export type CostSource = z.infer<typeof CostSourceSchema>;

const count = z.int().check(z.nonnegative());
const millis = z.number().check(z.nonnegative());

export const UsageRecordSchema = z.object({
  /** Epoch ms when the request started. */
  ts: millis,
  requestId: z.string().check(z.minLength(1), z.maxLength(200)),
  provider: ProviderIdSchema,
  model: z.string().check(z.minLength(1), z.maxLength(300)),
  /** A record read back may carry a retired task (`general`, `refactor`). */
  task: RecordedTaskSchema,
  promptTokens: count,
  completionTokens: count,
  cachedTokens: count,
  /** Of completionTokens, those a reasoning model spent thinking (when the server said). */
  reasoningTokens: z.optional(count),
  tokensEstimated: z.boolean(),
  /** null: the model's price is unknown (never shown as $0). */
  costUsd: z.nullable(z.number().check(z.nonnegative())),
  costSource: z.optional(CostSourceSchema),
  latencyMs: millis,
  ttftMs: z.optional(millis),
  outcome: OutcomeSchema,
  /** Short, scrubbed, never prompt or response text. */
  errorMessage: z.optional(z.string().check(z.maxLength(MAX_ERROR_MESSAGE))),
  cacheHit: z.boolean(),
  fallbackDepth: z.int().check(z.gte(0), z.lte(255)),
  /** SHA-256 of the workspace identity, never its path. */
  workspace: z.string().check(z.maxLength(128)),
  budgetOverride: z.optional(z.boolean()),
  /** The prompt file a `prompt` request ran (its name), for per-prompt figures. */
  prompt: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

export type UsageRecord = z.infer<typeof UsageRecordSchema>;

/** The record as every recorder keeps it: its error message scrubbed of secrets again and shortened. */
export function tidyRecord(record: UsageRecord): UsageRecord {
  if (record.errorMessage === undefined || (record.errorMessage.length <= MAX_ERROR_MESSAGE && scrubSecrets(record.errorMessage) === record.errorMessage)) return record;
  const message = scrubSecrets(record.errorMessage);
  return { ...record, errorMessage: message.length <= MAX_ERROR_MESSAGE ? message : message.slice(0, MAX_ERROR_MESSAGE - 1) + '…' };
}
