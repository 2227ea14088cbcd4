/**
 * The usage ledger: one line per request, appended to `<storage>/ledger/usage-YYYY-MM.jsonl`
 * (see monthFiles.ts for the naming), and an in-memory index of every line (ledgerIndex.ts) that
 * the budget gate, the status bar and the analytics panel query.
 *
 * What "acknowledged" means: `record()` takes the record at once (the budget gate counts it
 * from that moment) and resolves — the record is acknowledged — only after its line has been
 * handed to the kernel in a single write on a file opened O_APPEND and, with
 * `aurelis.ledger.fsync` (the default), flushed to the disk with fdatasync. A process killed
 * after the acknowledgement therefore loses nothing (and with fsync, neither does a power cut);
 * a record not yet acknowledged may be lost. The worst a crash leaves is an unfinished last
 * line, which readers skip and the next writer terminates. The writing happens after the
 * request has answered: records taken in the same moment (one turn of the event loop, and any
 * that arrive while a write is in flight) go out in one write with one fdatasync (group commit).
 *
 * Several VS Code windows share the folder. Appends cannot interleave (each is one O_APPEND
 * write of whole lines), and every read first tails each file from where this process last
 * stopped, so records written by other windows are counted too — without rescanning. The
 * request path never waits for that read (`current()`): other windows' records arrive by a
 * refresh in the background, started when the last one is older than REFRESH_AFTER_MS.
 */
import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Logger } from '../host';
import { systemClock, silentLogger } from '../host';
import type { UsageRecord, UsageRecorder } from '../pipeline';
import type { Settings } from '../settings';
import { isLedgerFile, ledgerFileEnd, ledgerFileName, readSlices } from './monthFiles';
import { snapshotPath, readSnapshot, writeSnapshot } from './indexSnapshot';
import { encodeRecord } from './recordLine';
import { UsageRows } from './ledgerIndex';
import { MomentBatches } from '../momentBatches';

const DAY_MS = 86_400_000;
/** Retention is checked when the ledger loads and then at most this often. */
const RETENTION_INTERVAL_MS = 3_600_000;
/** A temporary file this old was left by a crash (a live snapshot write takes well under a minute). */
const STALE_TEMP_MS = 3_600_000;
/** The request path reads the index in memory; a read of other windows' new lines starts in the background when the last is this old. */
const REFRESH_AFTER_MS = 1_000;
/** …or when this many of our own records wait to be read back (the budget check adds them up one by one). */
const REFRESH_AFTER_UNREAD = 32;

export interface UsageLedgerOptions {
  /** The host's storage folder; the ledger lives in its `ledger/` subfolder. */
  storageDir: string;
  /** Read on every use: retention and fsync follow the user's settings live. */
  settings: () => Settings;
  clock?: Clock;
  logger?: Logger;
  /** Save an index snapshot of a month file after parsing at least this many of its lines (default 2,000). */
  snapshotMinRows?: number;
}

/** How the files looked at the last read (for diagnostics and tests). */
export interface LedgerHealth {
  files: number;
  records: number;
  /** Lines that were not a complete, valid record (torn by a crash, or edited by hand). */
  skippedLines: number;
  /** Bytes after the last newline of some file: an append in progress, or a torn last line. */
  unfinishedBytes: number;
}

/** A record taken by `record()`: queued, then written, then read back into the index. */
interface PendingAppend {
  record: UsageRecord;
  /**
   * Its line went to the file (the write may still be in flight): a read that meets it puts it
   * in the index. Set before the write, because a read by a background refresh can see the
   * bytes before this process hears that the write finished.
   */
  sent: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What the budget gate counts: the index, plus this process's records not yet read back into it. */
export interface LedgerView {
  readonly rows: UsageRows;
  readonly unread: readonly { readonly record: UsageRecord }[];
}

export class UsageLedger implements UsageRecorder {
  readonly dir: string;
  private readonly settings: () => Settings;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly snapshotMinRows: number;

  private rowsIndex = new UsageRows();
  /** Per file: how far this process has read it. */
  private readonly offsets = new Map<string, number>();
  private readonly unfinished = new Map<string, number>();
  private skippedLines = 0;
  private lastRetention = -Infinity;
  private lastDeleted: string[] = [];
  private refreshing: Promise<void> | undefined;
  private refreshAgain: Promise<void> | undefined;

  private readonly appendHandles = new Map<string, FileHandle>();
  private readonly appends = new MomentBatches<PendingAppend>((batch) => this.writeBatch(batch));
  /** Records taken but not yet read back into the index (queued or written), oldest first. */
  private unread: PendingAppend[] = [];
  /** The index has been read from disk at least once. */
  private loaded = false;
  private lastRefreshStart = -Infinity;
  private readonly view: { rows: UsageRows; unread: PendingAppend[] } = { rows: this.rowsIndex, unread: this.unread };

  constructor(options: UsageLedgerOptions) {
    this.dir = path.join(options.storageDir, 'ledger');
    this.settings = options.settings;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.snapshotMinRows = options.snapshotMinRows ?? 2_000;
  }

  /**
   * Takes one record: counted by `current()` at once, written after the caller moved on.
   * Resolves once it is acknowledged (see the file comment); rejects, writing nothing, when the
   * record is invalid, and with a message naming the folder when the disk refuses the write.
   */
  record(record: UsageRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const pending: PendingAppend = { record, sent: false, resolve, reject };
      this.unread.push(pending);
      this.appends.add(pending);
    });
  }

  /** Resolves when every record taken so far is acknowledged (or refused). */
  flush(): Promise<void> {
    return this.appends.flush();
  }

  /**
   * The index as it is in memory, for the request path: the first call reads the files; after
   * that it never waits for the disk. Records from other windows come in by a refresh started in
   * the background (when the last is older than a second); this process's own records are in
   * `unread` from the moment they were taken until a read brings them into `rows`.
   */
  current(): LedgerView | Promise<LedgerView> {
    if (!this.loaded) return this.refresh().then(() => this.view);
    if (this.clock.now() - this.lastRefreshStart >= REFRESH_AFTER_MS || this.unread.length >= REFRESH_AFTER_UNREAD) this.refreshInBackground();
    return this.view;
  }

  /**
   * The index, brought up to date first: new bytes from this and other processes are read,
   * nothing is rescanned. The returned rows are shared; read them, never change them.
   */
  async rows(): Promise<UsageRows> {
    // Records already taken are part of the history the caller asks about.
    await this.flush();
    await this.refresh();
    return this.rowsIndex;
  }

  /**
   * Reads what was appended since the last read. Calls that arrive while a read runs are
   * served by one more read after it, so a caller always sees every record acknowledged before
   * its call.
   */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.lastRefreshStart = this.clock.now();
      this.refreshing = this.readNew().finally(() => {
        this.refreshing = undefined;
      });
      return this.refreshing;
    }
    this.refreshAgain ??= this.refreshing.then(() => {
      this.refreshAgain = undefined;
      return this.refresh();
    });
    return this.refreshAgain;
  }

  private refreshInBackground(): void {
    if (this.refreshing) return;
    this.refresh().catch((e: unknown) => this.logger.warn(`Usage ledger: could not read new lines (${e instanceof Error ? e.message : String(e)}); trying again on a later request.`));
  }

  health(): LedgerHealth {
    let unfinishedBytes = 0;
    for (const n of this.unfinished.values()) unfinishedBytes += n;
    return { files: this.offsets.size, records: this.rowsIndex.length, skippedLines: this.skippedLines, unfinishedBytes };
  }

  /**
   * Streams records straight from the files (exports need request ids and every field, which the
   * index does not keep). `from`/`to` bound the record time, half-open.
   */
  async *readRecords(range: { from?: number; to?: number } = {}): AsyncGenerator<UsageRecord> {
    const from = range.from ?? -Infinity;
    const to = range.to ?? Infinity;
    await this.flush();
    for (const name of await this.listFiles()) {
      const end = ledgerFileEnd(name) ?? Infinity;
      // A file holds records from its UTC month only; skip months wholly outside the range.
      if (end <= from || monthStart(end) >= to) continue;
      const file = path.join(this.dir, name);
      const size = await sizeOf(file);
      if (size === undefined) continue;
      for await (const slice of readSlices(file, 0, size)) {
        for (const r of slice.records) if (r.ts >= from && r.ts < to) yield r;
      }
    }
  }

  /**
   * Deletes month files whose every record is older than the retention period (this also
   * happens by itself when the ledger is first read and then hourly). Returns the names deleted.
   */
  async applyRetention(): Promise<string[]> {
    // Runs inside a refresh, so it never resets the index under a read in progress.
    this.lastRetention = -Infinity;
    this.lastDeleted = [];
    await this.refresh();
    return this.lastDeleted;
  }

  private async deleteOldFiles(): Promise<void> {
    const now = this.clock.now();
    this.lastRetention = now;
    const cutoff = now - this.settings().ledger.retentionDays * DAY_MS;
    const deleted: string[] = [];
    for (const name of await this.listFiles()) {
      const end = ledgerFileEnd(name);
      if (end === undefined || end > cutoff) continue;
      await this.closeAppendHandle(name);
      try {
        await rm(snapshotPath(path.join(this.dir, name)), { force: true });
        await rm(path.join(this.dir, name), { force: true });
        deleted.push(name);
      } catch (e) {
        // Another window may hold it open on a platform that refuses; it goes next time.
        this.logger.warn(`Could not delete the old usage file ${name}: ${String(e)}`);
      }
    }
    this.lastDeleted = deleted;
    // Our own records in a deleted file will never be read back (only a wrong clock puts them there).
    if (deleted.length > 0) this.unread = this.unread.filter((p) => !deleted.includes(ledgerFileName(p.record.ts)));
    this.view.unread = this.unread;
    await this.sweepLeftovers();
    if (deleted.length > 0) {
      this.logger.info(`Usage ledger: deleted ${deleted.length} month file(s) older than ${this.settings().ledger.retentionDays} days.`);
      this.resetIndex();
    }
  }

  /** Snapshots whose month file is gone, and temporary files a crash left behind. */
  private async sweepLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const orphan = name.endsWith('.idx') && !names.includes(name.replace(/\.idx$/, '.jsonl'));
        const leftover = name.endsWith('.tmp') && Date.now() - (await stat(file)).mtimeMs > STALE_TEMP_MS;
        if (orphan || leftover) await rm(file, { force: true });
      } catch (e) {
        if (!isMissing(e)) this.logger.warn(`Usage ledger: could not tidy ${name} (${String(e)}).`);
      }
    }
  }

  /** Waits for queued appends and closes the files. */
  async close(): Promise<void> {
    await this.flush();
    // A background read still running would reopen nothing, but it must not outlive the ledger.
    while (this.refreshing) await this.refreshing.catch(() => undefined);
    const handles = [...this.appendHandles.values()];
    this.appendHandles.clear();
    await Promise.all(handles.map((h) => h.close()));
  }

  // ── Writing ──────────────────────────────────────────────────────────────────────────────

  /** The records taken in one moment: one write (and fdatasync) per month file. */
  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const byFile = new Map<string, { lines: string[]; pending: PendingAppend[] }>();
    for (const p of batch) {
      let line: string;
      try {
        line = encodeRecord(p.record);
      } catch (e) {
        this.forget(p);
        p.reject(e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      const file = ledgerFileName(p.record.ts);
      const group = byFile.get(file);
      if (group) {
        group.lines.push(line);
        group.pending.push(p);
      } else byFile.set(file, { lines: [line], pending: [p] });
    }
    for (const [file, { lines, pending }] of byFile) {
      try {
        for (const p of pending) p.sent = true;
        await this.append(file, lines.join(''));
        for (const p of pending) p.resolve();
      } catch (e) {
        const error = new Error(
          `Could not write the usage ledger in ${this.dir} (${e instanceof Error ? e.message : String(e)}). Check that the folder is writable and the disk is not full.`,
          { cause: e },
        );
        for (const p of pending) {
          this.forget(p);
          p.reject(error);
        }
      }
    }
  }

  /** A record that never reached the file stops counting. */
  private forget(p: PendingAppend): void {
    const i = this.unread.indexOf(p);
    if (i !== -1) this.unread.splice(i, 1);
  }

  /** A line just read is one of our own records: it is in the index now, so it leaves `unread`. */
  private readBack(record: UsageRecord): void {
    const i = this.unread.findIndex((p) => p.sent && p.record.requestId === record.requestId);
    if (i !== -1) this.unread.splice(i, 1);
  }

  private async append(file: string, text: string): Promise<void> {
    const handle = await this.appendHandle(file);
    const bytes = Buffer.from(text, 'utf8');
    // One write of whole lines on an O_APPEND descriptor: the kernel places it at the end of the
    // file as a unit, so another window's appends land before or after it, never inside.
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
    if (bytesWritten !== bytes.length) {
      // The short line is now an unfinished tail; terminate it before the next append.
      await this.closeAppendHandle(file);
      throw new Error(`only ${bytesWritten} of ${bytes.length} bytes were written`);
    }
    if (this.settings().ledger.fsync) await handle.datasync();
  }

  /**
   * Opens a month file for appending. If the file ends in an unfinished line (a crash tore the
   * last append), a newline goes first so the next record starts on a line of its own.
   */
  private async appendHandle(file: string): Promise<FileHandle> {
    const open_ = this.appendHandles.get(file);
    if (open_) return open_;
    await mkdir(this.dir, { recursive: true });
    const full = path.join(this.dir, file);
    const handle = await open(full, 'a');
    try {
      const { size } = await handle.stat();
      if (size > 0 && (await lastByte(full, size)) !== 0x0a) await handle.write('\n');
    } catch (e) {
      await handle.close();
      throw e;
    }
    this.appendHandles.set(file, handle);
    return handle;
  }

  private async closeAppendHandle(file: string): Promise<void> {
    const handle = this.appendHandles.get(file);
    if (!handle) return;
    this.appendHandles.delete(file);
    await handle.close().catch(() => undefined);
  }

  // ── Reading ──────────────────────────────────────────────────────────────────────────────

  private async readNew(): Promise<void> {
    if (this.clock.now() - this.lastRetention >= RETENTION_INTERVAL_MS) await this.deleteOldFiles();
    const names = await this.listFiles();
    // A file we had read is gone (another window applied retention): start over.
    if ([...this.offsets.keys()].some((n) => !names.includes(n))) this.resetIndex();
    for (const name of names) {
      const file = path.join(this.dir, name);
      const size = await sizeOf(file);
      if (size === undefined) continue;
      const offset = this.offsets.get(name);
      if (offset !== undefined && size < offset) {
        // Append-only files never shrink; one that did was replaced. Read everything again.
        this.resetIndex();
        return this.readNew();
      }
      if (size !== offset) await this.readFile(name, file, size);
    }
    this.loaded = true;
  }

  /**
   * Reads a month file from where this index stopped. The first time, it starts from the
   * file's snapshot when one matches, and saves a new snapshot when it had to parse many lines.
   */
  private async readFile(name: string, file: string, size: number): Promise<void> {
    let offset = this.offsets.get(name);
    let firstRow: number | undefined;
    let fromSnapshot = 0;
    let fileSkipped = 0;
    if (offset === undefined) {
      firstRow = this.rowsIndex.length;
      // A snapshot has no request ids, so it cannot say which of our own records it holds: with
      // some waiting to be read back from this file, the file is parsed instead.
      const ownWaiting = this.unread.some((p) => ledgerFileName(p.record.ts) === name);
      const snapshot = ownWaiting ? undefined : await readSnapshot(file, size).catch((e: unknown) => {
        this.logger.warn(`Usage ledger: could not read the index snapshot of ${name} (${String(e)}); reading the file instead.`);
        return undefined;
      });
      offset = snapshot?.covered ?? 0;
      if (snapshot) {
        this.rowsIndex.addBlock(snapshot.block);
        fromSnapshot = snapshot.block.length;
        fileSkipped = snapshot.skipped;
        this.skippedLines += snapshot.skipped;
      }
      this.offsets.set(name, offset);
    }
    // The offset moves with each slice, so a read that fails half-way resumes without
    // counting anything twice.
    let end = offset;
    for await (const slice of readSlices(file, offset, size)) {
      for (const r of slice.records) {
        this.rowsIndex.add(r);
        if (this.unread.length > 0) this.readBack(r);
      }
      this.skippedLines += slice.skipped;
      fileSkipped += slice.skipped;
      end = slice.end;
      this.offsets.set(name, end);
    }
    this.unfinished.set(name, size - end);
    // All of this file's rows were just added in one run, so they can be saved as one block.
    if (firstRow !== undefined && this.rowsIndex.length - firstRow - fromSnapshot >= this.snapshotMinRows) {
      try {
        await writeSnapshot(file, { block: this.rowsIndex.block(firstRow, this.rowsIndex.length), covered: end, skipped: fileSkipped });
      } catch (e) {
        this.logger.warn(`Usage ledger: could not save the index snapshot of ${name} (${String(e)}); the next start reads the file again.`);
      }
    }
  }

  private resetIndex(): void {
    this.rowsIndex = new UsageRows();
    this.view.rows = this.rowsIndex;
    this.offsets.clear();
    this.unfinished.clear();
    this.skippedLines = 0;
  }

  private async listFiles(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter(isLedgerFile).sort();
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }
}

async function lastByte(file: string, size: number): Promise<number | undefined> {
  const reader = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1);
    const { bytesRead } = await reader.read(buf, 0, 1, size - 1);
    return bytesRead === 1 ? buf[0] : undefined;
  } finally {
    await reader.close();
  }
}

/** Start of the UTC month that ends at `end`. */
function monthStart(end: number): number {
  const d = new Date(end);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
}

/** The file's size, or undefined when another window's retention removed it meanwhile. */
async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

function isMissing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}
