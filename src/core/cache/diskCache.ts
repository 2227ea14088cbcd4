/**
 * The disk layer of the response cache: one JSON file per answer in `<storage>/cache/`, so
 * answers survive a restart and are shared by all windows.
 *
 * - Writes are atomic: the entry goes to a temporary file that is then renamed over the final
 *   name, so a reader sees the old file, the new file or none — never half of one.
 * - Anything unreadable (a file cut short by a crash or a full disk, edited by hand, from another
 *   version) is treated as a miss and deleted; the cache never throws at the user.
 * - Total size is bounded: when it passes the limit the oldest entries go first. Other windows
 *   write too, so the folder is rescanned now and then to keep the count honest.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../host';
import { CacheEntrySchema, type CacheEntry } from './cacheEntry';
import { errorMessage } from '../../shared/errorMessage';

const ENTRY = /^[0-9a-f]{64}\.json$/;
const TEMP = /\.tmp$/;
/** A temporary file this old was left by a crash (a live write takes milliseconds). */
const STALE_TEMP_MS = 10 * 60_000;
/** How often the size bookkeeping is refreshed from the folder. */
const RESCAN_MS = 5 * 60_000;

interface IndexEntry {
  bytes: number;
}

export interface DiskUsage {
  entries: number;
  bytes: number;
}

export class DiskCache {
  readonly dir: string;
  /** Entries by key, oldest first (Map keeps insertion order). */
  private index = new Map<string, IndexEntry>();
  private indexBytes = 0;
  private scannedAt = -Infinity;
  private scanning: Promise<void> | undefined;

  constructor(
    storageDir: string,
    private readonly logger: Logger,
  ) {
    this.dir = path.join(storageDir, 'cache');
  }

  /** The entry for `key`, or undefined when missing or unreadable (an unreadable file is deleted). */
  async read(key: string): Promise<CacheEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(key), 'utf8');
    } catch (e) {
      if (!isMissing(e)) this.logger.warn(`Response cache: could not read an entry (${errorMessage(e)}); treating it as a miss.`);
      return undefined;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = CacheEntrySchema.safeParse(raw);
    if (!parsed.success || parsed.data.key !== key) {
      this.logger.debug(`Response cache: removed an unreadable entry ${key.slice(0, 12)}…`);
      await this.remove(key);
      return undefined;
    }
    return parsed.data;
  }

  /** Stores an entry atomically, then trims the folder to `maxBytes`. Failures are logged, not thrown. */
  async write(entry: CacheEntry, maxBytes: number): Promise<void> {
    const text = JSON.stringify(entry);
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) return;
    const temp = path.join(this.dir, `${entry.key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await this.ensureScanned();
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, text, 'utf8');
      await rename(temp, this.file(entry.key));
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      this.logger.warn(`Response cache: could not store an answer on disk (${errorMessage(e)}). It stays cached in memory only.`);
      return;
    }
    this.track(entry.key, bytes);
    await this.trim(maxBytes);
  }

  async remove(key: string): Promise<void> {
    await rm(this.file(key), { force: true }).catch((e: unknown) => this.logger.warn(`Response cache: could not delete an entry (${errorMessage(e)}).`));
    this.untrack(key);
  }

  /** Deletes every entry (and leftover temporary file) in the folder, whoever wrote it. */
  async clear(): Promise<{ keys: Set<string>; bytes: number }> {
    const keys = new Set<string>();
    let bytes = 0;
    for (const name of await this.list()) {
      const isEntry = ENTRY.test(name);
      if (!isEntry && !TEMP.test(name)) continue;
      const file = path.join(this.dir, name);
      try {
        const { size } = await stat(file);
        await rm(file, { force: true });
        if (isEntry) {
          keys.add(name.slice(0, 64));
          bytes += size;
        }
      } catch (e) {
        if (!isMissing(e)) this.logger.warn(`Response cache: could not delete ${name} (${errorMessage(e)}).`);
      }
    }
    this.index = new Map();
    this.indexBytes = 0;
    this.scannedAt = -Infinity;
    return { keys, bytes };
  }

  usage(): DiskUsage {
    return { entries: this.index.size, bytes: this.indexBytes };
  }

  /** Oldest first until the folder fits. */
  private async trim(maxBytes: number): Promise<void> {
    for (const [key] of this.index) {
      if (this.indexBytes <= maxBytes) break;
      await this.remove(key);
    }
  }

  private async ensureScanned(): Promise<void> {
    if (Date.now() - this.scannedAt < RESCAN_MS) return;
    this.scanning ??= this.scan().finally(() => {
      this.scanning = undefined;
    });
    await this.scanning;
  }

  /** Rebuilds the size bookkeeping from the folder, oldest file first; sweeps stale temporary files. */
  private async scan(): Promise<void> {
    const found: Array<{ key: string; bytes: number; mtime: number }> = [];
    for (const name of await this.list()) {
      const file = path.join(this.dir, name);
      try {
        const s = await stat(file);
        if (ENTRY.test(name)) found.push({ key: name.slice(0, 64), bytes: s.size, mtime: s.mtimeMs });
        else if (TEMP.test(name) && Date.now() - s.mtimeMs > STALE_TEMP_MS) await rm(file, { force: true });
      } catch (e) {
        if (!isMissing(e)) this.logger.warn(`Response cache: could not inspect ${name} (${errorMessage(e)}).`);
      }
    }
    found.sort((a, b) => a.mtime - b.mtime);
    this.index = new Map(found.map((f) => [f.key, { bytes: f.bytes }]));
    this.indexBytes = found.reduce((sum, f) => sum + f.bytes, 0);
    this.scannedAt = Date.now();
  }

  private track(key: string, bytes: number): void {
    this.untrack(key);
    this.index.set(key, { bytes });
    this.indexBytes += bytes;
  }

  private untrack(key: string): void {
    const old = this.index.get(key);
    if (!old) return;
    this.index.delete(key);
    this.indexBytes -= old.bytes;
  }

  private async list(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}

function isMissing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

