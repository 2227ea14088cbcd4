/**
 * Team-mode test setup: a real redis-server (test/support/redisServer.ts), team members built
 * the way the composition root builds them — TeamMode, the orchestrator's shared pacer, a
 * response cache with the Redis level — on one fake server, and a logger that keeps every line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TieredResponseCache } from '../../../src/core/cache/responseCache';
import { MemoryKeyStore, type Logger } from '../../../src/core/host';
import { Orchestrator } from '../../../src/core/orchestrator';
import type { UsageRecorder } from '../../../src/core/pipeline';
import type { Settings } from '../../../src/core/settings';
import type { TeamNotice } from '../../../src/core/team/teamLink';
import { TeamMode } from '../../../src/core/team/teamMode';
import type { Timers } from '../../../src/core/resilience/timers';
import { RedisServer } from '../../support/redisServer';
import { disposed, FakeTimers, T0 } from '../orchestrator/harness';

/** Every line logged, at any level, with its arguments. */
export class KeptLog implements Logger {
  readonly lines: string[] = [];
  trace = (m: string, ...a: unknown[]): void => this.keep(m, a);
  debug = (m: string, ...a: unknown[]): void => this.keep(m, a);
  info = (m: string, ...a: unknown[]): void => this.keep(m, a);
  warn = (m: string, ...a: unknown[]): void => this.keep(m, a);
  error = (m: string | Error, ...a: unknown[]): void => this.keep(m instanceof Error ? `${m.message}\n${m.stack ?? ''}` : m, a);
  private keep(message: string, args: unknown[]): void {
    this.lines.push([message, ...args.map((a) => (a instanceof Error ? a.message : JSON.stringify(a)))].join(' '));
  }
}

export interface Member {
  team: TeamMode;
  orchestrator: Orchestrator;
  cache: TieredResponseCache;
  notices: TeamNotice[];
  log: KeptLog;
  storageDir: string;
  /** Resolves with the next notice (down or back). */
  nextNotice(): Promise<TeamNotice>;
  close(): Promise<void>;
}

export interface MemberOptions {
  settings: () => Settings;
  timers: Timers;
  password?: string;
  /** Generous by default: a loaded test machine must not turn a normal operation into an outage. */
  operationTimeoutMs?: number;
  retryAfterMs?: number;
  /** Pacing windows on the test's clock (fake timers) instead of Redis's. */
  windowClock?: boolean;
  /** Usage recorders built over the member's storage folder (audit log, telemetry). */
  recorders?: (storageDir: string, log: Logger) => UsageRecorder[];
}

export async function startMember(options: MemberOptions): Promise<Member> {
  const log = new KeptLog();
  const notices: TeamNotice[] = [];
  let waiters: Array<(n: TeamNotice) => void> = [];
  const team = new TeamMode({
    settings: options.settings,
    password: async () => options.password,
    logger: log,
    onNotice: (n) => {
      notices.push(n);
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve(n);
    },
    operationTimeoutMs: options.operationTimeoutMs ?? 2000,
    retryAfterMs: options.retryAfterMs ?? 50,
    ...(options.windowClock === false ? {} : { windowClock: options.timers }),
  });
  await team.ready();
  const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-team-'));
  const keys = new MemoryKeyStore();
  await keys.set('github-models', 'ghp_testtoken');
  const cache = new TieredResponseCache({ storageDir, settings: options.settings, clock: options.timers, logger: log, shared: team.sharedCache });
  const orchestrator = new Orchestrator({
    settings: options.settings,
    keys,
    storageDir,
    timers: options.timers,
    random: () => 0.5,
    env: {},
    logger: log,
    cache,
    sharedPacer: team.sharedPacer,
    recorders: options.recorders?.(storageDir, log) ?? [],
  });
  return {
    team,
    orchestrator,
    cache,
    notices,
    log,
    storageDir,
    nextNotice: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      await disposed(orchestrator);
      await team.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/** One redis-server for the suite (started before, stopped after), emptied after each test. */
export function useRedis(options: { password?: string; tls?: boolean } = {}): { readonly server: RedisServer } {
  const holder = {} as { server: RedisServer };
  before(async () => {
    holder.server = await RedisServer.start(options);
  });
  afterEach(() => holder.server.flush());
  after(() => holder.server.stop());
  return holder;
}

/** Members made in a test (on the test's fake timers, fresh for each test) and closed after it. */
export function useMembers(): { readonly timers: FakeTimers; member(settings: Settings, options?: Partial<MemberOptions>): Promise<Member> } {
  let members: Member[] = [];
  const holder = {
    timers: new FakeTimers(T0),
    async member(settings: Settings, options: Partial<MemberOptions> = {}): Promise<Member> {
      const m = await startMember({ settings: () => settings, timers: holder.timers, ...options });
      members.push(m);
      return m;
    },
  };
  beforeEach(() => {
    holder.timers = new FakeTimers(T0);
    members = [];
  });
  afterEach(() => Promise.all(members.map((m) => m.close())));
  return holder;
}
