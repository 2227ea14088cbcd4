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
  total = tonumber(redis.call('INCRBY', KEYS[4], -size))
  evicted = evicted + 1
end
return evicted
`);

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

  private answerKey(key: string): string {
    return teamKey(this.settings().team.name, 'cache', 'answer', key);
  }
}
