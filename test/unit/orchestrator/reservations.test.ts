import assert from 'node:assert/strict';
import { TieredResponseCache } from '../../../src/core/cache/responseCache';
import type { Notice, UsageRecord } from '../../../src/core/pipeline';
import { LedgerBudgetGate } from '../../../src/core/budget/budgetGate';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import { reply } from '../../fake-server';
import { makeRecord } from '../helpers/usage';
import { failure, settingsFrom, startHarness, T0, type Harness } from './harness';

type Body = Record<string, unknown>;

/** The real budget gate over an in-memory ledger, the real cache, OpenAI prices. */
describe('orchestrator: right-sized budget reservations', () => {
  let h: Harness;
  let rows: UsageRows;
  let records: UsageRecord[];
  const checks: Array<{ model: string; maxOutputTokens: number }> = [];

  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
    await h.keys.set('openai', 'sk-test');
    rows = new UsageRows();
    records = [];
    checks.length = 0;
    const settings = () => h.settings;
    const prices = new ModelPrices(settings);
    const gate = new LedgerBudgetGate({ ledger: { current: () => ({ rows, unread: [] }) }, prices, settings, clock: h.timers });
    h.orchestrator = h.restart({
      prices,
      budget: { check: (c) => (checks.push({ model: c.target.model, maxOutputTokens: c.maxOutputTokens }), gate.check(c)) },
      cache: new TieredResponseCache({ settings, storageDir: h.storageDir, clock: h.timers }),
      recorders: [{ record: (r) => Promise.resolve(void (records.push(r), rows.add(r))) }],
    });
  });
  afterEach(() => h.close());

  const openai = (extra: Record<string, unknown> = {}) => settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, ...extra });

  it('reserves the task’s allowance, not the model’s whole output limit (50,000 tokens a day, 20,000 used)', async () => {
    h.settings = openai({ budgets: { dailyTokens: 50_000 }, models: { generate: ['gpt-4.1'] } });
    rows.add(makeRecord({ ts: T0 - 60_000, model: 'gpt-4.1', promptTokens: 15_000, completionTokens: 5_000 }));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'write a function' });
    assert.equal(result.content, 'Answer from gpt-4.1.');
    assert.equal(checks[0]?.maxOutputTokens, 2000, 'generate’s allowance, where the model could write 32,768');
    assert.equal((h.server.chatRequests[0]?.body as Body)['max_completion_tokens'], 2000, 'and the request asks for no more');
  });

  it('each task’s allowance is configurable', async () => {
    h.settings = openai({ maxOutputTokens: { explain: 300 }, models: { explain: ['gpt-4.1-mini'] } });
    await h.orchestrator.run({ task: 'explain', prompt: 'explain' });
    assert.equal((h.server.chatRequests[0]?.body as Body)['max_completion_tokens'], 300);
  });

  it('a cached answer is served whatever the budget says, and still recorded', async () => {
    h.settings = openai({ budgets: { dailyUsd: 1 }, models: { explain: ['gpt-4.1-mini'] } });
    await h.orchestrator.run({ task: 'explain', prompt: 'what does this do?' });
    rows.add(makeRecord({ ts: T0 - 60_000, costUsd: 5 }));
    const refused = await failure(h.orchestrator.run({ task: 'explain', prompt: 'something new' }));
    assert.equal(refused.kind, 'budget_exceeded');
    const cached = await h.orchestrator.run({ task: 'explain', prompt: 'what does this do?' });
    assert.equal(cached.cached, true);
    assert.equal(cached.costUsd, 0);
    assert.equal(h.server.chatRequests.length, 1);
    assert.deepEqual(records.map((r) => [r.outcome, r.cacheHit]), [['ok', false], ['budget_exceeded', false], ['ok', true]]);
  });

  it('re-checks with the fallback model’s price before it is tried', async () => {
    // $0.10 a day, $0.09 spent: gpt-4o-mini fits, a gpt-4.1 fallback ($8 per million out) would not.
    h.settings = openai({ budgets: { dailyUsd: 0.1, warnAt: 1, throttleAt: 1 }, models: { explain: ['gpt-4o-mini', 'gpt-4.1'] }, maxOutputTokens: { explain: 2000 } });
    rows.add(makeRecord({ ts: T0 - 60_000, costUsd: 0.09 }));
    h.server.script(reply.error(404, { error: { code: 'model_not_found', message: 'The model `gpt-4o-mini` does not exist.' } }));
    const notices: Notice[] = [];
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'q' }, { onNotice: (n) => notices.push(n) }));
    assert.equal(e.kind, 'budget_exceeded');
    assert.deepEqual(checks.map((c) => c.model), ['gpt-4o-mini', 'gpt-4.1']);
    assert.equal(h.server.chatRequests.length, 1, 'the fallback was never sent');
    assert.equal(e.model, 'gpt-4.1');
  });
});
