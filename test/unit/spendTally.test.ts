import assert from 'node:assert/strict';
import { SpendTally, currentSpend, withRecords } from '../../src/core/budget/budgetStatus';
import { UsageRows } from '../../src/core/ledger/ledgerIndex';
import { inTimeZone, local, makeRecord } from './helpers/usage';

describe('SpendTally: budget spend kept up to date without rescanning', () => {
  inTimeZone('Europe/Berlin');

  it('after every append it equals a full rescan, and it starts over at a period rollover and on a new index', () => {
    const rows = new UsageRows();
    const tally = new SpendTally();
    let now = local(2026, 2, 27, 9);
    const costs = [0.01, 0.25, Number.NaN, 0.1, 0.003];
    for (let i = 0; i < 400; i++) {
      now += 37 * 60_000; // crosses midnight, Monday and the 1st of March on the way
      rows.add(makeRecord({ ts: now - 1000, costUsd: Number.isNaN(costs[i % 5] as number) ? null : (costs[i % 5] as number), promptTokens: 100 + i, completionTokens: i % 7, cacheHit: i % 11 === 0 }));
      assert.deepEqual(tally.of(rows, now), currentSpend(rows, now), `after record ${i}`);
    }
    const fresh = new UsageRows();
    fresh.add(makeRecord({ ts: now - 5, costUsd: 2 }));
    assert.deepEqual(tally.of(fresh, now), currentSpend(fresh, now), 'a new index (retention) is counted from scratch');
  });

  it('reads only the rows that arrived since the last check', () => {
    const rows = new UsageRows();
    const now = local(2026, 3, 10, 12);
    for (let i = 0; i < 1000; i++) rows.add(makeRecord({ ts: now - i * 1000, costUsd: 0.01 }));
    const tally = new SpendTally();
    assert.ok(Math.abs(tally.of(rows, now).daily.usd - 10) < 1e-9);
    // Change a row already counted: a rescan would see it, the tally must not look at it again.
    rows.costUsd[0] = 1000;
    rows.add(makeRecord({ ts: now - 1, costUsd: 0.01 }));
    assert.ok(Math.abs(tally.of(rows, now).daily.usd - 10.01) < 1e-9, 'old rows were read again');
  });

  it("with this process's unread records, adds only those taken since the last check and equals adding them all up", () => {
    const rows = new UsageRows();
    const tally = new SpendTally();
    const now = local(2026, 3, 10, 12);
    let unread: Array<{ record: ReturnType<typeof makeRecord> }> = [];
    let n = 0;
    const take = (): void => void unread.push({ record: makeRecord({ ts: now - 1000 + n, costUsd: n % 4 === 0 ? null : 0.01 * n, promptTokens: 10 + n, completionTokens: n++, cacheHit: n % 9 === 0 }) });
    const steps: Array<[string, () => void]> = [
      ['take one', take],
      ['take three', () => [0, 1, 2].forEach(take)],
      // A read brings the oldest two into the index.
      ['read back', () => unread.splice(0, 2).forEach((p) => rows.add(p.record))],
      // A failed write forgets a record in the middle (never in the index).
      ['forget one', () => unread.length > 2 && unread.splice(1, 1)],
      ['forget the last', () => unread.pop()],
      // …and between two checks, more are taken after it.
      ['forget one, take two', () => (unread.length > 2 && unread.splice(1, 1), take(), take())],
      ['forget the last, take one', () => (unread.pop(), take())],
      // Retention hands over a new list.
      ['new list', () => (unread = unread.filter((_, i) => i % 2 === 0))],
      ['nothing', () => undefined],
    ];
    for (let i = 0; i < 300; i++) {
      const [name, step] = steps[(i * 5 + (i >> 2)) % steps.length] as [string, () => void];
      step();
      const expected = withRecords(currentSpend(rows, now), unread);
      const got = tally.withUnread(rows, unread, now);
      for (const period of ['daily', 'weekly', 'monthly'] as const) {
        assert.ok(Math.abs(got[period].usd - expected[period].usd) < 1e-9, `${period} usd after step ${i} (${name})`);
        assert.equal(got[period].tokens, expected[period].tokens, `${period} tokens after step ${i} (${name})`);
        assert.equal(got[period].unpricedRequests, expected[period].unpricedRequests, `${period} unpriced after step ${i} (${name})`);
      }
    }
  });
});
