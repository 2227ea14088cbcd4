import assert from 'node:assert/strict';
import type { UsageRecord } from '../../../src/core/pipeline';
import { AnalyticsReportSchema, StatusSummarySchema } from '../../../src/shared/analyticsReport';
import { taskTable } from '../../../src/shared/analytics-view/summary';
import { RECORDED_TASKS, TASK_TYPES } from '../../../src/shared/taskTypes';
import { percentile } from '../../../src/core/reports/latencyDistribution';
import { UsageAnalytics } from '../../../src/core/reports/usageAnalytics';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import { FakeClock, inTimeZone, liveSettings, local, makeRecord, useTempDir } from '../helpers/usage';

describe('UsageAnalytics', () => {
  inTimeZone('Europe/Berlin');
  const tmp = useTempDir();
  const settings = liveSettings((s) => {
    s.ledger.fsync = false;
    s.ledger.retentionDays = 3650;
  });
  let ledger: UsageLedger;
  let analytics: UsageAnalytics;
  let clock: FakeClock;

  /** One local day of traffic (2025-03-12), plus a little history. */
  function history(): UsageRecord[] {
    const at = (h: number, m = 0) => local(2025, 3, 12, h, m);
    return [
      makeRecord({ requestId: 'a', ts: at(9, 10), promptTokens: 1000, completionTokens: 500, costUsd: 0.0075, latencyMs: 1000, ttftMs: 200 }),
      makeRecord({ requestId: 'b', ts: at(9, 40), task: 'review', promptTokens: 2000, completionTokens: 500, cachedTokens: 1000, costUsd: 0.01, latencyMs: 3000, ttftMs: 400 }),
      makeRecord({ requestId: 'c', ts: at(10, 5), provider: 'github-models', model: 'openai/gpt-4o-mini', task: 'explain', cacheHit: true, costUsd: 0, promptTokens: 100, completionTokens: 50, latencyMs: 3 }),
      makeRecord({ requestId: 'd', ts: at(11), provider: 'custom', model: 'mystery', promptTokens: 100, completionTokens: 100, costUsd: null, latencyMs: 2000, tokensEstimated: true }),
      makeRecord({ requestId: 'e', ts: at(12), outcome: 'rate_limited', errorMessage: 'Rate limit reached; waited 60 s.', promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 60_000 }),
      makeRecord({ requestId: 'f', ts: at(13), outcome: 'cancelled', promptTokens: 500, completionTokens: 20, costUsd: 0.0014, latencyMs: 800 }),
      makeRecord({ requestId: 'g', ts: at(14), outcome: 'budget_exceeded', errorMessage: 'Daily budget used up.', promptTokens: 0, completionTokens: 0, costUsd: null, latencyMs: 0 }),
      makeRecord({ requestId: 'h', ts: local(2025, 3, 11, 23, 30), costUsd: 0.02, latencyMs: 2000, budgetOverride: true }),
      makeRecord({ requestId: 'i', ts: local(2025, 3, 2, 8), model: 'gpt-4.1', costUsd: 0.5, latencyMs: 5000 }),
      makeRecord({ requestId: 'j', ts: local(2024, 1, 15, 8), model: 'gpt-4.1', costUsd: 1, latencyMs: 5000 }),
    ];
  }

  beforeEach(async () => {
    clock = new FakeClock(local(2025, 3, 12, 15));
    ledger = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
    analytics = new UsageAnalytics({ ledger, settings: settings.get, clock });
    for (const r of history()) await ledger.record(r);
  });
  afterEach(() => ledger.close());

  it("totals today's requests by outcome, tokens and known cost; cache hits add no tokens", async () => {
    const r = await analytics.report({ period: { kind: 'today' } });
    assert.deepEqual(r.totals, {
      requests: 7,
      succeeded: 4,
      errors: 3,
      cancelled: 1,
      budgetRefusals: 1,
      cacheHits: 1,
      promptTokens: 3600,
      completionTokens: 1120,
      cachedTokens: 1000,
      totalTokens: 4720,
      estimatedTokenRequests: 1,
      costUsd: 0.0075 + 0.01 + 0.0014,
      reportedCostUsd: 0,
      unpricedRequests: 1,
      budgetOverrides: 0,
    });
    assert.deepEqual(r.range, { from: local(2025, 3, 12), to: local(2025, 3, 13) });
    assert.equal(r.timeZone, 'Europe/Berlin');
  });

  it('reports latency percentiles of answered requests that went to a model', async () => {
    const r = await analytics.report({ period: { kind: 'today' } });
    // a 1000, b 3000, d 2000 (the cache hit and the failures are left out).
    assert.deepEqual(r.latency, { samples: 3, p50Ms: 2000, p95Ms: 3000, ttftSamples: 2, ttftP50Ms: 200, ttftP95Ms: 400 });
    assert.equal(percentile(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.95), 10);
    assert.equal(percentile(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.5), 5);
    assert.equal(percentile(new Float64Array(0), 0.5), null);
  });

  it('breaks down prompt-file requests by prompt name', async () => {
    const at = local(2025, 3, 12, 14, 30);
    await ledger.record(makeRecord({ requestId: 'p1', ts: at, task: 'prompt', prompt: 'Capitals', costUsd: 0.002, latencyMs: 400 }));
    await ledger.record(makeRecord({ requestId: 'p2', ts: at + 1, task: 'prompt', prompt: 'Capitals — Judge', costUsd: 0.001, latencyMs: 300 }));
    await ledger.record(makeRecord({ requestId: 'p3', ts: at + 2, task: 'prompt', prompt: 'Capitals', outcome: 'timeout', costUsd: 0, promptTokens: 0, completionTokens: 0, latencyMs: 100 }));
    const r = AnalyticsReportSchema.parse(await analytics.report({ period: { kind: 'today' } }));
    assert.deepEqual(
      r.byPrompt.map((p) => [p.prompt, p.totals.requests, p.totals.succeeded, p.totals.costUsd]),
      [
        ['Capitals', 2, 1, 0.002],
        ['Capitals — Judge', 1, 1, 0.001],
      ],
    );
    assert.deepEqual(r.byTask.find((t) => t.task === 'prompt')?.totals.requests, 3);
  });

  it('breaks down by model, task and provider, and rates errors and cache hits', async () => {
    const r = await analytics.report({ period: { kind: 'today' } });
    assert.deepEqual(
      r.byModel.map((m) => [m.provider, m.model, m.totals.requests]),
      [
        ['openai', 'gpt-4o', 5],
        ['github-models', 'openai/gpt-4o-mini', 1],
        ['custom', 'mystery', 1],
      ],
    );
    assert.deepEqual(
      r.byTask.map((t) => [t.task, t.totals.requests]),
      [
        ['generate', 5],
        ['review', 1],
        ['explain', 1],
      ],
    );
    assert.deepEqual(r.byProvider.find((p) => p.provider === 'openai')?.latency.p50Ms, 1000);
    assert.deepEqual(r.errorsByKind, [
      { kind: 'budget_exceeded', count: 1, rate: 1 / 7 },
      { kind: 'cancelled', count: 1, rate: 1 / 7 },
      { kind: 'rate_limited', count: 1, rate: 1 / 7 },
    ]);
    assert.deepEqual(r.cache, { hits: 1, answered: 4, hitRate: 0.25 });
  });

  it('counts requests by local hour and lists recent failures without content', async () => {
    const r = await analytics.report({ period: { kind: 'today' } });
    const hours = new Array(24).fill(0);
    Object.assign(hours, { 9: 2, 10: 1, 11: 1, 12: 1, 13: 1, 14: 1 });
    assert.deepEqual(r.requestsByHour, hours);
    assert.deepEqual(
      r.recentFailures.map((f) => [f.kind, f.message]),
      [
        ['budget_exceeded', 'Daily budget used up.'],
        ['cancelled', null],
        ['rate_limited', 'Rate limit reached; waited 60 s.'],
      ],
    );
  });

  it('charts cost per local day and model over the last 7 days', async () => {
    const r = await analytics.report({ period: { kind: 'last7Days' } });
    assert.deepEqual(r.costPerDay.days, ['2025-03-06', '2025-03-07', '2025-03-08', '2025-03-09', '2025-03-10', '2025-03-11', '2025-03-12']);
    assert.deepEqual(r.costPerDay.totalUsd.slice(5), [0.02, 0.0075 + 0.01 + 0.0014]);
    assert.deepEqual(r.costPerDay.unpricedRequests, [0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(
      r.costPerDay.series.map((s) => [s.model, s.usd.length]),
      [['gpt-4o', 7]],
    );
    assert.equal(r.totals.budgetOverrides, 1);
  });

  it('filters by provider, model and task', async () => {
    const today = { kind: 'today' } as const;
    assert.equal((await analytics.totals({ period: today, provider: 'github-models' })).requests, 1);
    assert.equal((await analytics.totals({ period: today, model: 'gpt-4o' })).requests, 5);
    assert.equal((await analytics.totals({ period: today, model: 'gpt-4o', task: 'review' })).requests, 1);
    assert.equal((await analytics.totals({ period: { kind: 'thisMonth' }, model: 'gpt-4.1' })).costUsd, 0.5);
    assert.equal((await analytics.totals({ period: { kind: 'last30Days' } })).requests, 9);
  });

  it('reads, counts, filters and names records of the retired general and refactor tasks', async () => {
    await ledger.record(makeRecord({ requestId: 'old-1', ts: local(2025, 3, 12, 8), task: 'general', costUsd: 0.25 }));
    await ledger.record(makeRecord({ requestId: 'old-2', ts: local(2025, 3, 12, 8, 30), task: 'refactor', costUsd: 0.5 }));
    ledger.close();
    // A fresh window reads them back from disk, as after an upgrade.
    ledger = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
    analytics = new UsageAnalytics({ ledger, settings: settings.get, clock });
    const report = await analytics.report({ period: { kind: 'today' } });
    assert.deepEqual(
      report.byTask.filter((t) => t.task === 'general' || t.task === 'refactor').map((t) => [t.task, t.totals.requests, t.totals.costUsd]).sort(),
      [['general', 1, 0.25], ['refactor', 1, 0.5]],
    );
    assert.equal((await analytics.totals({ period: { kind: 'today' }, task: 'general' })).requests, 1);
    const rows = taskTable(report).rows.map((r) => r[0]);
    assert.ok(rows.includes('General (retired)') && rows.includes('Refactor (retired)'), JSON.stringify(rows));
    assert.ok(AnalyticsReportSchema.safeParse(report).success, 'the report with retired tasks still crosses to the webview');
  });

  it('keeps every recorded task at its snapshot index (appended to, never reordered)', () => {
    assert.deepEqual([...RECORDED_TASKS], ['generate', 'review', 'explain', 'optimize', 'document', 'test', 'fix', 'refactor', 'general', 'prompt']);
    assert.ok(!(TASK_TYPES as readonly string[]).includes('general') && !(TASK_TYPES as readonly string[]).includes('refactor'));
  });

  it('charts a custom range of years from the first day with data', async () => {
    const r = await analytics.report({ period: { kind: 'custom', from: local(2020, 1, 1), to: local(2030, 1, 1) } });
    assert.equal(r.totals.requests, 10);
    assert.equal(r.costPerDay.days[0], '2024-01-15');
    assert.equal(r.costPerDay.days.at(-1), '2025-03-12');
  });

  it('answers in the documented shapes, with no request ids or workspace hashes', async () => {
    const r = await analytics.report({ period: { kind: 'last30Days' } });
    AnalyticsReportSchema.parse(r);
    const text = JSON.stringify(r);
    assert.ok(!text.includes('a'.repeat(64)));
    assert.ok(!/"requestId"/.test(text));
    StatusSummarySchema.parse(await analytics.statusSummary());
  });

  it("summarises today, this month and the budgets for the status bar", async () => {
    settings.set((s) => {
      s.budgets.dailyUsd = 0.02;
      s.budgets.monthlyTokens = 100_000;
    });
    try {
      const s = await analytics.statusSummary();
      assert.equal(s.today.requests, 7);
      assert.equal(s.thisMonth.requests, 9);
      assert.equal(s.budgets.length, 2);
      assert.equal(s.tightestBudget?.period, 'daily');
      assert.equal(s.tightestBudget?.state, 'warn');
      assert.equal(s.tightestBudget?.unpricedRequests, 1);
      assert.ok(Math.abs((s.tightestBudget?.fraction ?? 0) - 0.0189 / 0.02) < 1e-12);
    } finally {
      settings.set((s) => {
        delete s.budgets.dailyUsd;
        delete s.budgets.monthlyTokens;
      });
    }
  });

  it('includes records other windows appended since the last query', async () => {
    assert.equal((await analytics.totals({ period: { kind: 'today' } })).requests, 7);
    const other = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
    await other.record(makeRecord({ ts: local(2025, 3, 12, 14, 30) }));
    await other.close();
    assert.equal((await analytics.totals({ period: { kind: 'today' } })).requests, 8);
    const fresh = new UsageAnalytics({ ledger: new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock }), settings: settings.get, clock });
    assert.deepEqual(await fresh.report({ period: { kind: 'last30Days' } }), await analytics.report({ period: { kind: 'last30Days' } }));
  });
});

describe('UsageAnalytics across daylight saving', () => {
  inTimeZone('America/New_York');
  const tmp = useTempDir();
  it('counts the hour of day on the 23-hour day by the wall clock', async () => {
    const settings = liveSettings((s) => {
      s.ledger.fsync = false;
    });
    const clock = new FakeClock(local(2025, 3, 9, 20));
    const ledger = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
    await ledger.record(makeRecord({ ts: local(2025, 3, 9, 3, 30) }));
    await ledger.record(makeRecord({ ts: local(2025, 3, 9, 19, 0) }));
    const r = await new UsageAnalytics({ ledger, settings: settings.get, clock }).report({ period: { kind: 'today' } });
    assert.equal(r.requestsByHour[3], 1);
    assert.equal(r.requestsByHour[19], 1);
    assert.equal(r.requestsByHour[2], 0);
    await ledger.close();
  });
});
