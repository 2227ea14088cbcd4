/**
 * Team budgets: a team's spend per UTC day, week and month counted atomically in Redis, so
 * every editor and CI job of the team shares one limit (`aurelis.team.budgets.*`).
 *
 * A request reserves the most it can cost before it is sent (the same pessimistic estimate as
 * the personal gate: prompt plus the full output allowance at the target's price) and settles
 * to its real cost when it is recorded; a failed, cancelled or cached request settles to what it
 * really cost (often nothing), which releases the rest. The check and the reservation are one
 * Lua script, so concurrent members cannot all pass the same last dollar: the limit can only be
 * crossed by requests whose real cost exceeded their reservation. A reservation whose member
 * crashed expires with its lease.
 *
 * Each period key is a Redis hash: `settled` (dollars), and per reservation `r:<id>` (dollars)
 * and `e:<id>` (when it expires, Redis time in ms). Unparseable values count as nothing.
 *
 * This gate wraps the personal one: the personal budgets are checked first, and the stricter
 * of the two decisions wins. When Redis is away, only the personal budgets apply; costs that
 * could not be settled are kept and settled when Redis is back.
 */
import { AurelisError } from '../errors';
import type { Clock, Logger } from '../host';
import { systemClock } from '../host';
import type { BudgetCheck, BudgetDecision, BudgetGate, PriceBook, UsageRecord, UsageRecorder } from '../pipeline';
import type { SecurityEventSink } from '../audit/auditEvents';
import type { Settings } from '../settings';
import { formatPercent, formatUsd } from '../../shared/format';
import { LuaScript, teamKey } from './luaScript';
import type { TeamChannel } from './teamLink';
import { errorMessage } from '../../shared/errorMessage';

export type TeamPeriod = 'daily' | 'weekly' | 'monthly';

/** A reservation is taken for a crashed member's after this long. */
const LEASE_MS = 15 * 60_000;
/** Period keys outlive their period by this much (then Redis removes them). */
const KEY_TTL_SECONDS = 40 * 24 * 3600;
/** Costs kept while Redis is away, at most. */
const MAX_UNSETTLED = 10_000;
const EPSILON = 1e-9;

/**
 * KEYS: one hash per period. ARGV: id, amount, force ('1'/'0'), leaseMs, ttlSeconds, then the
 * stop line of each key. Returns {0, index, settled, reserved} when key `index` refuses, else
 * {1, settled1, reserved1, settled2, …} (numbers as strings: Lua would truncate them).
 */
const RESERVE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local amount = tonumber(ARGV[2])
local force = ARGV[3] == '1'
local figures = {}
for i = 1, #KEYS do
  local all = redis.call('HGETALL', KEYS[i])
  local settled, reserved, fields = 0, 0, {}
  for j = 1, #all, 2 do fields[all[j]] = all[j + 1] end
  for field, value in pairs(fields) do
    if field == 'settled' then
      settled = tonumber(value) or 0
    elseif string.sub(field, 1, 2) == 'r:' then
      local rid = string.sub(field, 3)
      local expires = tonumber(fields['e:' .. rid]) or 0
      if expires <= now then
        redis.call('HDEL', KEYS[i], field, 'e:' .. rid)
      elseif rid ~= id then
        reserved = reserved + (tonumber(value) or 0)
      end
    end
  end
  local stop = tonumber(ARGV[5 + i])
  local tolerance = 1e-9 * math.max(1, stop)
  if not force and (settled + reserved >= stop - tolerance or settled + reserved + amount > stop + tolerance) then
    return {0, i, tostring(settled), tostring(reserved)}
  end
  figures[#figures + 1] = tostring(settled)
  figures[#figures + 1] = tostring(reserved)
end
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], 'r:' .. id, ARGV[2], 'e:' .. id, now + tonumber(ARGV[4]))
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[5]))
end
local reply = {1}
for _, v in ipairs(figures) do reply[#reply + 1] = v end
return reply
`);

/** KEYS: the hashes the request reserved in (or the current ones). ARGV: id, cost, ttlSeconds. */
const SETTLE = new LuaScript(`
for i = 1, #KEYS do
  redis.call('HDEL', KEYS[i], 'r:' .. ARGV[1], 'e:' .. ARGV[1])
  if tonumber(ARGV[2]) > 0 then redis.call('HINCRBYFLOAT', KEYS[i], 'settled', ARGV[2]) end
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3]))
end
return 1
`);

export interface TeamBudgetFigure {
  period: TeamPeriod;
  limit: number;
  /** Settled spend plus what requests in flight have reserved. */
  spent: number;
  fraction: number;
}

export interface TeamBudgetOptions {
  /** The personal budget gate, checked first. */
  local: BudgetGate;
  link: TeamChannel;
  settings: () => Settings;
  prices: PriceBook;
  clock?: Clock;
  logger: Logger;
  /** Hears each "Allow Once" that sends a request past a team limit (the audit log). */
  events?: SecurityEventSink;
}

interface Limit {
  period: TeamPeriod;
  limit: number;
  key: string;
}

interface Standing extends Limit {
  settled: number;
  reserved: number;
  projected: number;
}

type Level = 'allow' | 'warn' | 'throttle';

const SETTING: Record<TeamPeriod, string> = { daily: 'aurelis.team.budgets.dailyUsd', weekly: 'aurelis.team.budgets.weeklyUsd', monthly: 'aurelis.team.budgets.monthlyUsd' };
const SPENT_WHEN: Record<TeamPeriod, string> = { daily: 'today', weekly: 'this week', monthly: 'this month' };
const RESETS: Record<TeamPeriod, string> = { daily: 'at midnight UTC', weekly: 'on Monday (UTC)', monthly: 'on the 1st (UTC)' };

export class TeamBudgetGate implements BudgetGate, UsageRecorder {
  private readonly clock: Clock;
  /** Period keys each pending reservation was taken in, so it settles where it was taken. */
  private readonly reservedIn = new Map<string, string[]>();
  /** Costs Redis has not heard about yet (it was away when they were recorded). */
  private unsettled: Array<{ id: string; keys: string[]; cost: number }> = [];
  /** Warnings already given, by period key: once per period. */
  private readonly told = new Set<string>();

  constructor(private readonly options: TeamBudgetOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async check(check: BudgetCheck): Promise<BudgetDecision> {
    const personal = await this.options.local.check(check);
    const limits = this.limits();
    if (limits.length === 0) return personal;
    const amount = this.options.prices.cost(check.target, { promptTokens: check.promptTokens, completionTokens: check.maxOutputTokens, cachedTokens: 0 });
    // An unpriced model cannot be counted in dollars; the personal gate already says so once a day.
    if (amount === null) return personal;
    const team = await this.reserve(check, limits, amount);
    if (!team || team.action === 'allow') return personal;
    if (personal.action === 'throttle' || (personal.action === 'warn' && team.action === 'warn')) return personal;
    return team;
  }

  /** Settles the request's reservation to what it really cost. */
  async record(record: UsageRecord): Promise<void> {
    const keys = this.reservedIn.get(record.requestId);
    this.reservedIn.delete(record.requestId);
    const cost = record.costUsd ?? 0;
    if (!keys && cost <= 0) return;
    const settle = { id: record.requestId, keys: keys ?? this.limits().map((l) => l.key), cost };
    if (settle.keys.length === 0) return;
    await this.flushUnsettled();
    if (!(await this.settle(settle))) this.keepUnsettled(settle);
  }

  /** The team's figures for the status bar; `undefined` without team budgets or while Redis is away. */
  async figures(): Promise<TeamBudgetFigure[] | undefined> {
    const limits = this.limits();
    if (limits.length === 0) return undefined;
    const read = await this.options.link.run('reading the team budgets', (client) => Promise.all(limits.map((l) => client.hGetAll(l.key))));
    if (!read) return undefined;
    const now = this.clock.now();
    return limits.map((l, i) => {
      const { settled, reserved } = standingOf(read[i] ?? {}, now);
      const spent = settled + reserved;
      return { period: l.period, limit: l.limit, spent, fraction: spent / l.limit };
    });
  }

  private async reserve(check: BudgetCheck, limits: Limit[], amount: number): Promise<BudgetDecision | undefined> {
    const settings = this.options.settings();
    const { stopAt } = settings.budgets;
    const keys = limits.map((l) => l.key);
    const reply = await this.options.link.run('reserving the team budget', (client) =>
      RESERVE.run(client, keys, [check.requestId, amount, check.override ? '1' : '0', LEASE_MS, KEY_TTL_SECONDS, ...limits.map((l) => l.limit * stopAt)]),
    );
    const parsed = parseReserveReply(reply, limits.length);
    if (!parsed) return undefined;
    if (!parsed.ok) {
      const refused = limits[parsed.index - 1] as Limit;
      this.options.logger.info(`Team budget: refused request ${check.requestId} (${refused.period} team limit).`);
      throw new AurelisError('budget_exceeded', stopMessage(this.team(), refused, parsed.settled, parsed.reserved, amount, stopAt), {
        nextSteps: ['raiseBudget', 'allowOnce'],
        provider: check.target.provider,
        model: check.target.model,
      });
    }
    this.reservedIn.set(check.requestId, keys);
    const standings: Standing[] = limits.map((l, i) => {
      const f = parsed.figures[i] as { settled: number; reserved: number };
      return { ...l, ...f, projected: f.settled + f.reserved + amount };
    });
    if (check.override) return this.overridden(check, standings, stopAt);
    return this.decide(standings, settings.budgets);
  }

  private async overridden(check: BudgetCheck, standings: Standing[], stopAt: number): Promise<BudgetDecision | undefined> {
    const past = standings.find((s) => s.projected > s.limit * stopAt + EPSILON * Math.max(1, s.limit));
    if (!past) return undefined;
    this.options.logger.info(`Team budget: request ${check.requestId} sent past the team's ${past.period} limit because the user allowed it once.`);
    await this.options.events
      ?.securityEvent({
        type: 'budget_override',
        requestId: check.requestId,
        task: check.task,
        limit: `team ${past.period} ${formatUsd(past.limit)} (${SETTING[past.period]}); this request brings it to ${formatUsd(past.projected)}`,
      })
      .catch((e: unknown) => this.options.logger.error(`Could not write the team budget override to the audit log: ${errorMessage(e)}`));
    return { action: 'warn', message: `Sent over the team's ${past.period} budget (${formatUsd(past.projected)} of ${formatUsd(past.limit)}) because you chose Allow Once.` };
  }

  private decide(standings: Standing[], thresholds: Settings['budgets']): BudgetDecision | undefined {
    const levelOf = (s: Standing): Level => {
      const tolerance = EPSILON * Math.max(1, s.limit);
      if (s.projected >= s.limit * thresholds.throttleAt - tolerance) return 'throttle';
      if (s.projected >= s.limit * thresholds.warnAt - tolerance) return 'warn';
      return 'allow';
    };
    const ranked = standings.map((s) => ({ s, level: levelOf(s) })).sort((a, b) => rank(b.level) - rank(a.level) || b.s.projected / b.s.limit - a.s.projected / a.s.limit);
    const worst = ranked[0];
    if (!worst || worst.level === 'allow') return undefined;
    if (worst.level === 'throttle') {
      for (const r of ranked) if (r.level !== 'allow') this.told.add(r.s.key);
      return { action: 'throttle', message: `${usedMessage(this.team(), worst.s)} Using the cheapest capable model until the team budget resets ${RESETS[worst.s.period]}.` };
    }
    const untold = ranked.find((r) => r.level === 'warn' && !this.told.has(r.s.key));
    if (!untold) return undefined;
    this.told.add(untold.s.key);
    return { action: 'warn', message: usedMessage(this.team(), untold.s) };
  }

  private async settle(s: { id: string; keys: string[]; cost: number }): Promise<boolean> {
    const done = await this.options.link.run('settling the team budget', (client) => SETTLE.run(client, s.keys, [s.id, s.cost, KEY_TTL_SECONDS]));
    return done !== undefined;
  }

  private keepUnsettled(s: { id: string; keys: string[]; cost: number }): void {
    if (s.cost <= 0) return;
    this.unsettled.push(s);
    if (this.unsettled.length > MAX_UNSETTLED) this.unsettled.shift();
  }

  private async flushUnsettled(): Promise<void> {
    if (this.unsettled.length === 0 || !this.options.link.shared) return;
    const pending = this.unsettled;
    this.unsettled = [];
    for (const [i, s] of pending.entries()) {
      if (!(await this.settle(s))) {
        this.unsettled = [...pending.slice(i), ...this.unsettled];
        return;
      }
    }
  }

  private limits(): Limit[] {
    const settings = this.options.settings();
    const b = settings.team.budgets;
    const now = this.clock.now();
    const out: Limit[] = [];
    const add = (period: TeamPeriod, limit: number | undefined): void => {
      if (limit !== undefined) out.push({ period, limit, key: teamKey(settings.team.name, 'budget', period, periodId(period, now)) });
    };
    add('daily', b.dailyUsd);
    add('weekly', b.weeklyUsd);
    add('monthly', b.monthlyUsd);
    return out;
  }

  private team(): string {
    return this.options.settings().team.name;
  }
}

/** The UTC period a moment falls in: `2026-12-02`, the Monday `2026-11-30`, `2026-12`. */
export function periodId(period: TeamPeriod, now: number): string {
  const d = new Date(now);
  if (period === 'monthly') return d.toISOString().slice(0, 7);
  if (period === 'weekly') {
    const daysSinceMonday = (d.getUTCDay() + 6) % 7;
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - daysSinceMonday)).toISOString().slice(0, 10);
  }
  return d.toISOString().slice(0, 10);
}

function rank(level: Level): number {
  return level === 'throttle' ? 2 : level === 'warn' ? 1 : 0;
}

type ReserveReply = { ok: true; figures: Array<{ settled: number; reserved: number }> } | { ok: false; index: number; settled: number; reserved: number };

/** Anything Redis answered that is not the script's reply shape is ignored (the request goes on). */
function parseReserveReply(reply: unknown, count: number): ReserveReply | undefined {
  if (!Array.isArray(reply)) return undefined;
  const num = (v: unknown): number | undefined => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  if (reply[0] === 0) {
    const index = num(reply[1]);
    const settled = num(reply[2]);
    const reserved = num(reply[3]);
    if (index === undefined || index < 1 || index > count || settled === undefined || reserved === undefined) return undefined;
    return { ok: false, index, settled, reserved };
  }
  if (reply[0] !== 1 || reply.length !== 1 + 2 * count) return undefined;
  const figures: Array<{ settled: number; reserved: number }> = [];
  for (let i = 0; i < count; i++) {
    const settled = num(reply[1 + 2 * i]);
    const reserved = num(reply[2 + 2 * i]);
    if (settled === undefined || reserved === undefined) return undefined;
    figures.push({ settled, reserved });
  }
  return { ok: true, figures };
}

/** Settled and live reserved dollars of one period hash (bad fields count as nothing). */
function standingOf(fields: Record<string, string>, now: number): { settled: number; reserved: number } {
  const settled = Number(fields.settled);
  let reserved = 0;
  for (const [field, value] of Object.entries(fields)) {
    if (!field.startsWith('r:')) continue;
    const expires = Number(fields[`e:${field.slice(2)}`]);
    const amount = Number(value);
    if (Number.isFinite(expires) && expires > now && Number.isFinite(amount) && amount > 0) reserved += amount;
  }
  return { settled: Number.isFinite(settled) && settled > 0 ? settled : 0, reserved };
}

function usedMessage(team: string, s: Standing): string {
  return `With this request your team (${team}) will have used ${formatPercent(s.projected / s.limit)} of its ${s.period} budget (${formatUsd(s.projected)} of ${formatUsd(s.limit)}).`;
}

function stopMessage(team: string, l: Limit, settled: number, reserved: number, amount: number, stopAt: number): string {
  const used = settled + reserved;
  const spent = `${formatUsd(settled)} spent ${SPENT_WHEN[l.period]}${reserved > 0 ? ` and ${formatUsd(reserved)} held by requests in flight` : ''} of ${formatUsd(l.limit)}`;
  const what =
    used >= l.limit * stopAt - EPSILON * Math.max(1, l.limit)
      ? `Your team's (${team}) ${l.period} budget is used up: ${spent}.`
      : `This request (up to ${formatUsd(amount)}) would exceed your team's (${team}) ${l.period} budget: ${spent}.`;
  return `${what} Ask for the team budget to be raised (${SETTING[l.period]}), allow this request once, or wait until it resets ${RESETS[l.period]}.`;
}
