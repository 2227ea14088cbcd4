/**
 * `npm run bench` — what users feel, each figure against a baseline measured in the same run,
 * everything on 127.0.0.1. Prints a table and writes bench/results.json.
 *
 *   npm run bench                 full run (under ten minutes)
 *   npm run bench -- --quick      smaller counts, no host run, no 1M-record ledger (under two)
 *   npm run bench -- --markdown   print bench/results.json as the README's Markdown table
 *   npm run bench -- --only team  one part (overhead, cache, pacing, batchReview, learnedPacing,
 *                                 team, ledger, extension): its figures printed, results.json untouched
 *
 * Timing targets are checked here and shown in the table, never asserted in tests.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { measureBatchReview } from './batchReview';
import { measureCache } from './cache';
import { measureExtension, type EarlierRun } from './extension';
import { measureLedger } from './ledgerFigures';
import { measureOverhead } from './overhead';
import { measureLearnedPacing } from './learnedPacing';
import { measurePacing } from './pacing';
import { markdownTable, rows, textTable, type BenchResults } from './report';
import { measureTeam } from './team';
import { round } from './stats';

const RESULTS = path.join(__dirname, 'results.json');

/** Counts per mode: the full run is what the README quotes; quick is for a check while working. */
const MODES = {
  full: {
    overhead: { requests: 2000, streamed: 2000, warmup: 200, breakdown: 500, provider: 100 },
    cache: { rounds: 10, perRound: 50, warmup: 1 },
    // 15 a minute with a minute of two real seconds: 300 requests need 19 windows, about 38 s.
    pacing: { requests: 300, requestsPerMinute: 15, concurrent: 3, serverDelayMs: 20, timeFactor: 30 },
    // 200 files at 20 a minute (a minute of two real seconds): 10 windows, about 20 s.
    batchReview: { files: 200, requestsPerMinute: 20, concurrent: 5, serverDelayMs: 20, timeFactor: 30 },
    // A 60-a-minute bucket with a minute of two real seconds: 300 requests need at least 8 s.
    learnedPacing: { requests: 300, requestsPerMinute: 60, serverDelayMs: 20, timeFactor: 30 },
    // 8 processes × 30 requests at 60 a minute with a six-second minute: 4 windows, about 19 s.
    team: { members: 8, perMember: 30, requestsPerMinute: 60, serverDelayMs: 20, timeFactor: 10, budget: { perMember: 40, limitUsd: 20, maxTokens: 60, price: 1000 } },
    ledger: { withMillion: true },
    hostRuns: 3,
  },
  quick: {
    overhead: { requests: 400, streamed: 300, warmup: 100, breakdown: 150, provider: 30 },
    cache: { rounds: 4, perRound: 25, warmup: 1 },
    pacing: { requests: 75, requestsPerMinute: 15, concurrent: 3, serverDelayMs: 20, timeFactor: 30 },
    batchReview: { files: 60, requestsPerMinute: 20, concurrent: 5, serverDelayMs: 20, timeFactor: 30 },
    learnedPacing: { requests: 300, requestsPerMinute: 60, serverDelayMs: 20, timeFactor: 30 },
    team: { members: 8, perMember: 15, requestsPerMinute: 60, serverDelayMs: 20, timeFactor: 15, budget: { perMember: 20, limitUsd: 10, maxTokens: 60, price: 1000 } },
    ledger: { withMillion: false },
    hostRuns: 0,
  },
} as const;

function say(message: string): void {
  console.log(`[bench] ${message}`);
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  say(`${name}…`);
  const t0 = performance.now();
  const value = await work();
  say(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return value;
}

function earlierRun(): EarlierRun | undefined {
  if (!existsSync(RESULTS)) return undefined;
  try {
    const r = JSON.parse(readFileSync(RESULTS, 'utf8')) as { extension?: { activation_ms?: unknown; activation_source?: unknown }; machine?: { date?: unknown } };
    return { activation_ms: r.extension?.activation_ms, activation_source: r.extension?.activation_source, date: r.machine?.date };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--markdown')) {
    console.log(markdownTable(rows(JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults)));
    return;
  }
  const mode = process.argv.includes('--quick') ? 'quick' : 'full';
  const plan = MODES[mode];
  const only = process.argv[process.argv.indexOf('--only') + 1];
  if (process.argv.includes('--only')) {
    const parts: Record<string, () => Promise<unknown>> = {
      overhead: () => measureOverhead(plan.overhead),
      cache: () => measureCache(plan.cache),
      pacing: () => measurePacing(plan.pacing),
      batchReview: () => measureBatchReview(plan.batchReview),
      learnedPacing: () => measureLearnedPacing(plan.learnedPacing),
      team: () => measureTeam(plan.team),
      ledger: () => measureLedger(plan.ledger),
      extension: () => measureExtension({ hostRuns: plan.hostRuns }),
    };
    const part = only === undefined ? undefined : parts[only];
    if (!part) throw new Error(`--only needs one of: ${Object.keys(parts).join(', ')}`);
    // The machine's load says how far wall-clock figures can be trusted (CPU-time figures hold better).
    say(`load average before ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(JSON.stringify(await step(`${only} (${mode})`, part), null, 2));
    say(`load average after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    return;
  }
  const started = performance.now();
  const earlier = earlierRun();
  say(`${mode} run on ${cpus().length} CPU(s), Node ${process.version}`);

  const overhead = await step('orchestrator overhead', () => measureOverhead(plan.overhead));
  const cache = await step('response cache', () => measureCache(plan.cache));
  const pacing = await step('pacing under rate limits', () => measurePacing(plan.pacing));
  const batchReview = await step(`reviewing ${plan.batchReview.files} files under a rate limit`, () => measureBatchReview(plan.batchReview));
  const learnedPacing = await step('pacing learned from the server', () => measureLearnedPacing(plan.learnedPacing));
  const team = await step('team mode on Redis (8 processes)', () => measureTeam(plan.team));
  const ledger = await step('usage ledger', () => measureLedger(plan.ledger));
  const extension = await step('extension (host run, bundle, VSIX)', () => measureExtension({ hostRuns: plan.hostRuns, ...(earlier ? { earlier } : {}) }));

  const results: BenchResults = {
    overhead,
    cache,
    pacing,
    batchReview,
    learnedPacing,
    team,
    ledger,
    extension,
    machine: {
      cpus: cpus().length,
      node: process.version,
      cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
      platform: `${process.platform} ${process.arch}`,
      date: new Date().toISOString(),
      mode,
      wall_s: round((performance.now() - started) / 1000, 1),
    },
  };
  // Written whole or not at all: a run stopped half-way leaves the previous results.
  writeFileSync(`${RESULTS}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${RESULTS}.tmp`, RESULTS);

  console.log(`\n${textTable(rows(results))}\n`);
  say(`${mode} run took ${results.machine.wall_s} s; figures in ${path.relative(process.cwd(), RESULTS)}`);
}

main().then(
  // The fake servers and the SDK's keep-alive sockets are closed; leave without waiting on stray timers.
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
