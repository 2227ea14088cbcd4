import assert from 'node:assert/strict';
import type { UsageRecord } from '../../../src/core/pipeline';
import { costSourceText } from '../../../src/shared/analytics-view/summary';
import { csvChunks } from '../../../src/core/reports/usageExports';
import { emptyTotals, addToTotals } from '../../../src/core/reports/analyticsQueries';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import { reply } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from './harness';

/** Costs the provider reports, recorded with their source next to our estimates. */
describe('orchestrator: the cost the provider reports', () => {
  let h: Harness;
  let records: UsageRecord[];
  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
    records = [];
    h.orchestrator = h.restart({ prices: new ModelPrices(() => h.settings), recorders: [{ record: (r) => Promise.resolve(void records.push(r)) }] });
  });
  afterEach(() => h.close());

  it('openrouter: asks for usage.cost and records it as the provider’s figure', async () => {
    await h.keys.set('openrouter', 'or-key');
    h.settings = settingsFrom({ provider: 'openrouter', endpoints: { openrouter: h.server.v1Url }, models: { explain: ['openai/gpt-4o-mini'] } });
    h.server.script(reply.text('hi', { usage: { prompt_tokens: 100, completion_tokens: 10, cost: 0.000123 } }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.deepEqual((h.server.chatRequests[0]?.body as { usage?: unknown }).usage, { include: true });
    assert.equal(result.costUsd, 0.000123);
    assert.equal(result.costSource, 'provider');
    assert.deepEqual([records[0]?.costUsd, records[0]?.costSource], [0.000123, 'provider']);
  });

  it('openrouter streamed: the cost comes in the usage chunk', async () => {
    await h.keys.set('openrouter', 'or-key');
    h.settings = settingsFrom({ provider: 'openrouter', endpoints: { openrouter: h.server.v1Url }, models: { explain: ['openai/gpt-4o-mini'] } });
    h.server.script(reply.text('', { chunks: ['a', 'b'], usage: { prompt_tokens: 100, completion_tokens: 10, cost: 0.0005 } }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q', stream: true });
    assert.deepEqual([result.costUsd, result.costSource], [0.0005, 'provider']);
  });

  it('litellm: the x-litellm-response-cost header', async () => {
    h.settings = settingsFrom({ provider: 'litellm', endpoints: { litellm: h.server.v1Url }, models: { explain: ['claude-via-proxy'] } });
    h.server.script(reply.text('hi', { headers: { 'x-litellm-response-cost': '0.00042' } }), reply.text('again', { headers: { 'x-litellm-response-cost': 'not a number' } }));
    const first = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.deepEqual([first.costUsd, first.costSource], [0.00042, 'provider']);
    const second = await h.orchestrator.run({ task: 'explain', prompt: 'q2' });
    assert.deepEqual([second.costUsd, second.costSource], [null, undefined], 'an unreadable figure and no list price: unknown, never $0');
  });

  it('a provider that reports nothing: the estimate from prices, marked as such', async () => {
    await h.keys.set('openai', 'sk-x');
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { explain: ['gpt-4o-mini'] } });
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.costSource, 'estimate');
    assert.equal((h.server.chatRequests[0]?.body as { usage?: unknown }).usage, undefined, 'only OpenRouter is asked for usage.cost');
  });

  it('the analytics totals, the panel’s words and the CSV show how much was reported and how much estimated', async () => {
    const rows = new UsageRows();
    const base = { ts: 1, requestId: 'r', provider: 'openrouter' as const, model: 'm', task: 'explain' as const, promptTokens: 1, completionTokens: 1, cachedTokens: 0, tokensEstimated: false, latencyMs: 1, outcome: 'ok' as const, cacheHit: false, fallbackDepth: 0, workspace: '' };
    const reported: UsageRecord = { ...base, costUsd: 0.3, costSource: 'provider' };
    const estimated: UsageRecord = { ...base, requestId: 'r2', costUsd: 0.1, costSource: 'estimate' };
    rows.add(reported);
    rows.add(estimated);
    const totals = emptyTotals();
    addToTotals(totals, rows, 0);
    addToTotals(totals, rows, 1);
    assert.equal(totals.reportedCostUsd, 0.3);
    assert.equal(costSourceText(totals), '$0.30 reported by the providers, $0.10 estimated');
    async function* two(): AsyncGenerator<UsageRecord> {
      yield reported;
      yield estimated;
    }
    let csv = '';
    for await (const chunk of csvChunks(two())) csv += chunk;
    const [header, first, second] = csv.trim().split('\r\n');
    const column = header?.split(',').indexOf('cost_source') ?? -1;
    assert.ok(column > 0);
    assert.deepEqual([first?.split(',')[column], second?.split(',')[column]], ['provider', 'estimate']);
  });
});
