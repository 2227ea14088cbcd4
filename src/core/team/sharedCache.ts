/**
 * The team's cache level in Redis, between memory and disk: a teammate's answer to the same
 * request (same code, task, model and options: the same cache key) is a hit.
 *
 * Each answer is a string key with the task's TTL (Redis removes it when it expires); a sorted
 * set orders the answers by when they were stored and a hash keeps their sizes, so one Lua
 * script can store an answer and evict the oldest until the team's answers fit
 * `aurelis.team.cacheMaxMB`. Anything read back is validated; bad data is a miss.
 */
import { CacheEntrySchema, type CacheEntry } from '../cache/cacheEntry';
import type { SharedCacheLevel } from '../cache/responseCache';
import { AurelisError } from '../errors';
import { throwIfAborted } from '../resilience/timers';
import type { Settings } from '../settings';
import { LuaScript, teamKey } from './luaScript';
import type { TeamChannel } from './teamLink';

const MB = 1024 * 1024;

/** KEYS: answer, order, sizes, total. ARGV: key, value, ttlMs, maxBytes. Returns how many were evicted. */
const STORE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bytes = string.len(ARGV[2])
local previous = tonumber(redis.call('HGET', KEYS[3], ARGV[1])) or 0
redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
redis.call('HSET', KEYS[3], ARGV[1], bytes)
redis.call('ZADD', KEYS[2], now, ARGV[1])
local total = tonumber(redis.call('INCRBY', KEYS[4], bytes - previous))
local evicted = 0
local prefix = string.sub(KEYS[1], 1, string.len(KEYS[1]) - string.len(ARGV[1]))
while total > tonumber(ARGV[4]) do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not oldest or oldest == ARGV[1] then break end
  local size = tonumber(redis.call('HGET', KEYS[3], oldest)) or 0
  redis.call('DEL', prefix .. oldest)
  redis.call('HDEL', KEYS[3], oldest)
  redis.call('ZREM', KEYS[2], oldest)
  if size > 0 then total = tonumber(redis.call('INCRBY', KEYS[4], 0 - size)) end
  evicted = evicted + 1
end
return evicted
`);

/**
 * KEYS: order, sizes, total. ARGV: the answers' key prefix, how many to take. Removes the oldest
 * answers of the team cache; returns {answers removed, their bytes, answers left}. Answers whose
 * TTL already removed them leave the index without being counted.
 */
const CLEAR_BATCH = new LuaScript(`
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[2]))
local entries, bytes = 0, 0
for i = 1, #popped, 2 do
  local member = popped[i]
  local size = tonumber(redis.call('HGET', KEYS[2], member)) or 0
  if redis.call('DEL', ARGV[1] .. member) == 1 then
    entries = entries + 1
    bytes = bytes + size
  end
  redis.call('HDEL', KEYS[2], member)
  -- Lua's -0 reads as "-0", which INCRBY refuses.
  if size > 0 then redis.call('INCRBY', KEYS[3], 0 - size) end
end
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[2], KEYS[3]) end
return {entries, bytes, left}
`);
/** Answers removed per script run: Redis is never held for long. */
const CLEAR_BATCH_SIZE = 200;
/** A batch the user asked for may take this long (the first one also loads the script). */
const CLEAR_TIMEOUT_MS = 5000;

export interface TeamCacheCleared {
  entries: number;
  bytes: number;
}

export class SharedAnswerCache implements SharedCacheLevel {
  constructor(
    private readonly link: TeamChannel,
    private readonly settings: () => Settings,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const raw = await this.link.run('a team cache lookup', (client) => client.get(this.answerKey(key)));
    if (typeof raw !== 'string') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const parsed = CacheEntrySchema.safeParse(json);
    return parsed.success && parsed.data.key === key ? parsed.data : undefined;
  }

  async set(entry: CacheEntry, ttlMs: number): Promise<void> {
    const team = this.settings().team;
    const maxBytes = Math.floor(team.cacheMaxMB * MB);
    const keys = [this.answerKey(entry.key), teamKey(team.name, 'cache', 'order'), teamKey(team.name, 'cache', 'sizes'), teamKey(team.name, 'cache', 'bytes')];
    await this.link.run('storing in the team cache', (client) => STORE.run(client, keys, [entry.key, JSON.stringify(entry), Math.max(1, Math.floor(ttlMs)), maxBytes]));
  }

  /**
   * Empties the team's cache level in Redis (every member's answers; each machine's own cache
   * stays), a batch at a time so Redis is never held for long. `onProgress` hears the running
   * count. Throws when Redis stops answering; what was removed by then stays removed.
   */
  async clear(where: string, onProgress?: (removed: number, left: number) => void, signal?: AbortSignal): Promise<TeamCacheCleared> {
    const team = this.settings().team.name;
    const keys = [teamKey(team, 'cache', 'order'), teamKey(team, 'cache', 'sizes'), teamKey(team, 'cache', 'bytes')];
    const prefix = teamKey(team, 'cache', 'answer', '');
    const cleared = { entries: 0, bytes: 0 };
    for (;;) {
      throwIfAborted(signal);
      const reply = await this.link.run('clearing the team cache', (client) => CLEAR_BATCH.run(client, keys, [prefix, CLEAR_BATCH_SIZE]), { timeoutMs: CLEAR_TIMEOUT_MS });
      if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((n) => typeof n === 'number')) {
        const done = cleared.entries > 0 ? ` (${cleared.entries} answers were removed before that)` : '';
        throw new AurelisError('unavailable', `The team cache was not cleared: Redis at ${where} did not answer${done}. The log says why; try again when team mode is back.`, { nextSteps: ['retry', 'viewLog'] });
      }
      const [entries, bytes, left] = reply as [number, number, number];
      cleared.entries += entries;
      cleared.bytes += bytes;
      onProgress?.(cleared.entries, left);
      if (left === 0) return cleared;
    }
  }

  private answerKey(key: string): string {
    return teamKey(this.settings().team.name, 'cache', 'answer', key);
  }
}
