/**
 * Usage-ledger benchmark (measures, never asserts):
 * - time to load and aggregate 100,000 and 1,000,000 records (cold load into the index, then
 *   the analytics report, the status-bar summary, a budget check, and an incremental tail),
 *   each size in its own process so peak RSS is that size's alone;
 * - append throughput with fsync on and off, one at a time and with requests in flight.
 *
 * Run: `npx tsx bench/ledger.ts` (add `--json` for one JSON object on the last line).
 * A scenario alone: `npx tsx bench/ledger.ts --scenario aggregate --records 100000`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { UsageRecord } from '../src/core/pipeline';
import { DEFAULT_SETTINGS, type Settings } from '../src/core/settings';
import { LedgerBudgetGate } from '../src/core/budget/budgetGate';
import { ledgerFileName } from '../src/core/ledger/monthFiles';
import { ModelPrices } from '../src/core/pricing/priceBook';
import { encodeRecord } from '../src/core/ledger/recordLine';
import { UsageAnalytics } from '../src/core/reports/usageAnalytics';
import { UsageLedger } from '../src/core/ledger/usageLedger';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 11, 31, 12);
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini', 'gpt-5-mini'];
const TASKS = ['generate', 'review', 'explain', 'document', 'fix', 'test'] as const;

function settingsWith(fsync: boolean): () => Settings {
  const s: Settings = {
    ...DEFAULT_SETTINGS,
    ledger: { ...DEFAULT_SETTINGS.ledger, fsync, retentionDays: 3650 },
    budgets: { ...DEFAULT_SETTINGS.budgets, dailyUsd: 50, weeklyUsd: 200, monthlyUsd: 500, monthlyTokens: 500_000_000 },
  };
  return () => s;
}

/** A plausible record; `i` spreads them over the year before NOW. */
function syntheticRecord(i: number, n: number): UsageRecord {
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const failed = h % 23 === 0;
  return {
    ts: NOW - 365 * DAY + Math.floor((i / n) * 365 * DAY),
    requestId: `bench-${i.toString(36)}-${h.toString(36)}`,
    provider: h % 9 === 0 ? 'openrouter' : 'openai',
    model: MODELS[h % MODELS.length] as string,
    task: TASKS[(h >>> 3) % TASKS.length] as (typeof TASKS)[number],
    promptTokens: 200 + (h % 6000),
    completionTokens: failed ? 0 : 50 + ((h >>> 5) % 1500),
    cachedTokens: h % 4 === 0 ? 128 : 0,
    tokensEstimated: h % 17 === 0,
    costUsd: h % 31 === 0 ? null : ((h >>> 7) % 10_000) / 1_000_000,
    latencyMs: 300 + ((h >>> 9) % 20_000),
    ...(h % 2 === 0 ? { ttftMs: 100 + ((h >>> 11) % 1500) } : {}),
    outcome: failed ? 'rate_limited' : 'ok',
    ...(failed ? { errorMessage: 'Rate limit of 10 per 60s exceeded for UserByModelByMinute.' } : {}),
    cacheHit: h % 11 === 0,
    fallbackDepth: h % 13 === 0 ? 1 : 0,
    workspace: 'c0ffee'.padEnd(64, '0'),
  };
}

/** Writes n records straight into month files (fast: one write per 10,000 lines). */
function writeSyntheticLedger(storageDir: string, n: number): { bytes: number; files: number } {
  const dir = path.join(storageDir, 'ledger');
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, string[]>();
  const flush = (file: string, lines: string[]) => writeFileSync(path.join(dir, file), lines.join(''), { flag: 'a' });
  for (let i = 0; i < n; i++) {
    const r = syntheticRecord(i, n);
    const file = ledgerFileName(r.ts);
    let lines = byFile.get(file);
    if (!lines) byFile.set(file, (lines = []));
    lines.push(encodeRecord(r));
    if (lines.length >= 10_000) {
      flush(file, lines);
      byFile.set(file, []);
    }
  }
  for (const [file, lines] of byFile) flush(file, lines);
  const files = readdirSync(dir);
  return { bytes: files.reduce((s, f) => s + statSync(path.join(dir, f)).size, 0), files: files.length };
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn))[0]);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * About what `fn` adds to memory at its height, measured from a collected heap: the larger of
 * the growth of the V8 heap's used and committed sizes (garbage made during `fn` is mostly still
 * there when it returns), plus typed-array memory still held then. A lower bound: what a
 * collection freed during `fn` is not seen. Needs --expose-gc (the scenario's child process has it).
 */
async function peakHeapOf(fn: () => Promise<unknown>): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc to measure the heap');
  gc();
  const before = { used: process.memoryUsage(), committed: getHeapStatistics().total_heap_size };
  await fn();
  const after = { used: process.memoryUsage(), committed: getHeapStatistics().total_heap_size };
  const heap = Math.max(after.used.heapUsed - before.used.heapUsed, after.committed - before.committed);
  return Math.max(0, heap + after.used.arrayBuffers - before.used.arrayBuffers) / 1024 / 1024;
}

async function aggregateScenario(n: number): Promise<Record<string, number>> {
  const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-bench-'));
  try {
    const t0 = performance.now();
    const disk = writeSyntheticLedger(storageDir, n);
    const writeMs = performance.now() - t0;
    const settings = settingsWith(false);
    const clock = { now: () => NOW };
    // The first start parses every line (and saves index snapshots); later starts read those.
    const [parseMs] = await timed(() => new UsageLedger({ storageDir, settings, clock }).rows());
    const ledger = new UsageLedger({ storageDir, settings, clock });
    const [loadMs] = await timed(() => ledger.rows());
    const analytics = new UsageAnalytics({ ledger, settings, clock });
    const gate = new LedgerBudgetGate({ ledger, prices: new ModelPrices(settings), settings, clock });
    const yearReport = () => analytics.report({ period: { kind: 'custom', from: NOW - 366 * DAY, to: NOW + DAY } });
    const reportPeakHeapMB = await peakHeapOf(yearReport);
    const reportYearMs = await median(3, yearReport);
    const report30Ms = await median(5, () => analytics.report({ period: { kind: 'last30Days' } }));
    const statusMs = await median(9, () => analytics.statusSummary());
    const budgetCheckMs = await median(9, () =>
      gate.check({ requestId: 'b', task: 'generate', target: { provider: 'openai', model: 'gpt-4o' }, promptTokens: 1000, maxOutputTokens: 1000, override: false }),
    );
    const other = new UsageLedger({ storageDir, settings, clock });
    await other.record(syntheticRecord(n, n + 1));
    await other.close();
    const [tailMs] = await timed(() => ledger.rows());
    return {
      records: n,
      ledgerMB: disk.bytes / 1024 / 1024,
      files: disk.files,
      writeSyntheticMs: writeMs,
      firstLoadParsingMs: parseMs,
      loadFromSnapshotsMs: loadMs,
      reportYearMs,
      report30DaysMs: report30Ms,
      statusSummaryMs: statusMs,
      budgetCheckMs,
      tailOneRecordMs: tailMs,
      reportPeakHeapMB,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      heapUsedMB: process.memoryUsage().heapUsed / 1024 / 1024,
    };
  } finally {
    rmSync(storageDir, { recursive: true, force: true });
  }
}

async function appendScenario(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const fsync of [true, false]) {
    const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-bench-'));
    try {
      const ledger = new UsageLedger({ storageDir, settings: settingsWith(fsync) });
      const sequential = fsync ? 300 : 3000;
      const [seqMs] = await timed(async () => {
        for (let i = 0; i < sequential; i++) await ledger.record(syntheticRecord(i, sequential));
      });
      const concurrent = 5000;
      const [concMs] = await timed(async () => {
        const inFlight: Promise<void>[] = [];
        for (let i = 0; i < concurrent; i++) {
          inFlight.push(ledger.record(syntheticRecord(i, concurrent)));
          if (inFlight.length >= 16) await inFlight.shift();
        }
        await Promise.all(inFlight);
      });
      await ledger.close();
      const tag = fsync ? 'fsync' : 'noFsync';
      out[`${tag}SequentialPerSec`] = sequential / (seqMs / 1000);
      out[`${tag}SequentialMsPerRecord`] = seqMs / sequential;
      out[`${tag}16InFlightPerSec`] = concurrent / (concMs / 1000);
    } finally {
      rmSync(storageDir, { recursive: true, force: true });
    }
  }
  return out;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** Runs one scenario in a fresh process, so each peak RSS is its own. */
function inChild(args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bench scenario ${args.join(' ')} failed:\n${r.stderr}`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as Record<string, number>;
}

function print(title: string, figures: Record<string, number>): void {
  console.log(`\n${title}`);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(28)} ${Number.isInteger(v) ? v : v.toFixed(2)}`);
}

async function main(): Promise<void> {
  const scenario = arg('--scenario');
  if (scenario === 'aggregate') {
    console.log(JSON.stringify(await aggregateScenario(Number(arg('--records') ?? 100_000))));
    return;
  }
  if (scenario === 'append') {
    console.log(JSON.stringify(await appendScenario()));
    return;
  }
  const results = {
    aggregate100k: inChild(['--scenario', 'aggregate', '--records', '100000']),
    aggregate1M: inChild(['--scenario', 'aggregate', '--records', '1000000']),
    append: inChild(['--scenario', 'append']),
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(results));
    return;
  }
  print('Ledger, 100,000 records', results.aggregate100k);
  print('Ledger, 1,000,000 records', results.aggregate1M);
  print('Appends (one process)', results.append);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
