/**
 * Team-wide pacing: one model's requests-per-minute and tokens-per-minute windows, concurrency
 * limit and daily request quota kept in Redis, so every editor and CI job of the team together
 * stays under the provider's limits — the limits the user told Aurelis (or GitHub's published
 * tiers) and those any member learned from the server's rate-limit headers.
 *
 * The window follows the local pacer's rule (modelPacer.ts): a request holds its place from
 * the moment it is let through until one window after it finished. In Redis each request is a
 * member of two sorted sets scored by when it stops counting — `window` (for the per-minute
 * limit) and `flight` (for concurrency). A request in flight is scored with a lease (the request
 * timeout plus a window), so the slot of a member that crashed before releasing expires on its
 * own. Time is Redis's own clock (TIME), so members whose clocks disagree still share one window.
 *
 * What a member learns from an answer's headers (x-ratelimit-*, anthropic-ratelimit-*, a 429's
 * wait) goes into the model's `learned` hash in the same atomic way: the limit becomes the shared
 * window's size (the smaller of it and a told one), and "nothing remaining" or a 429 pauses every
 * member until the server said (or one request's share of the window). The daily quota is one
 * counter per model and UTC day, checked and counted in the same script as the window.
 *
 * Within one process, requests for a model still queue first come, first served (retries
 * first); only the head of that queue asks Redis. If Redis goes away mid-wait, the request is
 * paced locally instead.
 */
import { randomUUID } from 'node:crypto';
import { AurelisError } from '../errors';
import type { Clock } from '../host';
import type { ModelTarget } from '../pipeline';
import { providerLabel } from '../providers/presets';
import { describeReset } from '../providers/providerErrors';
import { PACING_WINDOW_MS, PLAIN_REQUEST, type PaceOutcome, type PacePermit, type Pacer, type PaceRequest } from '../resilience/modelPacer';
import type { PaceLimits } from '../resilience/rateTiers';
import type { Timers } from '../resilience/timers';
import { TurnQueue } from '../resilience/turnQueue';
import { targetKey } from '../routing/modelRef';
import { LuaScript, teamKey } from './luaScript';
import type { TeamChannel } from './teamLink';

/** Lua: `now` in ms from ARGV[n] when given (benchmarks' scaled time), else from Redis's clock. */
function nowFrom(n: number): string {
  return `local now = tonumber(ARGV[${n}])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;
}

/** While only a release elsewhere can free a slot, look again this often. */
export const SHARED_POLL_MS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
/** What members learned of a model is forgotten after a day without news. */
const LEARNED_TTL_MS = DAY_MS;
/** A 429 that said nothing, from a server that announced nothing: the team pauses this long. */
const BLIND_PAUSE_MS = 1000;

/**
 * KEYS: window, flight, tokens, learned, quota. ARGV: id, windowMs, leaseMs, requestsPerMinute
 * (0: none), concurrent (0: none), requestsPerDay (0: none), tokens, learned ('1': pace by what
 * was learned), now ('' for Redis's clock).
 * Returns {0, 0} granted, {1, 0} only a release can help, {2, ms} wait, {3, ms} the day's quota
 * is spent for this long. The `tokens` set's members are `<id>:<tokens>`.
 */
const ACQUIRE = new LuaScript(`
${nowFrom(9)}
local windowMs = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
local rpm = tonumber(ARGV[4])
local concurrent = tonumber(ARGV[5])
local rpd = tonumber(ARGV[6])
local tokens = tonumber(ARGV[7])
local tpm = 0
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if ARGV[8] == '1' then
  local learned = redis.call('HMGET', KEYS[4], 'rpm', 'tpm', 'until')
  local pausedUntil = tonumber(learned[3])
  if pausedUntil and pausedUntil > now then return {2, pausedUntil - now} end
  local lrpm = tonumber(learned[1])
  if lrpm and lrpm >= 1 and (rpm == 0 or lrpm < rpm) then rpm = math.floor(lrpm) end
  tpm = tonumber(learned[2]) or 0
end
local day = math.floor(now / 86400000)
local counted = redis.call('HMGET', KEYS[5], 'day', 'count')
local today = tonumber(counted[1]) == day and (tonumber(counted[2]) or 0) or 0
if rpd > 0 and today >= rpd then return {3, (day + 1) * 86400000 - now} end
if concurrent > 0 and redis.call('ZCARD', KEYS[2]) >= concurrent then
  return {1, 0}
end
if rpm > 0 and redis.call('ZCARD', KEYS[1]) >= rpm then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if redis.call('ZSCORE', KEYS[2], oldest[1]) then return {1, 0} end
  return {2, math.max(1, tonumber(oldest[2]) - now)}
end
if tpm > 0 and tokens > 0 then
  local entries = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local used = 0
  for i = 1, #entries, 2 do used = used + (tonumber(string.match(entries[i], ':(%d+)$')) or 0) end
  local need = math.min(tokens, tpm)
  if used + need > tpm then
    for i = 1, #entries, 2 do
      used = used - (tonumber(string.match(entries[i], ':(%d+)$')) or 0)
      if used + need <= tpm then
        if redis.call('ZSCORE', KEYS[2], string.match(entries[i], '^(.*):%d+$')) then return {1, 0} end
        return {2, math.max(1, tonumber(entries[i + 1]) - now)}
      end
    end
    return {1, 0}
  end
end
redis.call('ZADD', KEYS[1], now + leaseMs + windowMs, ARGV[1])
redis.call('ZADD', KEYS[2], now + leaseMs, ARGV[1])
redis.call('PEXPIRE', KEYS[1], leaseMs + windowMs)
redis.call('PEXPIRE', KEYS[2], leaseMs + windowMs)
if tokens > 0 then
  redis.call('ZADD', KEYS[3], now + leaseMs + windowMs, ARGV[1] .. ':' .. tokens)
  redis.call('PEXPIRE', KEYS[3], leaseMs + windowMs)
end
redis.call('HSET', KEYS[5], 'day', day, 'count', today + 1)
redis.call('PEXPIRE', KEYS[5], 2 * 86400000)
return {0, 0}
`);

/** KEYS: window, flight, tokens. ARGV: id, windowMs, tokens member ('' if none), now. The request finished: it counts for one more window. */
const RELEASE = new LuaScript(`
${nowFrom(4)}
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[3], 'XX', now + tonumber(ARGV[2]), ARGV[3]) end
return 1
`);

/**
 * KEYS: learned. ARGV: request limit, remaining, reset ms; token limit, remaining, reset ms
 * ('' where not announced); '1' if the answer was a 429; the wait it asked for ('' if none);
 * windowMs; ttlMs; now. "Nothing remaining" pauses the team for one request's share of the
 * time to reset; a 429 for what it asked, else one request's share of the window. A pause is
 * at most one window: a longer wait is a spent quota (a day's), which each member meets on its
 * own next request and answers by moving to the next model, instead of waiting for hours.
 */
const LEARN = new LuaScript(`
${nowFrom(11)}
local windowMs = tonumber(ARGV[9])
local pausedUntil = tonumber(redis.call('HGET', KEYS[1], 'until')) or 0
local function learn(field, limit, remaining, reset)
  if not limit then return end
  redis.call('HSET', KEYS[1], field, limit)
  if remaining and remaining < 1 then
    local one = reset and reset / math.max(1, limit - remaining) or windowMs / limit
    pausedUntil = math.max(pausedUntil, now + math.min(windowMs, math.ceil(one)))
  end
end
learn('rpm', tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
learn('tpm', tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]))
if ARGV[7] == '1' then
  local wait = tonumber(ARGV[8])
  if not wait then
    local rpm = tonumber(redis.call('HGET', KEYS[1], 'rpm'))
    wait = rpm and math.ceil(windowMs / rpm) or ${BLIND_PAUSE_MS}
  end
  pausedUntil = math.max(pausedUntil, now + math.min(windowMs, wait))
end
if pausedUntil > now then redis.call('HSET', KEYS[1], 'until', math.floor(pausedUntil)) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[10]))
return 1
`);

type Attempt = { kind: 'granted' } | { kind: 'wait'; waitMs: number; exact: boolean } | { kind: 'spent'; forMs: number };

/** The shared windows of a team, one set of keys per model. */
export class SharedWindows {
  constructor(
    private readonly link: TeamChannel,
    private readonly team: () => string,
    /** How long a request may hold its slot before it is taken for crashed: the request timeout. */
    private readonly leaseMs: () => number,
    /** Redis's own clock when absent (members' clocks may disagree); benchmarks pass their scaled time. */
    private readonly clock?: Clock,
  ) {}

  /** `undefined`: Redis is not available, pace locally. */
  async tryAcquire(model: string, limits: PaceLimits, request: PaceRequest, id: string): Promise<Attempt | undefined> {
    const tokens = Math.max(0, Math.ceil(request.tokens));
    const reply = await this.link.run('a pacing slot', (client) =>
      ACQUIRE.run(client, this.keys(model), [
        id,
        PACING_WINDOW_MS,
        this.leaseMs(),
        limits.requestsPerMinute ?? 0,
        limits.concurrent ?? 0,
        limits.requestsPerDay ?? 0,
        tokens,
        request.learned ? '1' : '0',
        this.now(),
      ]),
    );
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') return undefined;
    const [kind, ms] = reply as [number, number];
    if (kind === 0) return { kind: 'granted' };
    if (kind === 3) return { kind: 'spent', forMs: ms };
    return { kind: 'wait', waitMs: kind === 2 ? ms : SHARED_POLL_MS, exact: kind === 2 };
  }

  /** Best effort: a release Redis never hears about expires with its lease. */
  async release(model: string, id: string, tokens: number): Promise<void> {
    const member = tokens > 0 ? `${id}:${Math.ceil(tokens)}` : '';
    await this.link.run('releasing a pacing slot', (client) => RELEASE.run(client, this.keys(model), [id, PACING_WINDOW_MS, member, this.now()]));
  }

  /** What one member's answer announced (or its 429) becomes the whole team's pace. */
  async learn(model: string, outcome: PaceOutcome): Promise<void> {
    const { requests, tokens } = outcome.announced ?? {};
    const limited = outcome.result === 'rate_limited';
    if (!requests && !tokens && !limited) return;
    const figures = (a: typeof requests): Array<number | string> => (a ? [a.limit, a.remaining, a.resetMs ?? ''] : ['', '', '']);
    await this.link.run('sharing a learned rate limit', (client) =>
      LEARN.run(
        client,
        [this.keys(model)[3] as string],
        [...figures(requests), ...figures(tokens), limited ? '1' : '0', outcome.waitMs ?? '', PACING_WINDOW_MS, LEARNED_TTL_MS, this.now()],
      ),
    );
  }

  get available(): boolean {
    return this.link.shared;
  }

  private now(): number | string {
    return this.clock ? this.clock.now() : '';
  }

  private keys(model: string): string[] {
    return ['window', 'flight', 'tokens', 'learned', 'quota'].map((part) => teamKey(this.team(), 'pace', model, part));
  }
}

/** One model's pacer in team mode: the shared windows while Redis answers, the local pacer otherwise. */
export class TeamPacer implements Pacer {
  private readonly line = new TurnQueue();
  private readonly model: string;

  constructor(
    private readonly target: ModelTarget,
    private readonly shared: SharedWindows,
    private readonly local: Pacer,
    private readonly timers: Timers,
    private readonly team: () => string,
  ) {
    this.model = targetKey(target);
  }

  async acquire(limits: PaceLimits, signal: AbortSignal | undefined, onWait?: (ms: number) => void, request: PaceRequest = PLAIN_REQUEST): Promise<PacePermit> {
    const told = limits.requestsPerMinute !== undefined || limits.concurrent !== undefined || limits.requestsPerDay !== undefined;
    if (!this.shared.available || (!told && !request.learned)) return this.local.acquire(limits, signal, onWait, request);
    let waitTold = false;
    return this.line.take(request.retry, signal, async () => {
      const id = randomUUID();
      const attempt = await this.shared.tryAcquire(this.model, limits, request, id);
      if (attempt === undefined) return { result: await this.local.acquire(limits, signal, waitTold ? undefined : onWait, request) };
      if (attempt.kind === 'granted') return { result: this.permit(id, request.tokens) };
      if (attempt.kind === 'spent') throw this.quotaSpent(limits.requestsPerDay ?? 0, attempt.forMs);
      if (!waitTold && attempt.exact) {
        waitTold = true;
        onWait?.(attempt.waitMs);
      }
      await this.timers.sleep(attempt.waitMs, signal);
      return undefined;
    });
  }

  private quotaSpent(requestsPerDay: number, forMs: number): AurelisError {
    const { provider, model } = this.target;
    const now = this.timers.now();
    return new AurelisError(
      'rate_limited',
      `The daily quota of ${model} on ${providerLabel(provider)} (${requestsPerDay} requests a day, shared by team "${this.team()}") is spent; it resets ${describeReset(now + forMs, now)}. Choose another model or provider, or wait.`,
      { provider, model, status: 429, resetAt: now + forMs, nextSteps: ['chooseModel', 'selectProvider'] },
    );
  }

  private permit(id: string, tokens: number): PacePermit {
    let released = false;
    return {
      // What the server announced paces every member: it goes to the team's `learned` hash.
      report: (outcome) => {
        if (!released) void this.shared.learn(this.model, outcome);
      },
      release: () => {
        if (released) return;
        released = true;
        void this.shared.release(this.model, id, tokens);
      },
    };
  }
}
