/**
 * One team member for the team benchmark (bench/team.ts), in a process of its own as an editor
 * window or a CI job would be: the core as the composition root builds it (usage ledger, personal
 * budget gate wrapped by the team budget, team mode's shared pacer; cache off so every request
 * reaches the server), on the bench's scaled time. It says "ready", waits for "go" on stdin, sends
 * its requests at once, and prints what happened as one JSON line.
 *
 *   node --import tsx bench/teamMember.ts '<MemberPlan JSON>'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isAurelisError } from '../src/core/errors';
import { MemoryKeyStore, silentLogger } from '../src/core/host';
import { Orchestrator } from '../src/core/orchestrator';
import { SettingsSchema } from '../src/core/settings';
import { TeamMode } from '../src/core/team/teamMode';
import { LedgerBudgetGate } from '../src/core/budget/budgetGate';
import { ModelPrices } from '../src/core/pricing/priceBook';
import { UsageLedger } from '../src/core/ledger/usageLedger';
import { benchRequest } from './overhead';
import { BENCH_KEY, BENCH_MODEL, WARMUP_MODEL } from './pipeline';
import { SharedScaledTimers } from './scaledTime';

export interface MemberPlan {
  /** The fake server's OpenAI-style base URL. */
  serverUrl: string;
  /** '' for a member without team mode. */
  redisUrl: string;
  requests: number;
  /** Distinct request numbers per member. */
  firstRequest: number;
  stream: boolean;
  /** Scaled time shared by every member and the server: same origin, same factor. */
  originMs: number;
  factor: number;
  requestsPerMinute?: number;
  teamDailyUsd?: number;
  /** Output allowance per request (what the team budget reserves). */
  maxTokens?: number;
  /** USD per million tokens, in and out, for the budget run. */
  price?: number;
}

export interface MemberReport {
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Real cost of the answered requests, as priced. */
  costUsd: number;
  /** The most requests this member had in flight at once. */
  maxInFlight: number;
  /** The most one answered request cost. */
  maxRequestUsd: number;
  notices: string[];
  /** Date.now() when its last request settled (process exit is not counted). */
  finishedAt: number;
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '{}') as MemberPlan;
  const timers = new SharedScaledTimers(plan.originMs, plan.factor);
  const settings = SettingsSchema.parse({
    provider: 'openai',
    endpoints: { openai: plan.serverUrl },
    models: { explain: [BENCH_MODEL] },
    budgets: { dailyUsd: 1_000_000 },
    cache: { enabled: false },
    rateLimits: { overrides: plan.requestsPerMinute ? { [BENCH_MODEL]: { requestsPerMinute: plan.requestsPerMinute } } : {} },
    requestTimeoutSeconds: 3600,
    ...(plan.price === undefined ? {} : { prices: { [BENCH_MODEL]: { input: plan.price, output: plan.price } } }),
    team: { redisUrl: plan.redisUrl, name: 'bench', budgets: plan.teamDailyUsd === undefined ? {} : { dailyUsd: plan.teamDailyUsd } },
  });
  const read = () => settings;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-team-bench-'));
  const notices: string[] = [];
  // A loaded two-core machine running 8 members plus Redis: allow Redis 500 ms before going local.
  const team = new TeamMode({ settings: read, password: async () => undefined, logger: silentLogger, onNotice: (n) => notices.push(n.message), operationTimeoutMs: 500, windowClock: timers });
  if (plan.redisUrl !== '' && !(await team.ready())) throw new Error(`member could not reach Redis at ${plan.redisUrl}`);
  const keys = new MemoryKeyStore();
  await keys.set('openai', BENCH_KEY);
  const ledger = new UsageLedger({ storageDir, settings: read });
  const prices = new ModelPrices(read);
  const budget = team.budgetGate(new LedgerBudgetGate({ ledger, prices, settings: read }), prices);
  const orchestrator = new Orchestrator({ settings: read, keys, storageDir, env: {}, timers, prices, budget, recorders: [ledger, budget], sharedPacer: team.sharedPacer });

  // Warm up (SDK, tokenizer, ledger, Redis scripts) on a model the server does not limit, so the
  // measured run starts with a member that is as ready as an editor that has been open a while.
  await orchestrator.run({ ...benchRequest(plan.firstRequest - 1, plan.stream), model: WARMUP_MODEL });
  let inFlight = 0;
  let maxInFlight = 0;
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();

  const results = await Promise.all(
    Array.from({ length: plan.requests }, async (_, i) => {
      const request = { ...benchRequest(plan.firstRequest + i, plan.stream), ...(plan.maxTokens ? { maxTokens: plan.maxTokens } : {}) };
      try {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return await orchestrator.run(request);
      } catch (e) {
        return e;
      } finally {
        inFlight--;
      }
    }),
  );
  const report: MemberReport = { ok: 0, errors: 0, errorKinds: {}, costUsd: 0, maxInFlight: 0, maxRequestUsd: 0, notices, finishedAt: Date.now() };
  for (const r of results) {
    if (isAurelisError(r)) {
      report.errors++;
      report.errorKinds[r.kind] = (report.errorKinds[r.kind] ?? 0) + 1;
    } else if (r && typeof r === 'object' && 'costUsd' in r) {
      report.ok++;
      const cost = typeof r.costUsd === 'number' ? r.costUsd : 0;
      report.costUsd += cost;
      report.maxRequestUsd = Math.max(report.maxRequestUsd, cost);
    }
  }
  report.maxInFlight = Math.min(maxInFlight, settings.maxConcurrentRequests);
  await orchestrator.dispose();
  await Promise.all([ledger.close(), team.close()]);
  rmSync(storageDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
