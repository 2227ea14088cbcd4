/**
 * Usage-ledger figures for the summary, from the ledger scenarios in ledger.ts, each run in a
 * child process of its own so its peak RSS (`process.resourceUsage().maxRSS`) is that
 * scenario's alone: appends with fsync on, and the analytics report over 100,000 and
 * 1,000,000 synthetic records spread over a year.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { round } from './stats';

export interface LedgerFigures {
  /** Durable appends per second with 16 in flight (group commit: one fsync per batch). */
  append_per_s: number;
  /** Durable appends per second, one at a time (each waits for its own fsync). */
  append_sequential_per_s: number;
  append_no_fsync_per_s: number;
  /** The full analytics report over every record, the ledger already loaded. */
  aggregate_100k_ms: number;
  aggregate_1m_ms: number | null;
  /** Loading the ledger in a new window: from the index snapshots, and the very first parse. */
  load_100k_ms: number;
  load_1m_ms: number | null;
  first_parse_100k_ms: number;
  first_parse_1m_ms: number | null;
  status_summary_1m_ms: number | null;
  budget_check_1m_ms: number | null;
  /** What one year's report adds to the V8 heap and typed-array memory, at its height (a fresh process). */
  report_peak_heap_100k_mb: number;
  report_peak_heap_1m_mb: number | null;
  /** The largest resident set of the aggregate runs (the biggest size measured). */
  peak_rss_mb: number;
  peak_rss_100k_mb: number;
  peak_rss_1m_mb: number | null;
  ledger_1m_mb: number | null;
}

type Figures = Record<string, number>;

export async function measureLedger(opts: { withMillion: boolean }): Promise<LedgerFigures> {
  const append = await scenario(['--scenario', 'append']);
  const small = await scenario(['--scenario', 'aggregate', '--records', '100000']);
  const big = opts.withMillion ? await scenario(['--scenario', 'aggregate', '--records', '1000000']) : undefined;
  const ms = (f: Figures | undefined, key: string): number | null => (f ? round(need(f, key), 1) : null);
  return {
    append_per_s: Math.round(need(append, 'fsync16InFlightPerSec')),
    append_sequential_per_s: Math.round(need(append, 'fsyncSequentialPerSec')),
    append_no_fsync_per_s: Math.round(need(append, 'noFsync16InFlightPerSec')),
    aggregate_100k_ms: round(need(small, 'reportYearMs'), 1),
    aggregate_1m_ms: ms(big, 'reportYearMs'),
    load_100k_ms: round(need(small, 'loadFromSnapshotsMs'), 1),
    load_1m_ms: ms(big, 'loadFromSnapshotsMs'),
    first_parse_100k_ms: round(need(small, 'firstLoadParsingMs'), 1),
    first_parse_1m_ms: ms(big, 'firstLoadParsingMs'),
    status_summary_1m_ms: big ? round(need(big, 'statusSummaryMs'), 2) : null,
    budget_check_1m_ms: big ? round(need(big, 'budgetCheckMs'), 2) : null,
    report_peak_heap_100k_mb: round(need(small, 'reportPeakHeapMB'), 1),
    report_peak_heap_1m_mb: big ? round(need(big, 'reportPeakHeapMB'), 1) : null,
    peak_rss_mb: round(Math.max(need(small, 'peakRssMB'), big ? need(big, 'peakRssMB') : 0), 1),
    peak_rss_100k_mb: round(need(small, 'peakRssMB'), 1),
    peak_rss_1m_mb: big ? round(need(big, 'peakRssMB'), 1) : null,
    ledger_1m_mb: big ? round(need(big, 'ledgerMB'), 1) : null,
  };
}

function need(figures: Figures, key: string): number {
  const value = figures[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`the ledger scenario reported no ${key}`);
  return value;
}

/** Runs one scenario of ledger.ts in a fresh Node process; its last stdout line is its figures. */
function scenario(args: string[]): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'ledger.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ledger scenario ${args.join(' ')} exited with ${code}:\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as Figures);
      } catch {
        reject(new Error(`ledger scenario ${args.join(' ')} printed no figures:\n${out}\n${err}`));
      }
    });
  });
}
