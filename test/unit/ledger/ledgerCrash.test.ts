/**
 * Crash safety of the usage ledger, with real processes: a child appends records and is killed
 * with SIGKILL at random moments, over and over, into the same files; after every kill the
 * ledger must load, hold every record the child had acknowledged, and contain nothing but
 * exact copies of what was written. Also: two processes appending at once never tear a line.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { UsageRecord } from '../../../src/core/pipeline';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import { crashRecord, parseCrashId } from '../fixtures/crashRecords';
import { liveSettings } from '../helpers/usage';

const KILLS = 100;
const RUNS_PER_MONTH = 10;

/** Deterministic schedule of kill delays (the timing of the child itself is not). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ChildRun {
  acked: string[];
  sawReady: boolean;
  signal: NodeJS.Signals | null;
  sawDone: boolean;
}

/** When to kill the child: `ms` after it was spawned, said it was ready, or acknowledged its first record. */
interface KillAt {
  after: 'spawn' | 'ready' | 'firstAck';
  ms: number;
}

/** Runs the writer; with `killAt`, SIGKILLs it then, otherwise lets it finish. */
function runWriter(bundle: string, args: string[], killAt?: KillAt): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const result: ChildRun = { acked: [], sawReady: false, signal: null, sawDone: false };
    let buffered = '';
    const timers: NodeJS.Timeout[] = [];
    const kill = (ms: number) => timers.push(setTimeout(() => child.kill('SIGKILL'), ms));
    const killIf = (event: KillAt['after']) => {
      if (killAt?.after === event) kill(killAt.ms);
    };
    // A writer that never gets going is killed anyway; the checks then report it.
    if (killAt) kill(5000);
    killIf('spawn');
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      // Only whole lines count: a kill can cut an ack in half.
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === 'ready') {
          result.sawReady = true;
          killIf('ready');
        } else if (line === 'done') result.sawDone = true;
        else if (line.startsWith('ack ')) {
          result.acked.push(line.slice(4));
          if (result.acked.length === 1) killIf('firstAck');
        }
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      for (const t of timers) clearTimeout(t);
      result.signal = signal;
      resolve(result);
    });
  });
}

describe('UsageLedger under SIGKILL (child processes)', function () {
  this.timeout(90_000);
  let work: string;
  let bundle: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'aurelis-crash-'));
    bundle = path.join(work, 'ledger-writer.cjs');
    // One small bundle, so each child starts in tens of milliseconds.
    await build({
      entryPoints: [path.join(__dirname, '..', 'fixtures', 'ledgerWriter.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      logLevel: 'silent',
    });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const settings = liveSettings((s) => {
    s.ledger.fsync = false;
    s.ledger.retentionDays = 36500;
  });

  it(`keeps every acknowledged record through ${KILLS} kills at random moments`, async () => {
    const storage = path.join(work, 'kills');
    const random = mulberry32(20251122);
    const tail = new UsageLedger({ storageDir: storage, settings: settings.get });
    const allAcked = new Set<string>();
    let killedWhileWriting = 0;
    let recordsInEarlierMonths = 0;
    let recordsThisMonth = 0;

    for (let run = 0; run < KILLS; run++) {
      const month = Math.floor(run / RUNS_PER_MONTH);
      if (run % RUNS_PER_MONTH === 0) {
        recordsInEarlierMonths += recordsThisMonth;
        recordsThisMonth = 0;
      }
      // Mostly in the middle of a stream of appends; some while the ledger opens its file, some
      // before the child is even ready.
      const phase = run % 10;
      const killAt: KillAt =
        phase === 0 ? { after: 'spawn', ms: Math.floor(random() * 60) } : phase <= 2 ? { after: 'ready', ms: Math.floor(random() * 5) } : { after: 'firstAck', ms: Math.floor(random() * 25) };
      const fsync = run % 2 === 0 ? '1' : '0';
      const child = await runWriter(bundle, [storage, String(run), String(month), fsync, '4'], killAt);
      assert.equal(child.signal, 'SIGKILL', `run ${run} was not killed`);
      for (const id of child.acked) allAcked.add(id);
      if (child.acked.length > 0) killedWhileWriting++;

      // A full read of this run's month file: every record is an exact copy of one that was written.
      const found = new Map<string, UsageRecord>();
      for await (const r of new UsageLedger({ storageDir: storage, settings: settings.get }).readRecords({
        from: Date.UTC(2030, month, 1),
        to: Date.UTC(2030, month + 1, 1),
      })) {
        const id = parseCrashId(r.requestId);
        assert.ok(id && id.run <= run, `unexpected record ${r.requestId}`);
        assert.ok(!found.has(r.requestId), `record ${r.requestId} appears twice`);
        assert.deepEqual(r, crashRecord(id.run, id.seq, month));
        found.set(r.requestId, r);
      }
      for (const id of allAcked) {
        const parsed = parseCrashId(id);
        if (parsed && Math.floor(parsed.run / RUNS_PER_MONTH) === month) assert.ok(found.has(id), `acknowledged record ${id} is missing after kill ${run}`);
      }
      recordsThisMonth = found.size;

      // The long-lived index, which only tails new bytes, agrees with the full read.
      assert.equal((await tail.rows()).length, recordsInEarlierMonths + recordsThisMonth, `index disagrees after kill ${run}`);
    }

    const fresh = new UsageLedger({ storageDir: storage, settings: settings.get });
    const total = recordsInEarlierMonths + recordsThisMonth;
    assert.equal((await fresh.rows()).length, total);
    // At most one torn line per kill, each skipped.
    assert.ok(fresh.health().skippedLines <= KILLS);
    assert.ok(total >= allAcked.size);
    // The test means something only if most kills hit a writer at work.
    assert.ok(killedWhileWriting >= KILLS / 2, `only ${killedWhileWriting} kills hit a writer at work`);
  });

  it('lets two processes append to the same file at once without tearing a line', async () => {
    const storage = path.join(work, 'concurrent');
    const [a, b] = await Promise.all([
      runWriter(bundle, [storage, '1', '0', '0', '8', '1500']),
      runWriter(bundle, [storage, '2', '0', '1', '8', '1500']),
    ]);
    assert.ok(a.sawDone && b.sawDone);
    const ledger = new UsageLedger({ storageDir: storage, settings: settings.get });
    const ids = new Set<string>();
    for await (const r of ledger.readRecords()) ids.add(r.requestId);
    assert.equal(ids.size, 3000);
    await ledger.rows();
    assert.deepEqual(ledger.health(), { files: 1, records: 3000, skippedLines: 0, unfinishedBytes: 0 });
  });
});
