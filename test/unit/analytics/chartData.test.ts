import * as assert from 'node:assert/strict';
import { MAX_COST_SERIES, costChart, hoursChart, latencyBucketLabels, latencyChart, modelsChart } from '../../../src/shared/analytics-view/chartData';
import { buildHtmlReport } from '../../../src/shared/analytics-view/htmlReport';
import { analyseSlice } from '../../../src/core/reports/analyticsQueries';
import { LATENCY_HISTOGRAM_BOUNDS_MS } from '../../../src/shared/analyticsReport';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import { makeRecord } from '../helpers/usage';
import { sampleReport, totals } from './sampleReport';

describe('analytics chart data', () => {
  it('stacks cost per day by model, folding the models beyond the palette into one series', () => {
    const days = ['2025-03-01', '2025-03-02'];
    const series = Array.from({ length: MAX_COST_SERIES + 2 }, (_, i) => ({ provider: 'openai' as const, model: `m${i}`, usd: [i + 1, 0] }));
    const chart = costChart({ days, totalUsd: [series.reduce((a, s) => a + (s.usd[0] ?? 0), 0), 0], unpricedRequests: [0, 3], series });
    assert.equal(chart.series.length, MAX_COST_SERIES + 1);
    assert.equal(chart.series.at(-1)?.label, '2 other model(s)');
    assert.deepEqual(chart.series.at(-1)?.values, [1 + 2, 0]);
    assert.equal(chart.stacked, true);
    assert.deepEqual(chart.labels, ['03-01', '03-02']);
    assert.match(chart.summary, /\$36\.00 from 2025-03-01 to 2025-03-02; the most expensive day was 2025-03-01/);
    assert.match(chart.summary, /3 request\(s\) with unknown price are not included/);
    assert.equal(chart.table.rows.length, 2);
  });

  it('splits requests by model into answered and failed bars', () => {
    const chart = modelsChart(sampleReport());
    assert.deepEqual(chart.labels, ['gpt-4o', 'qwen2.5-coder']);
    assert.deepEqual(chart.series.map((s) => s.label), ['Answered', 'Failed']);
    assert.deepEqual(chart.series[1]?.values, [2, 1]);
    assert.match(chart.summary, /gpt-4o 10 \(2 failed\)/);
  });

  it('names the busiest hours for screen readers', () => {
    const chart = hoursChart(sampleReport());
    assert.equal(chart.labels.length, 24);
    assert.match(chart.summary, /^Busiest hours \(Europe\/Berlin\): 09:00 with 2, 10:00 with 1, 11:00 with 1; 10 requests in all\.$/);
  });

  it('labels latency buckets from their bounds and describes the distribution', () => {
    assert.deepEqual(latencyBucketLabels([250, 1000, 60_000]), ['≤ 250 ms', '≤ 1 s', '≤ 1 min', '> 1 min']);
    const chart = latencyChart(sampleReport());
    assert.deepEqual(chart.series[0]?.values, [0, 1, 2, 1, 1, 0]);
    assert.match(chart.summary, /^5 answers: half within 800 ms, 95 % within 2\.4 s; the largest group took ≤ 1 s\.$/);
    assert.ok(buildHtmlReport(sampleReport()).includes('Latency distribution'));
  });

  it('says when there is nothing to chart', () => {
    const empty = sampleReport({ totals: totals({ requests: 0 }), byModel: [], latencyHistogram: { boundsMs: [250], counts: [0, 0] }, requestsByHour: new Array<number>(24).fill(0) });
    assert.equal(modelsChart(empty).summary, 'No requests in this period.');
    assert.equal(hoursChart(empty).summary, 'No requests in this period.');
    assert.match(latencyChart(empty).summary, /^No timed answers/);
  });
});

describe('latency histogram of the analytics report', () => {
  it('counts answered, non-cached requests into the fixed buckets, bounds inclusive', () => {
    const rows = new UsageRows();
    const latencies = [100, 250, 251, 999, 1000, 4_000, 119_000, 500_000];
    latencies.forEach((latencyMs, i) => rows.add(makeRecord({ requestId: `r${i}`, latencyMs })));
    rows.add(makeRecord({ requestId: 'hit', latencyMs: 3, cacheHit: true }));
    rows.add(makeRecord({ requestId: 'failed', latencyMs: 30_000, outcome: 'timeout' }));
    const { latencyHistogram, latency } = analyseSlice(rows, { from: 0, to: Date.UTC(2030, 0, 1) });
    assert.deepEqual(latencyHistogram.boundsMs, [...LATENCY_HISTOGRAM_BOUNDS_MS]);
    // ≤250: 100, 250 · ≤500: 251 · ≤1000: 999, 1000 · ≤5000: 4000 · ≤120000: 119000 · above: 500000
    assert.deepEqual(latencyHistogram.counts, [2, 1, 2, 0, 1, 0, 0, 0, 0, 1, 1]);
    assert.equal(latencyHistogram.counts.reduce((a, b) => a + b, 0), latency.samples);
  });
});
