import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync, appendFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { snapshotPath } from '../../../src/core/ledger/indexSnapshot';
import { UsageAnalytics } from '../../../src/core/reports/usageAnalytics';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import { FakeClock, liveSettings, makeRecord, useTempDir } from '../helpers/usage';

const NOW = Date.UTC(2025, 3, 20, 12);

describe('ledger index snapshots', () => {
  const tmp = useTempDir();
  const settings = liveSettings((s) => {
    s.ledger.fsync = false;
    s.ledger.retentionDays = 3650;
  });
  const clock = new FakeClock(NOW);
  const open = (snapshotMinRows = 50) => new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock, snapshotMinRows });
  const march = () => path.join(tmp.path, 'ledger', 'usage-2025-03.jsonl');
  const report = (ledger: UsageLedger) =>
    new UsageAnalytics({ ledger, settings: settings.get, clock }).report({ period: { kind: 'custom', from: 0, to: NOW + 1 } });

  /** 120 varied records in March, plus a torn line, written straight to the file. */
  async function seed(): Promise<void> {
    const w = open(Infinity);
    for (let i = 0; i < 120; i++) {
      await w.record(
        makeRecord({
          requestId: `s${i}`,
          ts: Date.UTC(2025, 2, 1 + (i % 28), i % 24),
          model: ['gpt-4o', 'gpt-4.1', 'o4-mini'][i % 3],
          provider: i % 5 === 0 ? 'openrouter' : 'openai',
          outcome: i % 9 === 0 ? 'timeout' : 'ok',
          ...(i % 9 === 0 ? { errorMessage: `timed out #${i}` } : {}),
          costUsd: i % 7 === 0 ? null : i / 1000,
          latencyMs: 100 + i,
          cacheHit: i % 11 === 0,
          workspace: i % 2 ? 'w1' : 'w2',
          ...(i % 4 === 0 ? { task: 'prompt' as const, prompt: i % 8 === 0 ? 'Capitals' : 'Summarize' } : {}),
        }),
      );
    }
    await w.close();
    appendFileSync(march(), 'garbage line\n');
  }

  it('saves a snapshot after parsing many lines, and a later start gives the same answers from it', async () => {
    await seed();
    const first = open();
    const parsed = await report(first);
    assert.ok(existsSync(snapshotPath(march())));
    const health = first.health();

    assert.deepEqual(parsed.byPrompt.map((p) => [p.prompt, p.totals.requests]).sort(), [['Capitals', 15], ['Summarize', 15]]);
    const second = open();
    assert.deepEqual(await report(second), parsed);
    assert.deepEqual(second.health(), health);
    assert.equal(health.skippedLines, 1);
  });

  it('reads what was appended after the snapshot from the file', async () => {
    await seed();
    await open().rows();
    const w = open(Infinity);
    await w.record(makeRecord({ requestId: 'late', ts: Date.UTC(2025, 2, 30), model: 'late-model' }));
    await w.close();
    const rows = await open(Infinity).rows();
    assert.equal(rows.length, 121);
    assert.ok(rows.targets.some((t) => t.model === 'late-model'));
  });

  it('ignores a damaged snapshot and reads the file instead', async () => {
    await seed();
    const expected = await report(open());
    const snap = snapshotPath(march());
    const bytes = readFileSync(snap);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(snap, bytes);
    assert.deepEqual(await report(open(Infinity)), expected);
    writeFileSync(snap, bytes.subarray(0, 100));
    assert.deepEqual(await report(open(Infinity)), expected);
  });

  it('ignores a snapshot that does not match the file it claims to cover', async () => {
    await seed();
    await open().rows();
    // Same length, different content: the month file was replaced.
    const original = readFileSync(march(), 'utf8');
    writeFileSync(march(), original.replace(/"latencyMs":100,/, '"latencyMs":999,'));
    const rows = await open(Infinity).rows();
    assert.ok(Array.from(rows.latencyMs.subarray(0, rows.length)).includes(999));
  });

  it('is deleted with its month file, and orphans and stale temporary files are swept', async () => {
    await seed();
    await open().rows();
    const dir = path.join(tmp.path, 'ledger');
    writeFileSync(path.join(dir, 'usage-2024-01.idx'), 'orphan');
    const stale = path.join(dir, 'usage-2025-03.idx.999.tmp');
    writeFileSync(stale, 'x');
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(stale, old, old);
    settings.set((s) => {
      s.ledger.retentionDays = 10;
    });
    try {
      assert.deepEqual(await open().applyRetention(), ['usage-2025-03.jsonl']);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      settings.set((s) => {
        s.ledger.retentionDays = 3650;
      });
    }
  });

  it('never changes the month file', async () => {
    await seed();
    const before = readFileSync(march());
    await open().rows();
    assert.ok(readFileSync(march()).equals(before));
  });
});
