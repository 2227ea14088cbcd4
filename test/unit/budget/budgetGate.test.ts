import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import type { BudgetCheck, ModelTarget, UsageRecord } from '../../../src/core/pipeline';
import { LedgerBudgetGate } from '../../../src/core/budget/budgetGate';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import type { Settings } from '../../../src/core/settings';
import { FakeClock, inTimeZone, liveSettings, local, makeRecord, useTempDir } from '../helpers/usage';

const GPT4O: ModelTarget = { provider: 'openai', model: 'gpt-4o' };

/** A gate over an in-memory index, with the budgets given. */
function setup(budgets: Partial<Settings['budgets']>, now: number) {
  const settings = liveSettings((s) => Object.assign(s.budgets, budgets));
  const rows = new UsageRows();
  const clock = new FakeClock(now);
  const gate = new LedgerBudgetGate({ ledger: { current: () => ({ rows, unread: [] }) }, prices: new ModelPrices(settings.get), settings: settings.get, clock });
  const spend = (overrides: Partial<UsageRecord>) => rows.add(makeRecord({ ts: clock.ms - 1000, ...overrides }));
  const check = (promptTokens: number, maxOutputTokens: number, extra: Partial<BudgetCheck> = {}) =>
    gate.check({ requestId: 'r', task: 'generate', target: GPT4O, promptTokens, maxOutputTokens, override: false, ...extra });
  return { settings, rows, clock, gate, spend, check };
}

async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isAurelisError(e), String(e));
    assert.equal(e.kind, 'budget_exceeded');
    assert.deepEqual(e.nextSteps, ['raiseBudget', 'allowOnce']);
    return e.message;
  }
  assert.fail('the request was not refused');
}

describe('LedgerBudgetGate', () => {
  inTimeZone('America/New_York');
  const noon = () => local(2025, 3, 12, 12);

  it('allows everything when no budget is set', async () => {
    const { check, spend } = setup({}, noon());
    spend({ promptTokens: 10_000_000 });
    assert.deepEqual(await check(1_000_000, 1_000_000), { action: 'allow' });
  });

  describe('token budgets at each threshold (limit 1000: warn 800, throttle 950, stop above 1000)', () => {
    const cases: Array<[number, string]> = [
      [799, 'allow'],
      [800, 'warn'],
      [949, 'warn'],
      [950, 'throttle'],
      [1000, 'throttle'],
    ];
    for (const [projected, expected] of cases) {
      it(`${projected} tokens → ${expected}`, async () => {
        const { check, spend } = setup({ dailyTokens: 1000 }, noon());
        spend({ promptTokens: 300, completionTokens: 100 });
        const decision = await check(projected - 400 - 50, 50);
        assert.equal(decision.action, expected);
      });
    }

    it('1001 tokens → stop, naming the setting to raise', async () => {
      const { check, spend } = setup({ dailyTokens: 1000 }, noon());
      spend({ promptTokens: 300, completionTokens: 100 });
      const message = await refused(check(551, 50));
      assert.match(message, /would exceed your daily budget: 400 tokens spent today of 1,000 tokens/);
      assert.match(message, /aurelis\.budgets\.dailyTokens/);
    });

    it('decides with the prompt\'s upper bound when it allows, and counts only when a budget is near', async () => {
      const { gate, spend } = setup({ dailyTokens: 1000 }, noon());
      spend({ promptTokens: 300, completionTokens: 100 });
      let counted = 0;
      // As the orchestrator asks: the exact count behind a getter (a spread would read it).
      const lazily = (exact: number, bound: number, maxOutputTokens: number) =>
        gate.check({
          requestId: 'r',
          task: 'generate',
          target: GPT4O,
          get promptTokens() {
            counted++;
            return exact;
          },
          promptTokenBound: bound,
          maxOutputTokens,
          override: false,
        });
      // 400 spent + bound 300 + 50 = 750: allowed by the bound, so allowed with any count below it.
      assert.deepEqual(await lazily(200, 300, 50), { action: 'allow' });
      assert.equal(counted, 0);
      // The bound (400 + 600 + 50) would stop it; the exact count (400 + 300 + 50 = 750) decides: allowed.
      assert.deepEqual(await lazily(300, 600, 50), { action: 'allow' });
      assert.equal(counted, 1);
      // Exactly what an exact count alone decides: 400 + 551 + 50 is past the stop line.
      assert.match(await refused(lazily(551, 2000, 50)), /would exceed your daily budget/);
      assert.equal(counted, 2);
    });

    it('a budget already used up stops even a tiny request', async () => {
      const { check, spend } = setup({ dailyTokens: 1000 }, noon());
      spend({ promptTokens: 1000, completionTokens: 0 });
      assert.match(await refused(check(1, 0)), /Your daily budget is used up/);
    });

    it('honours configured thresholds', async () => {
      const { check } = setup({ dailyTokens: 1000, warnAt: 0.5, throttleAt: 0.6, stopAt: 0.7 }, noon());
      assert.equal((await check(500, 0)).action, 'warn');
      assert.equal((await check(600, 0)).action, 'throttle');
      await refused(check(701, 0));
    });
  });

  describe('dollar budgets at each threshold (limit $1.00: warn $0.80, throttle $0.95, stop above $1.00)', () => {
    // The request may cost up to $0.20 (gpt-4o: 40k in at $2.50/M + 10k out at $10/M), so the
    // boundaries are met by what is spent plus the request, not by the spend alone.
    const cases: Array<[number, string]> = [
      [0.59, 'allow'],
      [0.6, 'warn'],
      [0.749, 'warn'],
      [0.75, 'throttle'],
      [0.8, 'throttle'],
    ];
    for (const [spent, expected] of cases) {
      it(`$${spent.toFixed(3)} spent + $0.20 → ${expected}`, async () => {
        const { check, spend } = setup({ dailyUsd: 1 }, noon());
        spend({ costUsd: spent });
        assert.equal((await check(40_000, 10_000)).action, expected);
      });
    }

    it('eighty $0.01 requests + $0.20 reach $1.00 exactly → throttle, though the float sum is just over', async () => {
      // 0.01 added eighty times is 0.8000000000000005: without a tolerance this would be refused.
      const { check, spend } = setup({ dailyUsd: 1 }, noon());
      for (let i = 0; i < 80; i++) spend({ costUsd: 0.01 });
      assert.equal((await check(40_000, 10_000)).action, 'throttle');
    });

    it('$0.801 spent + $0.20 → stop, naming the setting to raise', async () => {
      const { check, spend } = setup({ dailyUsd: 1 }, noon());
      spend({ costUsd: 0.801 });
      const message = await refused(check(40_000, 10_000));
      assert.match(message, /This request \(up to \$0\.20\) would exceed your daily budget: \$0\.80 spent today of \$1\.00/);
      assert.match(message, /aurelis\.budgets\.dailyUsd/);
    });

    it('a dollar budget already used up stops even a request of a few millionths of a dollar', async () => {
      const { check, spend } = setup({ dailyUsd: 1 }, noon());
      spend({ costUsd: 1 });
      assert.match(await refused(check(1, 0)), /Your daily budget is used up: \$1\.00 spent today of \$1\.00/);
    });
  });

  describe('dollar budgets', () => {
    // gpt-4o: $2.50 per million in, $10 per million out → 40k in + 10k out = $0.20.
    it('estimates with the prompt plus the full output allowance at the model price', async () => {
      const { check, spend } = setup({ dailyUsd: 1 }, noon());
      spend({ costUsd: 0.59 });
      assert.equal((await check(40_000, 10_000)).action, 'allow');
      spend({ costUsd: 0.01 });
      assert.equal((await check(40_000, 10_000)).action, 'warn');
      spend({ costUsd: 0.19 });
      assert.equal((await check(40_000, 10_000)).action, 'throttle');
      spend({ costUsd: 0.02 });
      const message = await refused(check(40_000, 10_000));
      assert.match(message, /This request \(up to \$0\.20\) would exceed your daily budget: \$0\.81 spent today of \$1\.00/);
    });

    it("stops a single request that would cross the limit by itself (GitHub's $12.50 example)", async () => {
      const target: ModelTarget = { provider: 'github-models', model: 'openai/gpt-4o' };
      const exact = setup({ dailyUsd: 12.5 }, noon());
      assert.equal((await exact.check(1_000_000, 1_000_000, { target })).action, 'throttle');
      const tight = setup({ dailyUsd: 12.49 }, noon());
      await refused(tight.check(1_000_000, 1_000_000, { target }));
    });

    it('does not count cache hits', async () => {
      const { check, spend } = setup({ dailyUsd: 1 }, noon());
      spend({ costUsd: 5, cacheHit: true, promptTokens: 1_000_000 });
      assert.equal((await check(100, 100)).action, 'allow');
    });
  });

  describe('unknown prices', () => {
    const mystery: ModelTarget = { provider: 'custom', model: 'mystery-model' };

    it('says once a day that the model is not counted in dollars, then allows', async () => {
      const { check, clock } = setup({ dailyUsd: 1 }, noon());
      const first = await check(1_000_000, 1_000_000, { target: mystery });
      assert.equal(first.action, 'warn');
      assert.match(first.action === 'warn' ? first.message : '', /price of mystery-model is unknown.*aurelis\.prices/);
      assert.deepEqual(await check(1_000_000, 1_000_000, { target: mystery }), { action: 'allow' });
      clock.ms = local(2025, 3, 13, 9);
      assert.equal((await check(10, 10, { target: mystery })).action, 'warn');
    });

    it('still applies token budgets in full', async () => {
      const { check } = setup({ dailyUsd: 1, dailyTokens: 1000 }, noon());
      await refused(check(900, 200, { target: mystery }));
    });

    it('still stops when the dollar budget is already used up', async () => {
      const { check, spend } = setup({ dailyUsd: 1 }, noon());
      spend({ costUsd: 1 });
      await refused(check(10, 10, { target: mystery }));
    });
  });

  it('lets a refused request through once when the user allows it, and says so', async () => {
    const { check, spend } = setup({ dailyUsd: 1 }, noon());
    spend({ costUsd: 0.99 });
    await refused(check(40_000, 10_000));
    const decision = await check(40_000, 10_000, { override: true });
    assert.equal(decision.action, 'warn');
    assert.match(decision.action === 'warn' ? decision.message : '', /Allow Once/);
  });

  it('warns once per period, and again in the next period', async () => {
    const { check, spend, clock } = setup({ dailyTokens: 1000 }, noon());
    spend({ promptTokens: 800, completionTokens: 0 });
    assert.equal((await check(10, 0)).action, 'warn');
    assert.equal((await check(10, 0)).action, 'allow');
    clock.ms = local(2025, 3, 13, 10);
    spend({ promptTokens: 850, completionTokens: 0 });
    assert.equal((await check(10, 0)).action, 'warn');
    assert.equal((await check(10, 0)).action, 'allow');
  });

  it('warns once per week, across a month edge inside the week too, and again in the next week', async () => {
    // The week of Monday 2025-03-31 .. Sunday 2025-04-06 starts in March and ends in April.
    const { check, spend, clock } = setup({ weeklyTokens: 1000 }, local(2025, 3, 31, 10));
    spend({ promptTokens: 400, completionTokens: 0 });
    assert.equal((await check(10, 0)).action, 'allow');
    // Only Monday's spend plus Tuesday's reaches 80 %: the new month must not have started a new week.
    clock.ms = local(2025, 4, 1, 10);
    spend({ promptTokens: 400, completionTokens: 0 });
    assert.equal((await check(10, 0)).action, 'warn');
    clock.ms = local(2025, 4, 6, 23, 59, 59, 999);
    assert.equal((await check(10, 0)).action, 'allow', 'told once: not again on a later day of the same week');
    clock.ms = local(2025, 4, 7, 10);
    assert.equal((await check(10, 0)).action, 'allow', 'the new week starts empty');
    spend({ promptTokens: 850, completionTokens: 0 });
    assert.equal((await check(10, 0)).action, 'warn');
    assert.equal((await check(10, 0)).action, 'allow');
  });

  it('warns once per month, across a new week inside the month too, and again in the next month', async () => {
    // Friday 2025-01-24; the month's last week starts on Monday 2025-01-27.
    const { check, spend, clock } = setup({ monthlyUsd: 10 }, local(2025, 1, 24, 12));
    spend({ costUsd: 8 });
    assert.equal((await check(1, 0)).action, 'warn');
    clock.ms = local(2025, 1, 27, 10);
    assert.equal((await check(1, 0)).action, 'allow', 'a new week is not a new month');
    clock.ms = local(2025, 1, 31, 23, 59, 59, 999);
    assert.equal((await check(1, 0)).action, 'allow', 'told once this month');
    clock.ms = local(2025, 2, 1, 10);
    assert.equal((await check(1, 0)).action, 'allow', 'the new month starts empty');
    spend({ costUsd: 8.5 });
    assert.equal((await check(1, 0)).action, 'warn');
    assert.equal((await check(1, 0)).action, 'allow');
  });

  it('warns about each budget once, one after the other', async () => {
    const { check, spend, clock } = setup({ dailyTokens: 1000, weeklyTokens: 2000 }, local(2025, 3, 11, 9));
    spend({ promptTokens: 700, completionTokens: 0 });
    clock.ms = local(2025, 3, 12, 9);
    spend({ promptTokens: 900, completionTokens: 0 });
    // Today 900/1000 and this week 1600/2000: both past 80 %, the day further along.
    const message = (d: Awaited<ReturnType<typeof check>>) => (d.action === 'warn' ? d.message : d.action);
    assert.match(message(await check(0, 0)), /90 % of your daily budget/);
    assert.match(message(await check(0, 0)), /80 % of your weekly budget/);
    assert.deepEqual(await check(0, 0), { action: 'allow' });
  });

  describe('period rollover in local time', () => {
    it('resets a daily budget at local midnight, on a 23-hour DST day too', async () => {
      const { check, spend, clock } = setup({ dailyTokens: 1000 }, local(2025, 3, 9, 0, 30));
      spend({ promptTokens: 1000, completionTokens: 0 });
      clock.ms = local(2025, 3, 9, 23, 59, 59, 999);
      await refused(check(1, 0));
      clock.ms = local(2025, 3, 10);
      assert.equal((await check(1, 0)).action, 'allow');
    });

    it('resets a weekly budget on Monday 00:00 local, across a month edge', async () => {
      // The week of Monday 2025-03-31 .. Sunday 2025-04-06.
      const { check, spend, clock } = setup({ weeklyTokens: 1000, monthlyTokens: 5000 }, local(2025, 3, 31, 10));
      spend({ promptTokens: 1000, completionTokens: 0 });
      clock.ms = local(2025, 4, 6, 23, 59, 59, 999);
      await refused(check(1, 0));
      clock.ms = local(2025, 4, 7);
      assert.equal((await check(1, 0)).action, 'allow');
    });

    it('resets a monthly budget on the 1st at 00:00 local', async () => {
      const { check, spend, clock } = setup({ monthlyUsd: 10 }, local(2025, 1, 31, 23, 59, 59, 500));
      spend({ costUsd: 10 });
      await refused(check(1, 0));
      clock.ms = local(2025, 2, 1);
      assert.equal((await check(1, 0)).action, 'allow');
    });
  });

  describe('with the ledger on disk, in Pacific/Auckland', () => {
    inTimeZone('Pacific/Auckland');
    const tmp = useTempDir();

    it('counts by local month even where the UTC month (and so the file) differs', async () => {
      const settings = liveSettings((s) => {
        s.ledger.fsync = false;
        s.budgets.monthlyUsd = 1;
      });
      // 2025-01-31 11:30 UTC is 2025-02-01 00:30 in Auckland (UTC+13).
      const clock = new FakeClock(Date.UTC(2025, 0, 31, 11, 30));
      const ledger = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
      const gate = new LedgerBudgetGate({ ledger, prices: new ModelPrices(settings.get), settings: settings.get, clock });
      await ledger.record(makeRecord({ ts: clock.ms, costUsd: 1 }));
      const check = () => gate.check({ requestId: 'x', task: 'explain', target: GPT4O, promptTokens: 1, maxOutputTokens: 1, override: false });
      await refused(check());
      clock.ms = local(2025, 1, 31, 23, 0);
      assert.equal((await check()).action, 'allow');
      await ledger.close();
    });
  });
});
