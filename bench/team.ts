/**
 * Team mode: 8 member processes (bench/teamMember.ts — half stream like an editor, half do not,
 * like CLI runs) share one model whose fake server enforces 60 requests a minute, through one
 * Debian redis-server on 127.0.0.1. Time runs `factor` times faster for the server and every
 * member (same origin). We count the errors any caller saw and the 429s the server sent, and
 * compare the wall time with the least the limit allows; then the same members without Redis,
 * each pacing alone. Then the same again where nobody told the members the limit: the server
 * keeps an OpenAI-style bucket of 60 a minute and announces it in `x-ratelimit-*` headers, which
 * the members learn and (with Redis) share. Last, a team budget under 8 concurrent members: the
 * team's spend in Redis at the end against the limit, and the most the requests in flight could
 * have added.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { FakeOpenAIServer, reply } from '../test/fake-server';
import { RedisServer } from '../test/support/redisServer';
import { ratio, round, minimumWallMs } from './stats';
import { SharedScaledTimers } from './scaledTime';
import { WARMUP_MODEL } from './pipeline';
import { minimumBucketWallMs } from './learnedPacing';
import type { MemberPlan, MemberReport } from './teamMember';

export interface TeamRun {
  caller_errors: number;
  error_kinds: Record<string, number>;
  server_429s: number;
  server_requests: number;
  wall_ms: number;
  wall_ratio: number;
  /** Notices members gave (Redis away or back), total, and the first few. */
  notices: number;
  notice_texts: string[];
}

export interface TeamBudgetRun {
  limit_usd: number;
  /** The team's settled spend in Redis when every member is done. */
  spent_usd: number;
  /** Spent beyond the limit (0 when within it). */
  overshoot_usd: number;
  /** The most the requests in flight at once could have added: members × their most in flight × the dearest request. */
  in_flight_bound_usd: number;
  answered: number;
  refused: number;
}

export interface TeamFigures extends TeamRun {
  members: number;
  requests: number;
  requests_per_minute: number;
  time_factor: number;
  window_real_ms: number;
  server_delay_ms: number;
  minimum_wall_ms: number;
  without_redis: TeamRun;
  /** The limit only announced in the server's headers (a bucket refilling over the minute); absent in older results. */
  learned?: TeamRun & { minimum_wall_ms: number };
  learned_without_redis?: TeamRun;
  budget: TeamBudgetRun;
}

export interface TeamOptions {
  members: number;
  perMember: number;
  requestsPerMinute: number;
  serverDelayMs: number;
  timeFactor: number;
  budget: { perMember: number; limitUsd: number; maxTokens: number; price: number };
}

const MEMBER = path.join(__dirname, 'teamMember.ts');

export async function measureTeam(opts: TeamOptions): Promise<TeamFigures> {
  const redis = await RedisServer.start();
  try {
    const total = opts.members * opts.perMember;
    // Members share the team's pacing, each with its own 5 requests at once (the default).
    const minimum = minimumWallMs(total, { perWindow: opts.requestsPerMinute, windowMs: 60_000 / opts.timeFactor, concurrent: opts.members * 5 }, opts.serverDelayMs);
    const shared = await teamRun(opts, redis.url, minimum, 'told');
    const alone = await teamRun(opts, '', minimum, 'told');
    const bucketMinimum = minimumBucketWallMs(total, opts.requestsPerMinute, 60_000 / opts.timeFactor, opts.serverDelayMs);
    await redis.flush();
    const learned = await teamRun(opts, redis.url, bucketMinimum, 'learned');
    const learnedAlone = await teamRun(opts, '', bucketMinimum, 'learned');
    const budget = await budgetRun(opts, redis);
    return {
      ...shared,
      members: opts.members,
      requests: total,
      requests_per_minute: opts.requestsPerMinute,
      time_factor: opts.timeFactor,
      window_real_ms: round(60_000 / opts.timeFactor, 1),
      server_delay_ms: opts.serverDelayMs,
      minimum_wall_ms: round(minimum, 1),
      without_redis: alone,
      learned: { ...learned, minimum_wall_ms: round(bucketMinimum, 1) },
      learned_without_redis: learnedAlone,
      budget,
    };
  } finally {
    await redis.stop();
  }
}

/** `told`: the members' settings give the limit the server enforces; `learned`: only its headers do. */
async function teamRun(opts: TeamOptions, redisUrl: string, minimumMs: number, limit: 'told' | 'learned'): Promise<TeamRun> {
  const originMs = Date.now();
  const clock = new SharedScaledTimers(originMs, opts.timeFactor);
  const server = await FakeOpenAIServer.start(
    limit === 'told' ? { clock, limits: { requestsPerMinute: opts.requestsPerMinute } } : { clock, bucket: { requests: opts.requestsPerMinute, windowMs: 60_000, announce: 'openai' } },
  );
  server.handle(() => reply.text('Shared answer.', { delayMs: opts.serverDelayMs }));
  try {
    const plans = Array.from({ length: opts.members }, (_, m): MemberPlan => ({
      serverUrl: server.v1Url,
      redisUrl,
      requests: opts.perMember,
      firstRequest: 30_000_000 + m * 10_000,
      stream: m % 2 === 0,
      originMs,
      factor: opts.timeFactor,
      ...(limit === 'told' ? { requestsPerMinute: opts.requestsPerMinute } : {}),
    }));
    const { reports, wallMs } = await runMembers(plans);
    const kinds: Record<string, number> = {};
    for (const r of reports) for (const [k, n] of Object.entries(r.errorKinds)) kinds[k] = (kinds[k] ?? 0) + n;
    return {
      caller_errors: reports.reduce((a, r) => a + r.errors, 0),
      error_kinds: kinds,
      server_429s: server.rateLimited,
      server_requests: server.chatRequests.filter((r) => r.model !== WARMUP_MODEL).length,
      wall_ms: round(wallMs, 1),
      wall_ratio: ratio(wallMs, minimumMs),
      notices: reports.reduce((a, r) => a + r.notices.length, 0),
      notice_texts: [...new Set(reports.flatMap((r) => r.notices))].slice(0, 3),
    };
  } finally {
    await server.stop();
  }
}

async function budgetRun(opts: TeamOptions, redis: RedisServer): Promise<TeamBudgetRun> {
  const originMs = Date.now();
  const clock = new SharedScaledTimers(originMs, opts.timeFactor);
  const server = await FakeOpenAIServer.start({ clock });
  server.handle(() => reply.text('A budgeted answer of a few words.', { delayMs: opts.serverDelayMs }));
  try {
    const plans = Array.from({ length: opts.members }, (_, m): MemberPlan => ({
      serverUrl: server.v1Url,
      redisUrl: redis.url,
      requests: opts.budget.perMember,
      firstRequest: 40_000_000 + m * 10_000,
      stream: m % 2 === 0,
      originMs,
      factor: opts.timeFactor,
      teamDailyUsd: opts.budget.limitUsd,
      maxTokens: opts.budget.maxTokens,
      price: opts.budget.price,
    }));
    const { reports } = await runMembers(plans);
    const client = await redis.client();
    const keys = await client.keys('aurelis:bench:budget:daily:*');
    let spent = 0;
    for (const key of keys) spent += Number(await client.hGet(key, 'settled')) || 0;
    await client.close();
    const dearest = Math.max(0, ...reports.map((r) => r.maxRequestUsd));
    const inFlight = reports.reduce((a, r) => a + r.maxInFlight, 0);
    return {
      limit_usd: opts.budget.limitUsd,
      spent_usd: round(spent, 4),
      overshoot_usd: round(Math.max(0, spent - opts.budget.limitUsd), 4),
      in_flight_bound_usd: round(inFlight * dearest, 4),
      answered: reports.reduce((a, r) => a + r.ok, 0),
      refused: reports.reduce((a, r) => a + (r.errorKinds.budget_exceeded ?? 0), 0),
    };
  } finally {
    await server.stop();
  }
}

/** Starts every member, waits until all are ready, says "go" to all at once, and collects their reports. */
async function runMembers(plans: MemberPlan[]): Promise<{ reports: MemberReport[]; wallMs: number }> {
  const children = plans.map((plan) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MEMBER, JSON.stringify(plan)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      lines.once('line', (line) => (line === 'ready' ? resolve() : reject(new Error(`member said ${line}`))));
      child.once('exit', (code) => reject(new Error(`member exited with ${code} before it was ready`)));
    });
    const report = new Promise<MemberReport>((resolve, reject) => {
      let last = '';
      lines.on('line', (line) => (last = line));
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(last) as MemberReport) : reject(new Error(`member exited with ${code}`))));
    });
    report.catch(() => undefined);
    return { child, ready, report };
  });
  await Promise.all(children.map((c) => c.ready));
  const t0 = Date.now();
  for (const c of children) c.child.stdin.end('go\n');
  const reports = await Promise.all(children.map((c) => c.report));
  return { reports, wallMs: Math.max(...reports.map((r) => r.finishedAt)) - t0 };
}
