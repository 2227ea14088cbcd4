import assert from 'node:assert/strict';
import { totalsFor } from '../../../src/core/reports/analyticsQueries';
import { percentile, percentileOf } from '../../../src/core/reports/latencyDistribution';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import { makeRecord } from '../helpers/usage';

/** Deterministic pseudo-random numbers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('UsageRows', () => {
  it('answers range queries over out-of-order rows exactly as a plain scan would', () => {
    const random = lcg(7);
    const rows = new UsageRows();
    const records = Array.from({ length: 30_000 }, (_, i) =>
      makeRecord({ ts: Math.floor(random() * 1e9), promptTokens: i % 100, completionTokens: 1, costUsd: i % 3 ? 0.001 : null }),
    );
    // Mostly in time order with stragglers, as appends from several windows arrive.
    records.sort((a, b) => a.ts - b.ts);
    for (let i = 0; i < records.length; i += 97) records.push(...records.splice(i, 1));
    for (const r of records) rows.add(r);
    assert.ok(rows.segments.length > 2);
    for (let q = 0; q < 50; q++) {
      const a = Math.floor(random() * 1e9);
      const b = Math.floor(random() * 1e9);
      const [from, to] = a < b ? [a, b] : [b, a];
      const inRange = records.filter((r) => r.ts >= from && r.ts < to);
      const totals = totalsFor(rows, { from, to });
      assert.equal(totals.requests, inRange.length);
      assert.equal(totals.promptTokens, inRange.reduce((s, r) => s + r.promptTokens, 0));
      assert.equal(totals.unpricedRequests, inRange.filter((r) => r.costUsd === null && r.promptTokens + r.completionTokens > 0).length);
    }
  });

  it('round-trips a block of rows into another index, string tables remapped', () => {
    const a = new UsageRows();
    a.add(makeRecord({ model: 'x' }));
    a.add(makeRecord({ model: 'y', outcome: 'auth', errorMessage: 'bad key', workspace: 'w9' }));
    a.add(makeRecord({ model: 'z' }));
    const b = new UsageRows();
    b.add(makeRecord({ model: 'z' }));
    b.addBlock(a.block(1, 3));
    assert.equal(b.length, 3);
    assert.deepEqual([1, 2].map((i) => b.targetAt(b.target[i] as number).model), ['y', 'z']);
    assert.equal(b.workspaces[b.workspace[1] as number], 'w9');
    assert.equal(b.errorMessages.get(1), 'bad key');
    assert.equal(b.outcomeOf(1), 'auth');
    assert.equal(b.segments.at(-1)?.end, 3);
  });

  it('finds percentiles by selection exactly as by sorting', () => {
    const random = lcg(99);
    for (const n of [1, 2, 3, 10, 101, 5000]) {
      for (const dupes of [false, true]) {
        const values = Float64Array.from({ length: n }, () => (dupes ? Math.floor(random() * 5) : random() * 1000));
        const sorted = Float64Array.from(values).sort();
        for (const p of [0.5, 0.95, 0.99, 1]) assert.equal(percentileOf(Float64Array.from(values), p), percentile(sorted, p), `n=${n} p=${p}`);
      }
    }
    assert.equal(percentileOf(Float64Array.from([5, 4, 3, 2, 1]), 0.5), 3);
  });
});
