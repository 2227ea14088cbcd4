import assert from 'node:assert/strict';
import { addLocalDays, budgetPeriod, localDayKey, localDayStarts, resolvePeriod } from '../../../src/core/reports/periods';
import { inTimeZone, local } from '../helpers/usage';

const HOUR = 3_600_000;

describe('local periods', () => {
  describe('in America/New_York (daylight saving)', () => {
    inTimeZone('America/New_York');

    it('has a 23-hour day when the clocks go forward and a 25-hour day when they go back', () => {
      const spring = budgetPeriod('daily', local(2025, 3, 9, 12));
      assert.equal(spring.end - spring.start, 23 * HOUR);
      const autumn = budgetPeriod('daily', local(2025, 11, 2, 12));
      assert.equal(autumn.end - autumn.start, 25 * HOUR);
      assert.equal(spring.start, Date.UTC(2025, 2, 9, 5));
    });

    it('starts weeks on Monday, also across a month edge', () => {
      // Sunday 2025-04-06 belongs to the week that began Monday 2025-03-31.
      assert.deepEqual(budgetPeriod('weekly', local(2025, 4, 6, 23, 59)), { start: local(2025, 3, 31), end: local(2025, 4, 7) });
      assert.deepEqual(budgetPeriod('weekly', local(2025, 4, 7)), { start: local(2025, 4, 7), end: local(2025, 4, 14) });
      assert.deepEqual(budgetPeriod('monthly', local(2025, 4, 6)), { start: local(2025, 4, 1), end: local(2025, 5, 1) });
    });

    it('resolves the analytics periods to whole local days', () => {
      const now = local(2025, 3, 12, 15, 30);
      assert.deepEqual(resolvePeriod({ kind: 'today' }, now), { from: local(2025, 3, 12), to: local(2025, 3, 13) });
      assert.deepEqual(resolvePeriod({ kind: 'last7Days' }, now), { from: local(2025, 3, 6), to: local(2025, 3, 13) });
      assert.deepEqual(resolvePeriod({ kind: 'last30Days' }, now), { from: local(2025, 2, 11), to: local(2025, 3, 13) });
      assert.deepEqual(resolvePeriod({ kind: 'thisMonth' }, now), { from: local(2025, 3, 1), to: local(2025, 3, 13) });
      assert.deepEqual(resolvePeriod({ kind: 'custom', from: 5, to: 9 }, now), { from: 5, to: 9 });
      assert.equal(localDayStarts(local(2025, 3, 6), local(2025, 3, 13)).length, 8);
      assert.equal(localDayKey(addLocalDays(now, -12)), '2025-02-28');
    });
  });

  describe('in Asia/Kolkata (half-hour offset)', () => {
    inTimeZone('Asia/Kolkata');
    it('puts local midnight at 18:30 UTC', () => {
      assert.equal(budgetPeriod('daily', Date.UTC(2025, 5, 1, 18, 29)).start, Date.UTC(2025, 4, 31, 18, 30));
      assert.equal(budgetPeriod('daily', Date.UTC(2025, 5, 1, 18, 30)).start, Date.UTC(2025, 5, 1, 18, 30));
    });
  });

  describe('in America/Santiago (midnight that does not exist)', () => {
    inTimeZone('America/Santiago');
    it('starts the day at the first instant that exists', () => {
      // Chile moved its clocks from 00:00 to 01:00 on 2024-09-08.
      const day = budgetPeriod('daily', local(2024, 9, 8, 12));
      assert.equal(day.end - day.start, 23 * HOUR);
      assert.equal(new Date(day.start).getHours(), 1);
    });
  });
});
