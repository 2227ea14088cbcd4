/**
 * Accounting off the request's path: the answer is handed over before its usage record is
 * written; the record counts toward budgets from the moment the request ends; records of one
 * moment share one write and one fdatasync; `recorded`, `flush()` and `dispose()` resolve only
 * when the records are on disk; other windows' records arrive by a background refresh.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { AuditLog } from '../../../src/core/audit/auditLog';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import type { UsageRecord } from '../../../src/core/pipeline';
import { FakeClock, liveSettings, makeRecord, useTempDir } from '../helpers/usage';
import { failure, startHarness, type Harness } from '../orchestrator/harness';
import { reply } from '../../fake-server';

const MARCH = Date.UTC(2025, 2, 10, 12);

/** Counts calls of a FileHandle method, for as long as the test runs. */
async function countCalls(dir: string, method: 'datasync' | 'write' | 'close'): Promise<{ readonly count: number; restore(): void }> {
  const probe = await open(path.join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as Record<string, (...args: unknown[]) => unknown>;
  await probe.close();
  const original = proto[method] as (...args: unknown[]) => unknown;
  const counter = { count: 0, restore: () => void (proto[method] = original) };
  proto[method] = function (this: unknown, ...args: unknown[]) {
    counter.count++;
    return original.apply(this, args);
  };
  return counter;
}

describe('durable accounting off the request path', () => {
  const tmp = useTempDir();

  describe('the usage ledger', () => {
    const settings = liveSettings((s) => {
      s.ledger.fsync = true;
    });
    const ledgers: UsageLedger[] = [];
    const openLedger = (clock = new FakeClock(MARCH)): UsageLedger => {
      const l = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
      ledgers.push(l);
      return l;
    };
    afterEach(async () => {
      await Promise.all(ledgers.splice(0).map((l) => l.close()));
    });

    it('counts a record from the moment it is taken, and once only after it is read back', async () => {
      const ledger = openLedger();
      await ledger.current();
      const written = ledger.record(makeRecord({ requestId: 'now' }));
      const before = await ledger.current();
      assert.equal(before.rows.length, 0);
      assert.deepEqual(before.unread.map((u) => u.record.requestId), ['now']);
      await written;
      await ledger.refresh();
      const after = await ledger.current();
      assert.equal(after.rows.length, 1);
      assert.equal(after.unread.length, 0);
    });

    it('writes the records of one moment with one write and one fdatasync, and acknowledges each after it', async () => {
      const ledger = openLedger();
      await ledger.record(makeRecord({ requestId: 'opens-the-file' }));
      const syncs = await countCalls(tmp.path, 'datasync');
      const writes = await countCalls(tmp.path, 'write');
      try {
        const acks: string[] = [];
        await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.record(makeRecord({ requestId: `r${i}` })).then(() => acks.push(`r${i}`))));
        assert.equal(acks.length, 20);
        assert.equal(syncs.count, 1);
        assert.equal(writes.count, 1);
      } finally {
        syncs.restore();
        writes.restore();
      }
      const fresh = openLedger();
      assert.equal((await fresh.rows()).length, 21);
    });

    it('an invalid record is refused on its own; the others of its moment are written', async () => {
      const ledger = openLedger();
      const results = await Promise.allSettled([
        ledger.record(makeRecord({ requestId: 'good-1' })),
        ledger.record(makeRecord({ requestId: 'bad', promptTokens: -1 })),
        ledger.record(makeRecord({ requestId: 'good-2' })),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.match(String((results[1] as PromiseRejectedResult).reason), /Usage record bad is invalid \(promptTokens/);
      assert.equal((await ledger.current()).unread.some((u) => u.record.requestId === 'bad'), false);
      const ids: string[] = [];
      for await (const r of openLedger().readRecords()) ids.push(r.requestId);
      assert.deepEqual(ids, ['good-1', 'good-2']);
    });

    it("another window's records arrive by a background refresh once the last read is a second old", async () => {
      const clock = new FakeClock(MARCH);
      const ledger = openLedger(clock);
      await ledger.current();
      const other = openLedger();
      await other.record(makeRecord({ requestId: 'other-window' }));
      // Read less than a second ago: the request path does not touch the disk.
      assert.equal((await ledger.current()).rows.length, 0);
      clock.ms += 1000;
      ledger.current();
      // The refresh started in the background; waiting for one more read sees its result.
      await ledger.refresh();
      assert.equal((await ledger.current()).rows.length, 1);
    });
  });

  describe('the audit log', () => {
    it('keeps its file open between writes, and writes a new one when the file is deleted under it', async () => {
      const settings = liveSettings();
      const audit = new AuditLog({ storageDir: tmp.path, settings: settings.get, clock: { now: () => MARCH } });
      const closes = await countCalls(tmp.path, 'close');
      try {
        for (const id of ['a', 'b', 'c']) await audit.record(makeRecord({ requestId: id, ts: MARCH }));
        assert.equal(closes.count, 0);
        // Retention in another window removes the file this one holds open.
        rmSync(path.join(tmp.path, 'audit', 'audit-2025-03-10.jsonl'));
        await audit.record(makeRecord({ requestId: 'd', ts: MARCH }));
      } finally {
        closes.restore();
      }
      assert.deepEqual((await audit.read()).lines.map((l) => l.type === 'request' && l.requestId), ['d']);
      await audit.close();
    });
  });

  describe('the orchestrator', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness();
    });
    afterEach(() => h.close());

    it('hands the answer over before its record is written; `recorded` resolves when it is', async () => {
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const records: UsageRecord[] = [];
      h.orchestrator = h.restart({ recorders: [{ record: (r) => held.then(() => void records.push(r)) }] });
      h.server.script(reply.text('answer'));
      const result = await h.orchestrator.run({ task: 'explain', prompt: 'x' });
      assert.equal(result.content, 'answer');
      assert.equal(records.length, 0);
      // Not part of the result's data.
      assert.equal('recorded' in JSON.parse(JSON.stringify(result)), false);
      let acknowledged = false;
      const done = result.recorded.then(() => (acknowledged = true));
      const flushed = h.orchestrator.flush();
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(acknowledged, false);
      release();
      await Promise.all([done, flushed]);
      assert.deepEqual(records.map((r) => [r.requestId, r.outcome]), [[result.requestId, 'ok']]);
    });

    it('dispose() resolves once every record — a failed request’s too — is in the ledger on disk', async () => {
      const ledger = new UsageLedger({ storageDir: h.storageDir, settings: () => h.settings });
      h.orchestrator = h.restart({ recorders: [ledger] });
      h.server.script(reply.text('one'), reply.error(401, { error: { message: 'Bad credentials' } }));
      await h.orchestrator.run({ task: 'explain', prompt: 'x' });
      const error = await failure(h.orchestrator.run({ task: 'explain', prompt: 'y' }));
      await h.orchestrator.dispose();
      const onDisk: string[] = [];
      for await (const r of new UsageLedger({ storageDir: h.storageDir, settings: () => h.settings }).readRecords()) onDisk.push(r.outcome);
      assert.deepEqual(onDisk, ['ok', error.kind]);
      await ledger.close();
    });
  });
});
