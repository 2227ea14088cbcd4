/**
 * The response cache stage: memory first (lru-cache, bounded by entries and bytes), then the
 * team's Redis level when team mode is on (src/core/team/sharedCache.ts), then disk (diskCache.ts). An answer lives for its task's TTL (`aurelis.cache.ttlMinutes`), checked on
 * every read against the injected clock, so a changed TTL applies to answers already stored.
 * Settings are read live; turning the cache off makes every lookup a miss that is not counted.
 */
import { LRUCache } from 'lru-cache';
import type { Clock, Logger } from '../host';
import { silentLogger, systemClock } from '../host';
import type { CachedAnswer, ModelTarget, ResponseCache } from '../pipeline';
import type { Settings } from '../settings';
import type { TaskRequest, TaskType } from '../types';
import { CACHE_FORMAT_VERSION, type CacheEntry } from './cacheEntry';
import { cacheKey } from './cacheKey';
import { DiskCache } from './diskCache';

const MB = 1024 * 1024;

export interface ResponseCacheOptions {
  /** The host's storage folder; answers are kept in its `cache/` subfolder. */
  storageDir: string;
  settings: () => Settings;
  clock?: Clock;
  logger?: Logger;
  /** Team mode: a level shared through Redis, asked between memory and disk. */
  shared?: SharedCacheLevel;
}

/** A cache level other machines share; it answers `undefined` rather than throwing when it cannot help. */
export interface SharedCacheLevel {
  get(key: string): Promise<CacheEntry | undefined>;
  /** Keeps `entry` for `ttlMs` (what is left of its task's TTL). */
  set(entry: CacheEntry, ttlMs: number): Promise<void>;
}

export interface CacheStats {
  hits: number;
  misses: number;
  memoryHits: number;
  /** Answers a teammate stored (team mode). */
  sharedHits: number;
  diskHits: number;
  /** Lookups skipped because the user asked to regenerate. */
  bypassed: number;
  memoryEntries: number;
  memoryBytes: number;
  /** As last counted by this window (other windows write to the same folder). */
  diskEntries: number;
  diskBytes: number;
}

export interface ClearResult {
  /** Distinct answers removed from memory, disk or both. */
  entries: number;
  /** Bytes freed on disk, plus the size of answers that were only in memory. */
  bytes: number;
}

interface MemoryEntry {
  entry: CacheEntry;
  bytes: number;
}

export class TieredResponseCache implements ResponseCache {
  private readonly settings: () => Settings;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly disk: DiskCache;
  private memory: LRUCache<string, MemoryEntry>;
  private memoryLimits: { max: number; maxSize: number };
  private readonly counts = { hits: 0, misses: 0, memoryHits: 0, sharedHits: 0, diskHits: 0, bypassed: 0 };

  constructor(private readonly options: ResponseCacheOptions) {
    this.settings = options.settings;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.disk = new DiskCache(options.storageDir, this.logger);
    this.memoryLimits = this.currentMemoryLimits();
    this.memory = newMemory(this.memoryLimits);
  }

  async get(request: TaskRequest, target: ModelTarget): Promise<CachedAnswer | undefined> {
    if (!this.settings().cache.enabled) return undefined;
    if (request.bypassCache) {
      this.counts.bypassed++;
      return undefined;
    }
    const key = cacheKey(request, target);
    const memory = this.currentMemory();
    const inMemory = memory.get(key);
    if (inMemory) {
      if (this.isFresh(inMemory.entry)) return this.hit('memoryHits', inMemory.entry);
      memory.delete(key);
      await this.disk.remove(key);
      return this.miss();
    }
    const shared = await this.options.shared?.get(key);
    if (shared && this.isFresh(shared) && shared.task === request.task) {
      memory.set(key, { entry: shared, bytes: sizeOf(shared) });
      return this.hit('sharedHits', shared);
    }
    const onDisk = await this.disk.read(key);
    if (!onDisk) return this.miss();
    if (!this.isFresh(onDisk)) {
      await this.disk.remove(key);
      return this.miss();
    }
    memory.set(key, { entry: onDisk, bytes: sizeOf(onDisk) });
    return this.hit('diskHits', onDisk);
  }

  async set(request: TaskRequest, target: ModelTarget, answer: CachedAnswer): Promise<void> {
    const settings = this.settings().cache;
    if (!settings.enabled) return;
    const entry: CacheEntry = { v: CACHE_FORMAT_VERSION, key: cacheKey(request, target), task: request.task, answer };
    this.currentMemory().set(entry.key, { entry, bytes: sizeOf(entry) });
    const ttlLeft = ttlMs(this.settings(), entry.task) - (this.clock.now() - answer.storedAt);
    await Promise.all([this.disk.write(entry, settings.diskMaxMB * MB), ttlLeft > 0 ? this.options.shared?.set(entry, ttlLeft) : undefined]);
  }

  /** Empties memory and disk (the disk folder of every window). */
  async clear(): Promise<ClearResult> {
    const memoryOnly = new Map<string, number>();
    for (const [key, value] of this.memory.entries()) memoryOnly.set(key, value.bytes);
    this.memory.clear();
    const disk = await this.disk.clear();
    let bytes = disk.bytes;
    for (const [key, size] of memoryOnly) if (!disk.keys.has(key)) bytes += size;
    const entries = new Set([...memoryOnly.keys(), ...disk.keys]).size;
    this.logger.info(`Response cache cleared: ${entries} answer(s), ${bytes} bytes.`);
    return { entries, bytes };
  }

  stats(): CacheStats {
    const disk = this.disk.usage();
    return {
      ...this.counts,
      memoryEntries: this.memory.size,
      memoryBytes: this.memory.calculatedSize,
      diskEntries: disk.entries,
      diskBytes: disk.bytes,
    };
  }

  private isFresh(entry: CacheEntry): boolean {
    return this.clock.now() - entry.answer.storedAt < ttlMs(this.settings(), entry.task);
  }

  private hit(layer: 'memoryHits' | 'sharedHits' | 'diskHits', entry: CacheEntry): CachedAnswer {
    this.counts.hits++;
    this.counts[layer]++;
    return entry.answer;
  }

  private miss(): undefined {
    this.counts.misses++;
    return undefined;
  }

  /** The memory layer, rebuilt (keeping the most recent answers) when its limits were changed. */
  private currentMemory(): LRUCache<string, MemoryEntry> {
    const limits = this.currentMemoryLimits();
    if (limits.max !== this.memoryLimits.max || limits.maxSize !== this.memoryLimits.maxSize) {
      const next = newMemory(limits);
      // rentries() runs least recently used first, so the most recent end up on top.
      for (const [key, value] of this.memory.rentries() as Iterable<[string, MemoryEntry]>) next.set(key, value);
      this.memory = next;
      this.memoryLimits = limits;
    }
    return this.memory;
  }

  private currentMemoryLimits(): { max: number; maxSize: number } {
    const c = this.settings().cache;
    return { max: c.memoryMaxEntries, maxSize: Math.floor(c.memoryMaxMB * MB) };
  }
}

function newMemory(limits: { max: number; maxSize: number }): LRUCache<string, MemoryEntry> {
  return new LRUCache<string, MemoryEntry>({ ...limits, sizeCalculation: (v) => Math.max(1, v.bytes) });
}

/** Bytes the answer takes as UTF-16 in memory, roughly: its text dominates. */
function sizeOf(entry: CacheEntry): number {
  return 2 * (entry.answer.content.length + entry.answer.model.length) + 200;
}

export function ttlMs(settings: Settings, task: TaskType): number {
  const ttl = settings.cache.ttlMinutes;
  return (ttl[task] ?? ttl.default) * 60_000;
}
