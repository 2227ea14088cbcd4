/**
 * The usage ledger's line format. Every line is one JSON object: `{"v":1, ...UsageRecord}`,
 * validated with zod both when it is written (a record that could not be read back must fail
 * loudly now, not vanish later) and when it is read (files on disk are an edge: a torn or
 * hand-edited line is skipped, never trusted).
 */
import * as z from '../../shared/zodMini';
import { UsageRecordSchema, tidyRecord, type UsageRecord } from './usageRecord';

export const LEDGER_FORMAT_VERSION = 1;

/**
 * Every line starts with exactly these bytes. JSON escapes quotes inside strings, so this
 * sequence can only occur where a record begins — which lets the reader split a line that a
 * crash glued onto the next record.
 */
export const RECORD_PREFIX = `{"v":${LEDGER_FORMAT_VERSION},`;

const LedgerLineSchema = z.extend(UsageRecordSchema, { v: z.literal(LEDGER_FORMAT_VERSION) });

/**
 * Serialises a record as one ledger line (with its newline). Error messages are scrubbed again
 * and shortened; anything else invalid throws, naming the field, before a byte is written.
 */
export function encodeRecord(record: UsageRecord): string {
  const checked = UsageRecordSchema.safeParse(tidyRecord(record));
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
