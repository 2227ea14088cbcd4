/**
 * The audit log: what an administrator reads to see where code went and that no key leaked.
 * JSON Lines under `<storage>/audit/` (see auditFiles.ts for names, rotation and retention):
 * one line per request (UsageRecorder), one per security event, and — only with
 * `aurelis.audit.includeContent` — the prompt and response text, scanned and redacted first.
 * Every line passes field-level redaction (fieldRedaction.ts) and is validated with zod before
 * it is written.
 *
 * Lines are written after the request has answered: the lines asked for in the same moment go
 * out together in one write, on a file this process keeps open (closed by `close()`). A write
 * resolves when its line has been handed to the kernel (no fsync: the audit log is not a bill).
 *
 * Several windows append to the same files: whole lines go out in one write on a file opened
 * O_APPEND, so lines from different processes never interleave. Rotation is decided from the
 * open file's size on disk at the moment of writing, so all writers move on to the next file
 * together; a file deleted under us (retention in another window) is reopened.
 */
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { scrubSecrets } from '../errors';
import { systemClock, silentLogger, type Clock, type Logger } from '../host';
import type { UsageRecord, UsageRecorder } from '../pipeline';
import { tidyRecord } from '../ledger/usageRecord';
import type { Settings } from '../settings';
import { AUDIT_FORMAT_VERSION, AuditLineSchema, SecurityEventSchema, type AuditLine, type SecurityEvent, type SecurityEventSink } from './auditEvents';
import { DAY_MS, auditFileName, compareAuditFiles, parseAuditFileName, utcDay, type AuditFileId } from './auditFiles';
import { redactFields, truncate } from './fieldRedaction';
import { SecretScanner, redact } from '../secrets/secretScanner';
import { MomentBatches } from '../momentBatches';

/** Longest value kept in any ordinary field. */
export const MAX_FIELD_CHARS = 1000;
/** Longest prompt or response text kept with includeContent; the rest is cut and marked. */
export const MAX_CONTENT_CHARS = 32_768;
/** Retention runs on the first write and then at most this often. */
const RETENTION_INTERVAL_MS = 3_600_000;

export interface AuditLogOptions {
  /** The host's storage folder; the log lives in its `audit/` subfolder. */
  storageDir: string;
  /** Read on every write: includeContent, rotation size and retention follow the settings live. */
  settings: () => Settings;
  clock?: Clock;
  logger?: Logger;
  scanner?: SecretScanner;
}

export interface AuditContent {
  requestId: string;
  direction: 'prompt' | 'response';
  text: string;
}

export interface AuditReadResult {
  lines: AuditLine[];
  /** Lines that were not valid audit lines (torn by a crash, or edited by hand). */
  skipped: number;
}

export interface AuditExportResult {
  lines: number;
  skipped: number;
  files: number;
}

interface PendingLine {
  /** The line's fields, or how to make them (a request's line is shaped when it is written, after the answer). */
  fields: Record<string, unknown> | (() => Record<string, unknown>);
  text: string | undefined;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class AuditLog implements UsageRecorder, SecurityEventSink {
  readonly dir: string;
  private readonly settings: () => Settings;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly scanner: SecretScanner;
  private current: AuditFileId | undefined;
  private lastRetention = -Infinity;
  /** The folder was made by this process; made again after a failed write (someone may have removed it). */
  private dirMade = false;
  /** Lines asked for and not yet written, in the order they were asked for. */
  private readonly lines = new MomentBatches<PendingLine>((batch) => this.writeBatch(batch));
  /** The file lines go to, kept open between writes. */
  private handle: { file: string; fh: FileHandle } | undefined;

  constructor(options: AuditLogOptions) {
    this.dir = path.join(options.storageDir, 'audit');
    this.settings = options.settings;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.scanner = options.scanner ?? new SecretScanner();
  }

  /** One line per finished request (the orchestrator calls every recorder). */
  record(record: UsageRecord): Promise<void> {
    return this.write(() => {
      const { ts, ...fields } = tidyRecord(record);
      return { v: AUDIT_FORMAT_VERSION, time: new Date(ts).toISOString(), type: 'request', ...fields };
    });
  }

  /** Key set/cleared/validated, secrets found and the choice made, budget overrides, provider changes, Restricted Mode refusals. */
  securityEvent(event: SecurityEvent): Promise<void> {
    const parsed = SecurityEventSchema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ');
      return Promise.reject(new Error(`Not a valid audit event (${problems}); nothing was written.`));
    }
    return this.write({ v: AUDIT_FORMAT_VERSION, time: new Date(this.clock.now()).toISOString(), ...parsed.data });
  }

  /** `aurelis.audit.includeContent`, as it is set now. */
  keepsContent(): boolean {
    return this.settings().audit.includeContent;
  }

  /**
   * Prompt or response text, written only when `aurelis.audit.includeContent` is on — and then
   * still scanned, with every secret replaced, whatever the user chose when it was sent.
   */
  content(entry: AuditContent): Promise<void> {
    if (!this.keepsContent()) return Promise.resolve();
    const findings = this.scanner.scan(entry.text);
    const cut = truncate(scrubSecrets(redact(entry.text, findings)), MAX_CONTENT_CHARS);
    return this.write(
      { v: AUDIT_FORMAT_VERSION, time: new Date(this.clock.now()).toISOString(), type: 'content', requestId: entry.requestId, direction: entry.direction, redactions: findings.length, truncated: cut.truncated },
      cut.text,
    );
  }

  /** Audit files, oldest first, as absolute paths. */
  async files(): Promise<string[]> {
    await this.flush();
    return (await this.listFiles()).map((f) => path.join(this.dir, f.name));
  }

  /** The file new lines go to (the newest one), or undefined when nothing was written yet. */
  async currentFile(): Promise<string | undefined> {
    return (await this.files()).at(-1);
  }

  /** Every valid line, oldest first. */
  async read(): Promise<AuditReadResult> {
    await this.flush();
    const lines: AuditLine[] = [];
    let skipped = 0;
    for (const file of await this.files()) {
      const parsed = parseAuditText(await readFileIfPresent(file));
      lines.push(...parsed.lines);
      skipped += parsed.skipped;
    }
    return { lines, skipped };
  }

  /** Writes every valid line, oldest first, to `destination` (JSON Lines). */
  async exportTo(destination: string): Promise<AuditExportResult> {
    const files = await this.files();
    const out = await open(destination, 'w');
    let lines = 0;
    let skipped = 0;
    try {
      for (const file of files) {
        const parsed = parseAuditText(await readFileIfPresent(file));
        skipped += parsed.skipped;
        lines += parsed.lines.length;
        if (parsed.lines.length > 0) await out.writeFile(parsed.lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      }
    } finally {
      await out.close();
    }
    return { lines, skipped, files: files.length };
  }

  /**
   * Deletes the files whose every line is older than `aurelis.audit.retentionDays`; returns
   * their names. Runs by itself on the first write and hourly after that.
   */
  async applyRetention(): Promise<string[]> {
    const now = this.clock.now();
    this.lastRetention = now;
    const cutoff = now - this.settings().audit.retentionDays * DAY_MS;
    const deleted: string[] = [];
    for (const file of await this.listFiles()) {
      if (file.id.day + DAY_MS > cutoff) continue;
      if (this.handle?.file === path.join(this.dir, file.name)) await this.closeHandle();
      await rm(path.join(this.dir, file.name), { force: true });
      deleted.push(file.name);
    }
    if (deleted.length > 0) this.logger.info(`Audit log: deleted ${deleted.length} file(s) older than ${this.settings().audit.retentionDays} days.`);
    return deleted;
  }

  /** Resolves when every line asked for so far has been written (or refused). */
  flush(): Promise<void> {
    return this.lines.flush();
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.closeHandle();
  }

  /** Queues one line; redaction, validation and the write happen after the caller moved on. */
  private write(fields: PendingLine['fields'], text?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => this.lines.add({ fields, text, resolve, reject }));
  }

  /** The lines asked for in one moment, in one write. */
  private async writeBatch(batch: PendingLine[]): Promise<void> {
    const lines: string[] = [];
    const accepted: PendingLine[] = [];
    for (const entry of batch) {
      try {
        const fields = typeof entry.fields === 'function' ? entry.fields() : entry.fields;
        const safe = redactFields(fields, { scanner: this.scanner, maxChars: MAX_FIELD_CHARS }) as Record<string, unknown>;
        lines.push(`${JSON.stringify(AuditLineSchema.parse(entry.text === undefined ? safe : { ...safe, text: entry.text }))}\n`);
        accepted.push(entry);
      } catch (e) {
        entry.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (accepted.length === 0) return;
    try {
      await this.append(lines.join(''));
      for (const entry of accepted) entry.resolve();
    } catch (e) {
      for (const entry of accepted) entry.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private async append(data: string): Promise<void> {
    const bytes = Buffer.from(data, 'utf8');
    try {
      if (!this.dirMade) {
        await mkdir(this.dir, { recursive: true });
        this.dirMade = true;
      }
      if (this.clock.now() - this.lastRetention >= RETENTION_INTERVAL_MS) await this.applyRetention();
      const fh = await this.openFor(bytes.length);
      // One write call of whole lines: O_APPEND makes it land whole at the end, whoever else is appending.
      let written = 0;
      while (written < bytes.length) written += (await fh.write(bytes, written, bytes.length - written)).bytesWritten;
    } catch (e) {
      this.dirMade = false;
      await this.closeHandle();
      const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      throw new Error(`Could not write the audit log in ${this.dir} (${code}). Check that the folder exists and is writable.`, { cause: e });
    }
  }

  /**
   * The open file for the next lines: the one already open while it is today's, still on disk
   * and has room; otherwise the file `fileFor` picks, opened for appending.
   */
  private async openFor(lineBytes: number): Promise<FileHandle> {
    const open_ = this.handle;
    if (open_ && this.current?.day === utcDay(this.clock.now())) {
      const { size, nlink } = await open_.fh.stat();
      if (nlink > 0 && (size === 0 || size + lineBytes <= this.settings().audit.maxFileMB * 1024 * 1024)) return open_.fh;
    }
    await this.closeHandle();
    const file = await this.fileFor(lineBytes);
    const fh = await open(file, 'a');
    this.handle = { file, fh };
    return fh;
  }

  private async closeHandle(): Promise<void> {
    const open_ = this.handle;
    this.handle = undefined;
    await open_?.fh.close().catch(() => undefined);
  }

  /** Today's newest file, or the next one when this line would push it past the size limit. */
  private async fileFor(lineBytes: number): Promise<string> {
    const day = utcDay(this.clock.now());
    if (this.current?.day !== day) {
      const today = (await this.listFiles()).filter((f) => f.id.day === day);
      this.current = { day, index: today.at(-1)?.id.index ?? 0 };
    }
    const maxBytes = this.settings().audit.maxFileMB * 1024 * 1024;
    for (;;) {
      const file = path.join(this.dir, auditFileName(this.current));
      const size = await sizeOf(file);
      if (size === 0 || size + lineBytes <= maxBytes) return file;
      this.current = { day, index: this.current.index + 1 };
    }
  }

  private async listFiles(): Promise<Array<{ name: string; id: AuditFileId }>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .flatMap((name) => {
        const id = parseAuditFileName(name);
        return id ? [{ name, id }] : [];
      })
      .sort((a, b) => compareAuditFiles(a.id, b.id));
  }
}

/** Valid lines of one file; torn, foreign or hand-edited lines are counted and skipped. */
export function parseAuditText(text: string): AuditReadResult {
  const lines: AuditLine[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim().length === 0) continue;
    try {
      const parsed = AuditLineSchema.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { lines, skipped };
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

async function readFileIfPresent(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    // Retention in another window may delete a file between listing and reading it.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}
