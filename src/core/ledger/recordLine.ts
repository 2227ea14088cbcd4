/**
 * The usage ledger's line format. Every line is one JSON object: `{"v":1, ...UsageRecord}`,
 * validated with zod both when it is written (a record that could not be read back must fail
 * loudly now, not vanish later) and when it is read (files on disk are an edge: a torn or
 * hand-edited line is skipped, never trusted).
 */
import { z } from 'zod';
import { ERROR_KINDS, scrubSecrets } from '../errors';
import type { UsageRecord } from '../pipeline';
import { ProviderIdSchema, TaskTypeSchema } from '../types';

export const LEDGER_FORMAT_VERSION = 1;

/**
 * Every line starts with exactly these bytes. JSON escapes quotes inside strings, so this
 * sequence can only occur where a record begins — which lets the reader split a line that a
 * crash glued onto the next record.
 */
export const RECORD_PREFIX = `{"v":${LEDGER_FORMAT_VERSION},`;

/** Longest error message kept in the ledger; longer ones are cut (they are summaries, not logs). */
export const MAX_ERROR_MESSAGE = 500;

export const OUTCOMES = ['ok', ...ERROR_KINDS] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

const count = z.number().int().nonnegative();
const millis = z.number().finite().nonnegative();

export const UsageRecordSchema = z.object({
  ts: millis,
  requestId: z.string().min(1).max(200),
  provider: ProviderIdSchema,
  model: z.string().min(1).max(300),
  task: TaskTypeSchema,
  promptTokens: count,
  completionTokens: count,
  cachedTokens: count,
  reasoningTokens: count.optional(),
  tokensEstimated: z.boolean(),
  costUsd: z.number().finite().nonnegative().nullable(),
  costSource: z.enum(['provider', 'estimate']).optional(),
  latencyMs: millis,
  ttftMs: millis.optional(),
  outcome: OutcomeSchema,
  errorMessage: z.string().max(MAX_ERROR_MESSAGE).optional(),
  cacheHit: z.boolean(),
  fallbackDepth: z.number().int().min(0).max(255),
  workspace: z.string().max(128),
  budgetOverride: z.boolean().optional(),
  prompt: z.string().min(1).max(200).optional(),
});

// The schema and the pipeline's interface must describe the same thing, in both directions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof UsageRecordSchema>, UsageRecord> = true;
void schemaMatchesInterface;

const LedgerLineSchema = UsageRecordSchema.extend({ v: z.literal(LEDGER_FORMAT_VERSION) });

/**
 * Serialises a record as one ledger line (with its newline). Error messages are scrubbed again
 * and shortened; anything else invalid throws, naming the field, before a byte is written.
 */
export function encodeRecord(record: UsageRecord): string {
  const tidy: UsageRecord =
    record.errorMessage === undefined
      ? record
      : { ...record, errorMessage: truncate(scrubSecrets(record.errorMessage), MAX_ERROR_MESSAGE) };
  const checked = UsageRecordSchema.safeParse(tidy);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(
      `Usage record ${record.requestId} is invalid (${issue?.path.join('.') ?? 'record'}: ${issue?.message ?? 'unknown problem'}); it was not written to the ledger.`,
    );
  }
  // `v` first, so every line begins with RECORD_PREFIX.
  return JSON.stringify({ v: LEDGER_FORMAT_VERSION, ...checked.data }) + '\n';
}

/** Parses one line; undefined for anything that is not a complete, valid record. */
export function decodeRecord(line: string): UsageRecord | undefined {
  if (!line.startsWith(RECORD_PREFIX)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = LedgerLineSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { v: _version, ...record } = parsed.data;
  return record;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
