/**
 * Where ledger records live on disk and how raw bytes become records.
 *
 * One append-only JSON-lines file per calendar month, named by the UTC month of the record's
 * start time (`usage-2025-03.jsonl`). UTC, not local time: a file's boundaries then never move
 * when the user changes time zone or the clocks change, and retention can tell exactly when a
 * file is old. Which file a record sits in never decides which local day, week or month it
 * counts toward — every query filters on the record's own timestamp.
 */
import { open } from 'node:fs/promises';
import type { UsageRecord } from '../pipeline';
import { RECORD_PREFIX, decodeRecord } from './recordLine';

const FILE_PATTERN = /^usage-(\d{4})-(\d{2})\.jsonl$/;
const NEWLINE = 0x0a;
/** Read in slices so loading a year of history never holds a whole file in memory twice. */
const READ_CHUNK = 4 * 1024 * 1024;

export function ledgerFileName(ts: number): string {
  const d = new Date(ts);
  return `usage-${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}.jsonl`;
}

/** The instant (UTC) after which no record belongs in this file; undefined for foreign names. */
export function ledgerFileEnd(name: string): number | undefined {
  const m = FILE_PATTERN.exec(name);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]), 1);
}

export function isLedgerFile(name: string): boolean {
  return FILE_PATTERN.test(name);
}

export interface ParsedLines {
  records: UsageRecord[];
  /** Lines (or glued fragments) that were not a complete, valid record. */
  skipped: number;
}

/**
 * Parses complete lines. A line that is not a record may be a fragment left by a crash with
 * the next record glued on (appended by another process before anyone repaired the tail): it is
 * split where each record begins and every complete piece is kept.
 */
export function parseLines(text: string): ParsedLines {
  const records: UsageRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const record = decodeRecord(line);
    if (record) {
      records.push(record);
      continue;
    }
    let start = 0;
    while (start < line.length) {
      const next = line.indexOf(RECORD_PREFIX, start + 1);
      const piece = line.slice(start, next === -1 ? line.length : next);
      const recovered = decodeRecord(piece);
      if (recovered) records.push(recovered);
      else skipped++;
      if (next === -1) break;
      start = next;
    }
  }
  return { records, skipped };
}

/** Records parsed from one slice of a file, and the offset just past its last complete line. */
export interface Slice extends ParsedLines {
  end: number;
}

/**
 * Reads the complete lines between `offset` and `size`, slice by slice. Bytes after the last
 * newline are not returned — another process may be in the middle of appending them, or a
 * crash tore them — so the caller resumes from the last slice's `end`.
 */
export async function* readSlices(path: string, offset: number, size: number): AsyncGenerator<Slice> {
  const handle = await open(path, 'r');
  try {
    let position = offset;
    let carry: Buffer = Buffer.alloc(0);
    while (position < size) {
      const length = Math.min(READ_CHUNK, size - position);
      const chunk = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(chunk, 0, length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      const lastNewline = data.lastIndexOf(NEWLINE);
      if (lastNewline === -1) {
        carry = data;
        continue;
      }
      carry = Buffer.from(data.subarray(lastNewline + 1));
      yield { ...parseLines(data.toString('utf8', 0, lastNewline)), end: position - carry.length };
    }
  } finally {
    await handle.close();
  }
}
