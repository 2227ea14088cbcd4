/**
 * Per-model daily request counts and known quota resets, kept in `<storage>/ratelimits.json`
 * so a restart does not forget that today's 50 requests to a model are used up.
 *
 * Days are UTC days. Each save re-reads the file and adds only this process's new requests, so
 * two editor windows sharing the storage folder add up instead of overwriting each other; the
 * file is replaced atomically (write a temporary file, then rename) so a crash never leaves half
 * a file behind.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Clock, Logger } from '../host';
import type { ModelTarget } from '../pipeline';
import { targetKey } from '../routing/modelRef';

const QuotaFileSchema = z.object({
  version: z.literal(1),
  day: z.string(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  /** Epoch ms until which a model's quota is known to be spent (a server said so). */
  blockedUntil: z.record(z.string(), z.number()),
});
type QuotaFile = z.infer<typeof QuotaFileSchema>;

export const QUOTA_FILE = 'ratelimits.json';
/** Requests within this many milliseconds share one save of the file. */
const SAVE_DELAY_MS = 250;
const DAY_MS = 24 * 60 * 60 * 1000;

export class DailyQuota {
  private day: string;
  /** UTC midnight starting the day `day` names: the request path compares numbers instead of formatting a date. */
  private dayStart: number;
  private counts = new Map<string, number>();
  /** Requests made since the last save, added to whatever the file holds then. */
  private unsaved = new Map<string, number>();
  private blockedUntil = new Map<string, number>();
  private loaded: Promise<void> | undefined;
  /** The file has been read (or found missing) and merged. */
  private merged = false;
  private saving: Promise<void> = Promise.resolve();
  /** A save is queued and has not started: later requests ride along with it. */
  private saveQueued = false;
  /** Starts the queued save; `flush()` starts it at once. */
  private startSave: (() => void) | undefined;
  private dirMade = false;
  private tmpCounter = 0;

  constructor(
    private readonly storageDir: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    const now = clock.now();
    this.day = utcDay(now);
    this.dayStart = utcMidnight(now);
  }

  /** Reads the file once; later calls return at once (undefined once it has been read: nothing to wait for). */
  ready(): Promise<void> | undefined {
    if (this.merged) return undefined;
    this.loaded ??= this.read().then((file) => {
      if (file) this.merge(file);
      this.merged = true;
    });
    return this.loaded;
  }

  /** Requests counted today for this model. */
  count(target: ModelTarget): number {
    this.rollOver();
    return this.counts.get(targetKey(target)) ?? 0;
  }

  /** When the model's quota frees up, if it is known to be spent now; otherwise undefined. */
  spentUntil(target: ModelTarget, requestsPerDay: number | undefined): number | undefined {
    this.rollOver();
    const now = this.clock.now();
    const key = targetKey(target);
    const blocked = this.blockedUntil.get(key);
    if (blocked !== undefined && blocked > now) return blocked;
    if (requestsPerDay !== undefined && (this.counts.get(key) ?? 0) >= requestsPerDay) return nextUtcMidnight(now);
    return undefined;
  }

  /**
   * Counts one request; the returned promise settles when it is on disk (never rejects). Callers
   * need not wait: the count is in memory at once, and the file is saved a moment later, once for
   * every request of that moment, so a busy window writes it far less often than once a request.
   */
  recordRequest(target: ModelTarget): Promise<void> {
    this.rollOver();
    const key = targetKey(target);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.unsaved.set(key, (this.unsaved.get(key) ?? 0) + 1);
    return this.save();
  }

  /** A server said this model's quota is spent until `until` (epoch ms); saved at once. */
  block(target: ModelTarget, until: number): Promise<void> {
    const key = targetKey(target);
    this.blockedUntil.set(key, Math.max(until, this.blockedUntil.get(key) ?? 0));
    const saved = this.save();
    this.startSave?.();
    return saved;
  }

  /** Saves what is counted now and waits for it (dispose, tests). */
  flush(): Promise<void> {
    this.startSave?.();
    return this.saving;
  }

  private save(): Promise<void> {
    if (this.saveQueued) return this.saving;
    this.saveQueued = true;
    const due = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.startSave?.(), SAVE_DELAY_MS);
      // A pending save must not keep a CLI or a test process alive.
      timer.unref?.();
      this.startSave = () => {
        clearTimeout(timer);
        this.startSave = undefined;
        resolve();
      };
    });
    this.saving = Promise.all([this.saving, due])
      .then(() => {
        this.saveQueued = false;
        return this.write();
      })
      .catch((err: unknown) => {
        this.dirMade = false;
        this.logger.warn(`Could not save the daily request counts (${QUOTA_FILE}): ${String(err)}`);
      });
    return this.saving;
  }

  private async write(): Promise<void> {
    const onDisk = await this.read();
    this.rollOver();
    if (onDisk) this.merge(onDisk);
    const file: QuotaFile = {
      version: 1,
      day: this.day,
      counts: Object.fromEntries(this.counts),
      blockedUntil: Object.fromEntries([...this.blockedUntil].filter(([, until]) => until > this.clock.now())),
    };
    if (!this.dirMade) {
      await mkdir(this.storageDir, { recursive: true });
      this.dirMade = true;
    }
    const target = path.join(this.storageDir, QUOTA_FILE);
    const tmp = `${target}.${process.pid}.${++this.tmpCounter}.tmp`;
    await writeFile(tmp, JSON.stringify(file));
    await rename(tmp, target);
    this.unsaved.clear();
  }

  /** Takes the larger of what is on disk plus our unsaved requests and what we know. */
  private merge(file: QuotaFile): void {
    if (file.day === this.day) {
      for (const [key, onDisk] of Object.entries(file.counts)) {
        const combined = onDisk + (this.unsaved.get(key) ?? 0);
        this.counts.set(key, Math.max(combined, this.counts.get(key) ?? 0));
      }
    }
    for (const [key, until] of Object.entries(file.blockedUntil)) {
      this.blockedUntil.set(key, Math.max(until, this.blockedUntil.get(key) ?? 0));
    }
  }

  private async read(): Promise<QuotaFile | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.storageDir, QUOTA_FILE), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = QuotaFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // Unreadable JSON is treated like an invalid shape below.
    }
    this.logger.warn(`${QUOTA_FILE} was unreadable; daily request counts start from zero.`);
    return undefined;
  }

  private rollOver(): void {
    const now = this.clock.now();
    if (now >= this.dayStart && now < this.dayStart + DAY_MS) return;
    this.dayStart = utcMidnight(now);
    this.day = utcDay(now);
    this.counts.clear();
    this.unsaved.clear();
  }
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function nextUtcMidnight(ms: number): number {
  return utcMidnight(ms) + DAY_MS;
}
