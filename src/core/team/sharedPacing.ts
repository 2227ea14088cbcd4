/**
 * Team-wide pacing: one model's requests-per-minute window and concurrency limit kept in Redis,
 * so every editor and CI job of the team together stays under the provider's limit.
 *
 * The window follows the local pacer's rule (modelPacer.ts): a request holds its place from
 * the moment it is let through until one window after it finished. In Redis each request is a
 * member of two sorted sets scored by when it stops counting — `window` (for the per-minute
 * limit) and `flight` (for concurrency). A request in flight is scored with a lease (the request
 * timeout plus a window), so the slot of a member that crashed before releasing expires on its
 * own. Time is Redis's own clock (TIME), so members whose clocks disagree still share one window.
 *
 * Within one process, requests for a model still queue first come, first served; only the head
 * of that queue asks Redis. If Redis goes away mid-wait, the request is paced locally instead.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../host';
import { ChangeSignal } from '../resilience/changeSignal';
import { PACING_WINDOW_MS, type PacePermit, type Pacer, type PaceRequest } from '../resilience/modelPacer';
import type { PaceLimits } from '../resilience/rateTiers';
import { throwIfAborted, type Timers } from '../resilience/timers';
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

/**
 * KEYS: window, flight. ARGV: id, windowMs, leaseMs, requestsPerMinute (0: none), concurrent
 * (0: none), now ('' for Redis's clock).
 */
const ACQUIRE = new LuaScript(`
${nowFrom(6)}
local windowMs = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
local rpm = tonumber(ARGV[4])
local concurrent = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if concurrent > 0 and redis.call('ZCARD', KEYS[2]) >= concurrent then
  return {1, 0}
end
if rpm > 0 and redis.call('ZCARD', KEYS[1]) >= rpm then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if redis.call('ZSCORE', KEYS[2], oldest[1]) then return {1, 0} end
  return {2, math.max(1, tonumber(oldest[2]) - now)}
end
redis.call('ZADD', KEYS[1], now + leaseMs + windowMs, ARGV[1])
redis.call('ZADD', KEYS[2], now + leaseMs, ARGV[1])
redis.call('PEXPIRE', KEYS[1], leaseMs + windowMs)
redis.call('PEXPIRE', KEYS[2], leaseMs + windowMs)
return {0, 0}
`);

/** KEYS: window, flight. ARGV: id, windowMs, now. The request finished: it counts for one more window. */
const RELEASE = new LuaScript(`
${nowFrom(3)}
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
`);

type Attempt = { granted: true } | { granted: false; waitMs: number; exact: boolean };

/** The shared windows of a team, one pair of keys per model. */
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
  async tryAcquire(model: string, limits: PaceLimits, id: string): Promise<Attempt | undefined> {
    const reply = await this.link.run('a pacing slot', (client) =>
      ACQUIRE.run(client, this.keys(model), [id, PACING_WINDOW_MS, this.leaseMs(), limits.requestsPerMinute ?? 0, limits.concurrent ?? 0, this.now()]),
    );
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') return undefined;
    if (reply[0] === 0) return { granted: true };
    return { granted: false, waitMs: reply[0] === 2 ? reply[1] : SHARED_POLL_MS, exact: reply[0] === 2 };
  }

  /** Best effort: a release Redis never hears about expires with its lease. */
  async release(model: string, id: string): Promise<void> {
    await this.link.run('releasing a pacing slot', (client) => RELEASE.run(client, this.keys(model), [id, PACING_WINDOW_MS, this.now()]));
  }

  get available(): boolean {
    return this.link.shared;
  }

  private now(): number | string {
    return this.clock ? this.clock.now() : '';
  }

  private keys(model: string): string[] {
    return [teamKey(this.team(), 'pace', model, 'window'), teamKey(this.team(), 'pace', model, 'flight')];
  }
}

/** One model's pacer in team mode: the shared window while Redis answers, the local pacer otherwise. */
export class TeamPacer implements Pacer {
  /** This process's waiters for the model, first come first served. */
  private readonly queue: object[] = [];
  private readonly changed = new ChangeSignal();

  constructor(
    private readonly model: string,
    private readonly shared: SharedWindows,
    private readonly local: Pacer,
    private readonly timers: Timers,
  ) {}

  async acquire(limits: PaceLimits, signal: AbortSignal | undefined, onWait?: (ms: number) => void, request?: PaceRequest): Promise<PacePermit> {
    // Limits only learned from a server's headers pace locally (they are this member's reading of them).
    if (!this.shared.available || (limits.requestsPerMinute === undefined && limits.concurrent === undefined)) {
      return this.local.acquire(limits, signal, onWait, request);
    }
    const ticket = {};
    this.queue.push(ticket);
    let told = false;
    try {
      for (;;) {
        throwIfAborted(signal);
        if (this.queue[0] !== ticket) {
          await this.changed.wait(signal);
          continue;
        }
        const id = randomUUID();
        const attempt = await this.shared.tryAcquire(this.model, limits, id);
        if (attempt === undefined) return await this.local.acquire(limits, signal, told ? undefined : onWait, request);
        if (attempt.granted) return this.permit(id);
        if (!told && attempt.exact) {
          told = true;
          onWait?.(attempt.waitMs);
        }
        await this.timers.sleep(attempt.waitMs, signal);
      }
    } finally {
      const index = this.queue.indexOf(ticket);
      if (index >= 0) this.queue.splice(index, 1);
      this.changed.notify();
    }
  }

  private permit(id: string): PacePermit {
    let released = false;
    return {
      // What a shared request's answer announces is not learned: the team's window is the told limit.
      report: () => undefined,
      release: () => {
        if (released) return;
        released = true;
        void this.shared.release(this.model, id);
      },
    };
  }
}
