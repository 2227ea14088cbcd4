/**
 * Index snapshots: the parsed rows of one month file saved in binary next to it
 * (`usage-2025-03.idx`), so opening a year of history reads columns of numbers instead of
 * parsing a million JSON lines. The JSON-lines file stays the only source of truth: a snapshot
 * says how many bytes of it it covers and carries fingerprints of those bytes, and anything
 * that does not match exactly (another version, a replaced file, a damaged snapshot) is
 * ignored and rebuilt from the file.
 *
 * Layout: "AURX", u32 version, u32 header length, header JSON, the columns' raw bytes in the
 * header's order, u32 CRC-32 of everything before it. Snapshots are machine-local caches.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import * as z from '../../shared/zodMini';
import { RECORDED_TASKS } from '../../shared/taskTypes';
import { PROVIDER_IDS } from '../types';
import { OUTCOMES } from './usageRecord';
import { COLUMN_NAMES, COLUMN_TYPES, type RowBlock } from './ledgerIndex';

const MAGIC = Buffer.from('AURX');
/** 2: the prompt column and its table. */
const VERSION = 2;
/** Bytes fingerprinted at each end of the covered part of the month file. */
const FINGERPRINT_BYTES = 4096;

const COLUMN_ARRAYS = COLUMN_TYPES;

const HeaderSchema = z.object({
  covered: z.int().check(z.nonnegative()),
  skipped: z.int().check(z.nonnegative()),
  rows: z.int().check(z.nonnegative()),
  head: z.string(),
  tail: z.string(),
  // The numbering of these lists is baked into the columns; a snapshot from a version that
  // numbered them differently is not used.
  providers: z.array(z.string()),
  tasks: z.array(z.string()),
  outcomes: z.array(z.string()),
  columns: z.array(z.tuple([z.string(), z.int().check(z.positive())])),
  targets: z.array(z.object({ provider: z.enum(PROVIDER_IDS), model: z.string() })),
  workspaces: z.array(z.string()),
  prompts: z.array(z.string()),
  errorMessages: z.array(z.tuple([z.int().check(z.nonnegative()), z.string()])),
});

export interface Snapshot {
  block: RowBlock;
  /** Bytes of the month file the rows came from; reading resumes there. */
  covered: number;
  /** Lines skipped in that part of the file. */
  skipped: number;
}

export function snapshotPath(ledgerPath: string): string {
  return ledgerPath.replace(/\.jsonl$/, '.idx');
}

export async function writeSnapshot(ledgerPath: string, snapshot: Snapshot): Promise<void> {
  const { block, covered, skipped } = snapshot;
  const { head, tail } = await fingerprints(ledgerPath, covered);
  const header = Buffer.from(
    JSON.stringify({
      covered,
      skipped,
      rows: block.length,
      head,
      tail,
      providers: PROVIDER_IDS,
      tasks: RECORDED_TASKS,
      outcomes: OUTCOMES,
      columns: COLUMN_NAMES.map((n) => [n, COLUMN_ARRAYS[n].BYTES_PER_ELEMENT]),
      targets: block.targets,
      workspaces: block.workspaces,
      prompts: block.prompts,
      errorMessages: block.errorMessages,
    }),
  );
  const prefix = Buffer.alloc(12);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(VERSION, 4);
  prefix.writeUInt32LE(header.length, 8);
  const columns = COLUMN_NAMES.map((n) => {
    const c = block.columns[n];
    return Buffer.from(c.buffer, c.byteOffset, block.length * c.BYTES_PER_ELEMENT);
  });
  const body = Buffer.concat([prefix, header, ...columns]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(crc32(body) >>> 0, 0);
  const file = snapshotPath(ledgerPath);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, Buffer.concat([body, checksum]));
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** The snapshot of a month file, or undefined when there is none that matches it exactly. */
export async function readSnapshot(ledgerPath: string, ledgerSize: number): Promise<Snapshot | undefined> {
  let data: Buffer;
  try {
    data = await readFile(snapshotPath(ledgerPath));
  } catch {
    return undefined;
  }
  if (data.length < 16 || !data.subarray(0, 4).equals(MAGIC) || data.readUInt32LE(4) !== VERSION) return undefined;
  if ((crc32(data.subarray(0, data.length - 4)) >>> 0) !== data.readUInt32LE(data.length - 4)) return undefined;
  const headerLength = data.readUInt32LE(8);
  let header: z.infer<typeof HeaderSchema>;
  try {
    header = HeaderSchema.parse(JSON.parse(data.toString('utf8', 12, 12 + headerLength)));
  } catch {
    return undefined;
  }
  const sameNumbering =
    sameList(header.providers, PROVIDER_IDS) &&
    sameList(header.tasks, RECORDED_TASKS) &&
    sameList(header.outcomes, OUTCOMES) &&
    sameList(
      header.columns.map(([n, size]) => `${n}:${size}`),
      COLUMN_NAMES.map((n) => `${n}:${COLUMN_ARRAYS[n].BYTES_PER_ELEMENT}`),
    );
  if (!sameNumbering || header.covered > ledgerSize) return undefined;
  const expected = await fingerprints(ledgerPath, header.covered);
  if (expected.head !== header.head || expected.tail !== header.tail) return undefined;

  let offset = 12 + headerLength;
  const columns = {} as RowBlock['columns'];
  for (const name of COLUMN_NAMES) {
    const Type = COLUMN_ARRAYS[name];
    const bytes = header.rows * Type.BYTES_PER_ELEMENT;
    if (offset + bytes > data.length - 4) return undefined;
    const column = new Type(header.rows);
    new Uint8Array(column.buffer).set(data.subarray(offset, offset + bytes));
    columns[name] = column;
    offset += bytes;
  }
  if (offset !== data.length - 4) return undefined;
  return {
    block: { length: header.rows, columns, targets: header.targets, workspaces: header.workspaces, prompts: header.prompts, errorMessages: header.errorMessages },
    covered: header.covered,
    skipped: header.skipped,
  };
}

/** SHA-256 of the first and last few kilobytes of the covered part of the month file. */
async function fingerprints(ledgerPath: string, covered: number): Promise<{ head: string; tail: string }> {
  const handle = await open(ledgerPath, 'r');
  try {
    const size = Math.min(FINGERPRINT_BYTES, covered);
    const read = async (position: number) => {
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, position);
      return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex');
    };
    return { head: await read(0), tail: await read(covered - size) };
  } finally {
    await handle.close();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
