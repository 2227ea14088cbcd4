import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { UsageRecord } from '../../../src/core/pipeline';
import { parseLines } from '../../../src/core/ledger/monthFiles';
import { encodeRecord } from '../../../src/core/ledger/recordLine';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import type { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import { FakeClock, liveSettings, makeRecord, useTempDir } from '../helpers/usage';

const MARCH = Date.UTC(2025, 2, 10, 12);

async function readAll(ledger: UsageLedger): Promise<UsageRecord[]> {
  const out: UsageRecord[] = [];
  for await (const r of ledger.readRecords()) out.push(r);
  return out;
}

/** The columns of the index as plain arrays, to compare two indexes. */
function columns(rows: UsageRows): Record<string, unknown[]> {
  const pick = (a: ArrayLike<number>) => Array.from(a).slice(0, rows.length);
  return {
    ts: pick(rows.ts),
    prompt: pick(rows.promptTokens),
    completion: pick(rows.completionTokens),
    cost: pick(rows.costUsd).map((c) => (Number.isNaN(c) ? 'unknown' : c)),
    latency: pick(rows.latencyMs),
    target: pick(rows.target).map((t) => rows.targets[t]),
    outcome: Array.from({ length: rows.length }, (_, i) => rows.outcomeOf(i)),
    flags: pick(rows.flags),
  };
}

describe('UsageLedger', () => {
  const tmp = useTempDir();
  const settings = liveSettings((s) => {
    s.ledger.fsync = false;
  });
  const ledgers: UsageLedger[] = [];
  function openLedger(clock = new FakeClock(MARCH)): UsageLedger {
    const l = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
    ledgers.push(l);
    return l;
  }
  afterEach(async () => {
    await Promise.all(ledgers.splice(0).map((l) => l.close()));
  });
  const monthFile = () => path.join(tmp.path, 'ledger', 'usage-2025-03.jsonl');

  it('round-trips every field through the month file', async () => {
    const a = openLedger();
    const records = [
      makeRecord({ requestId: 'r1' }),
      makeRecord({ requestId: 'r2', outcome: 'timeout', errorMessage: 'The model did not answer in 120 s.', costUsd: null, ttftMs: 300 }),
      makeRecord({ requestId: 'r3', cacheHit: true, costUsd: 0, budgetOverride: true, tokensEstimated: true, fallbackDepth: 2 }),
    ];
    for (const r of records) await a.record(r);
    const b = openLedger();
    assert.deepEqual(await readAll(b), records);
    assert.equal((await b.rows()).length, 3);
    assert.deepEqual(b.health(), { files: 1, records: 3, skippedLines: 0, unfinishedBytes: 0 });
  });

  it('names month files by the UTC month of the record', async () => {
    const a = openLedger();
    await a.record(makeRecord({ ts: Date.UTC(2025, 2, 31, 23, 59, 59) }));
    await a.record(makeRecord({ ts: Date.UTC(2025, 3, 1, 0, 0, 0) }));
    assert.deepEqual(readdirSync(path.join(tmp.path, 'ledger')).sort(), ['usage-2025-03.jsonl', 'usage-2025-04.jsonl']);
  });

  it('rejects an invalid record without writing anything', async () => {
    const a = openLedger();
    await assert.rejects(a.record(makeRecord({ latencyMs: Number.NaN })), /latencyMs/);
    await assert.rejects(a.record(makeRecord({ requestId: '' })), /requestId/);
    assert.equal((await a.rows()).length, 0);
  });

  it('scrubs and shortens error messages before they reach the disk', async () => {
    const a = openLedger();
    await a.record(makeRecord({ outcome: 'auth', errorMessage: `401 for key sk-${'x'.repeat(30)} ${'y'.repeat(900)}` }));
    const [r] = await readAll(a);
    assert.ok(r?.errorMessage);
    assert.ok(!r.errorMessage.includes('sk-xxx'));
    assert.ok(r.errorMessage.length <= 500);
  });

  it('skips a torn last line, and the next append starts on a line of its own', async () => {
    const a = openLedger();
    await a.record(makeRecord({ requestId: 'before' }));
    await a.close();
    const torn = encodeRecord(makeRecord({ requestId: 'torn' })).slice(0, 40);
    appendFileSync(monthFile(), torn);

    const b = openLedger();
    assert.deepEqual((await readAll(b)).map((r) => r.requestId), ['before']);
    assert.equal((await b.rows()).length, 1);
    assert.equal(b.health().unfinishedBytes, torn.length);

    await b.record(makeRecord({ requestId: 'after' }));
    const c = openLedger();
    assert.deepEqual((await readAll(c)).map((r) => r.requestId), ['before', 'after']);
    assert.equal((await c.rows()).length, 2);
    assert.equal(c.health().skippedLines, 1);
    assert.equal(c.health().unfinishedBytes, 0);
  });

  it('skips garbage lines and keeps the records around them', async () => {
    mkdirSync(path.join(tmp.path, 'ledger'));
    const good = (id: string) => encodeRecord(makeRecord({ requestId: id }));
    writeFileSync(
      monthFile(),
      good('1') +
        'not json at all\n' +
        '{"v":1,"ts":"yesterday"}\n' +
        '{"v":2,"something":"else"}\n' +
        JSON.stringify({ ...makeRecord({ requestId: 'bad-provider' }), v: 1, provider: 'nope' }).replace(/^\{/, '{"v":1,') +
        '\n' +
        '\u0000\u0000\u0000\n' +
        good('2'),
    );
    const l = openLedger();
    assert.deepEqual((await readAll(l)).map((r) => r.requestId), ['1', '2']);
    assert.equal((await l.rows()).length, 2);
    assert.equal(l.health().skippedLines, 5);
  });

  it('recovers a record glued onto a fragment left by a crash', () => {
    const fragment = encodeRecord(makeRecord({ requestId: 'lost' })).slice(0, 60);
    const whole = encodeRecord(makeRecord({ requestId: 'kept' }));
    const parsed = parseLines(fragment + whole);
    assert.deepEqual(parsed.records.map((r) => r.requestId), ['kept']);
    assert.equal(parsed.skipped, 1);
  });

  it('sees records appended by another process since its last read, without rescanning', async () => {
    const mine = openLedger();
    const theirs = openLedger();
    await mine.record(makeRecord({ requestId: 'm1' }));
    assert.equal((await mine.rows()).length, 1);
    await theirs.record(makeRecord({ requestId: 't1', model: 'gpt-4o-mini' }));
    await theirs.record(makeRecord({ requestId: 't2', ts: Date.UTC(2025, 3, 2) }));
    const rows = await mine.rows();
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.targets.map((t) => t.model).sort(), ['gpt-4o', 'gpt-4o-mini']);
  });

  it('keeps an index equal to a full rescan after interleaved appends from two writers', async () => {
    const a = openLedger();
    const b = openLedger();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      const writer = i % 3 === 0 ? b : a;
      writes.push(
        writer.record(
          makeRecord({
            requestId: `r${i}`,
            ts: MARCH + i * 3_600_000 * 7,
            model: i % 2 ? 'gpt-4o' : 'gpt-4.1',
            outcome: i % 11 === 0 ? 'rate_limited' : 'ok',
            costUsd: i % 5 === 0 ? null : i / 1000,
            latencyMs: 100 + i,
          }),
        ),
      );
      if (i % 17 === 0) await a.rows();
    }
    await Promise.all(writes);
    const tailed = await a.rows();
    const rescanned = await openLedger().rows();
    assert.equal(tailed.length, 200);
    // Same rows; tailing may have met them in another order, so compare sorted by time.
    const sortByTs = (c: Record<string, unknown[]>) => {
      const order = (c.ts as number[]).map((_, i) => i).sort((x, y) => (c.ts as number[])[x]! - (c.ts as number[])[y]!);
      return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, order.map((i) => v[i])]));
    };
    assert.deepEqual(sortByTs(columns(tailed)), sortByTs(columns(rescanned)));
    const lines = readdirSync(path.join(tmp.path, 'ledger'))
      .flatMap((f) => readFileSync(path.join(tmp.path, 'ledger', f), 'utf8').split('\n'))
      .filter((l) => l.length > 0);
    assert.equal(lines.length, 200);
    assert.ok(lines.every((l) => parseLines(l).records.length === 1));
  });

  it('deletes month files older than the retention period and forgets their rows', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 15));
    const a = openLedger(clock);
    for (const month of [0, 1, 2, 3, 4]) await a.record(makeRecord({ ts: Date.UTC(2025, month, 10), requestId: `m${month}` }));
    assert.equal((await a.rows()).length, 5);

    // 2025-06-15 minus 90 days is 2025-03-17: January and February have ended before it, March has not.
    clock.ms = Date.UTC(2025, 5, 15);
    assert.deepEqual(await a.applyRetention(), ['usage-2025-01.jsonl', 'usage-2025-02.jsonl']);
    assert.deepEqual(readdirSync(path.join(tmp.path, 'ledger')).sort(), ['usage-2025-03.jsonl', 'usage-2025-04.jsonl', 'usage-2025-05.jsonl']);
    assert.equal((await a.rows()).length, 3);

    settings.set((s) => {
      s.ledger.retentionDays = 400;
    });
    assert.deepEqual(await openLedger(clock).applyRetention(), []);
    settings.set((s) => {
      s.ledger.retentionDays = 90;
    });
  });

  it('notices when another window deleted a month file and reloads', async () => {
    const clock = new FakeClock(Date.UTC(2025, 1, 1));
    const a = openLedger(clock);
    await a.record(makeRecord({ ts: Date.UTC(2025, 0, 10) }));
    await a.record(makeRecord({ ts: Date.UTC(2025, 1, 10) }));
    assert.equal((await a.rows()).length, 2);
    clock.ms = Date.UTC(2025, 5, 1);
    await openLedger(clock).applyRetention();
    assert.equal((await a.rows()).length, 0);
  });

  it('flushes to disk when fsync is on and still acknowledges every record', async () => {
    settings.set((s) => {
      s.ledger.fsync = true;
    });
    try {
      const a = openLedger();
      await Promise.all(Array.from({ length: 50 }, (_, i) => a.record(makeRecord({ requestId: `f${i}` }))));
      assert.equal((await openLedger().rows()).length, 50);
    } finally {
      settings.set((s) => {
        s.ledger.fsync = false;
      });
    }
  });

  it('reads records for a time range only', async () => {
    const a = openLedger();
    for (let d = 1; d <= 5; d++) await a.record(makeRecord({ ts: Date.UTC(2025, 2, d), requestId: `d${d}` }));
    const got: string[] = [];
    for await (const r of a.readRecords({ from: Date.UTC(2025, 2, 2), to: Date.UTC(2025, 2, 4) })) got.push(r.requestId);
    assert.deepEqual(got, ['d2', 'd3']);
  });
});
