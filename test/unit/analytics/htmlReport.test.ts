import * as assert from 'node:assert/strict';
import { buildHtmlReport, escapeHtml } from '../../../src/shared/analytics-view/htmlReport';
import { budgetBars, costPerRequest, modelPerformanceTable, summaryCards } from '../../../src/shared/analytics-view/summary';
import { sampleReport, totals } from './sampleReport';

describe('analytics view figures', () => {
  it('shows "price unknown" instead of $0 when no request of a slice has a known price', () => {
    const unknown = totals({ requests: 4, unpricedRequests: 4, costUsd: 0 });
    assert.equal(costPerRequest(unknown), null);
    const report = sampleReport({ totals: unknown, byModel: [{ provider: 'custom', model: 'my-model', totals: unknown, latency: sampleReport().latency }] });
    assert.equal(summaryCards(report).find((c) => c.id === 'cost')?.value, 'price unknown');
    assert.deepEqual(modelPerformanceTable(report).rows[0]?.slice(-2), ['price unknown', 'price unknown']);
  });

  it('prices a request over the requests with a known price only', () => {
    assert.equal(costPerRequest(totals({ requests: 10, unpricedRequests: 2, costUsd: 0.8 })), 0.1);
  });

  it('marks a total with unknown parts as a lower bound, and free cache hits of an unpriced model as unknown', () => {
    const partly = totals({ requests: 10, unpricedRequests: 2, costUsd: 0.8 });
    assert.equal(summaryCards(sampleReport({ totals: partly })).find((c) => c.id === 'cost')?.value, '≥ $0.80');
    const onlyHitsPriced = totals({ requests: 10, cacheHits: 2, unpricedRequests: 8, costUsd: 0 });
    assert.equal(costPerRequest(onlyHitsPriced), null);
    assert.equal(summaryCards(sampleReport({ totals: onlyHitsPriced })).find((c) => c.id === 'cost')?.value, 'price unknown');
  });

  it('puts both thresholds on a budget bar and caps the fill when over the limit', () => {
    const [within] = budgetBars(sampleReport().budgets);
    assert.ok(within);
    assert.equal(within.fill, 0.84);
    assert.equal(within.warnMark, 0.8);
    assert.equal(within.stopMark, 1);
    assert.equal(within.text, '$4.20 of $5.00 (84 %)');
    const [tokens] = budgetBars([{ ...sampleReport().budgets[0]!, unit: 'tokens', spent: 12_000, limit: 50_000, fraction: 0.24 }]);
    assert.equal(tokens?.text, '12,000 of 50,000 tokens (24 %)');
    const base = sampleReport().budgets[0];
    assert.ok(base);
    const [over] = budgetBars([{ ...base, spent: 10, fraction: 2, state: 'stop' }]);
    assert.ok(over);
    assert.equal(over.fill, 1);
    assert.equal(over.stopMark, 0.5);
    assert.equal(over.warnMark, 0.4);
  });
});

describe('HTML report export', () => {
  it('escapes every HTML special character', () => {
    assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('is one static document: inline CSS, no script, no external resource', () => {
    const html = buildHtmlReport(sampleReport());
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<style>[^]*<\/style>/);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|href=|url\(/i);
    assert.match(html, /content="default-src 'none'; style-src 'unsafe-inline'"/);
  });

  it('contains the figures of the report', () => {
    const html = buildHtmlReport(sampleReport());
    for (const text of ['Requests', '>10<', '$0.42', '37.5 %', '20 %', '800 ms / 2.4 s', 'gpt-4o', 'qwen2.5-coder', 'Ollama', 'Timed out', 'The model did not answer within 60 s.', 'Daily spend', '$4.20 of $5.00 (84 %)', '2025-03-08', 'Europe/Berlin']) {
      assert.ok(html.includes(text), `missing ${text}`);
    }
  });

  it('prints hostile model names and error messages as text', () => {
    const evil = '<script>alert(1)</script>';
    const base = sampleReport();
    const latency = base.latency;
    const html = buildHtmlReport(
      sampleReport({
        byModel: [{ provider: 'custom', model: evil, totals: totals(), latency }],
        recentFailures: [{ ts: base.generatedAt, provider: 'custom', model: `"${evil}`, task: 'fix', kind: 'bad_request', message: `</td></tr></table>${evil}` }],
        costPerDay: { ...base.costPerDay, series: [{ provider: 'custom', model: evil, usd: base.costPerDay.totalUsd }] },
        filter: { period: { kind: 'last7Days' }, model: evil },
      }),
      { title: `Report ${evil}` },
    );
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<\/td><\/tr><\/table>&lt;/);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;'));
  });

  it('says so when there is nothing to show', () => {
    const empty = totals({ requests: 0, succeeded: 0, errors: 0, cancelled: 0, cacheHits: 0, costUsd: 0, totalTokens: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0 });
    const html = buildHtmlReport(
      sampleReport({ totals: empty, byModel: [], byTask: [], byProvider: [], errorsByKind: [], recentFailures: [], budgets: [], requestsByHour: new Array<number>(24).fill(0) }),
    );
    assert.ok(html.includes('No requests in this period.'));
    assert.ok(html.includes('No failures in this period.'));
    assert.ok(html.includes('No budget is set.'));
  });
});
