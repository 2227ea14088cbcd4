// The audit log wired into the pipeline: every request leaves a line, the key source is noted
// once, "Allow Once" is an event, and prompt/response text is kept only when asked for.
import assert from 'node:assert/strict';
import { AuditLog } from '../../../src/core/audit/auditLog';
import { LedgerBudgetGate } from '../../../src/core/budget/budgetGate';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import type { Logger } from '../../../src/core/host';
import { isAurelisError } from '../../../src/core/errors';
import { reply } from '../../fake-server';
import { makeRecord } from '../helpers/usage';
import { settingsFrom, startHarness, type Harness } from '../orchestrator/harness';

const GITHUB_TOKEN = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';

function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const put = (m: unknown) => void lines.push(String(m));
  return { lines, trace: put, debug: put, info: put, warn: put, error: put };
}

describe('the audit trail of the pipeline', () => {
  let h: Harness;
  let audit: AuditLog;
  const logger = memoryLogger();

  async function harness(options: { githubKey?: string | null; env?: Record<string, string> } = {}): Promise<Harness> {
    // The harness's storage folder is made by startHarness; the audit log shares it.
    const lazy = {
      record: (r: Parameters<AuditLog['record']>[0]) => audit.record(r),
      securityEvent: (e: Parameters<AuditLog['securityEvent']>[0]) => audit.securityEvent(e),
      content: (c: Parameters<AuditLog['content']>[0]) => audit.content(c),
    };
    h = await startHarness({
      ...(options.githubKey === undefined ? {} : { githubKey: options.githubKey }),
      deps: { recorders: [lazy], security: lazy, contentAudit: lazy, logger, ...(options.env ? { env: options.env } : {}) },
    });
    audit = new AuditLog({ storageDir: h.storageDir, settings: () => h.settings, clock: h.timers });
    return h;
  }

  afterEach(async () => {
    logger.lines.length = 0;
    await h?.close();
  });

  it('writes one request line per request — answers and failures — and no text by default', async () => {
    await harness();
    h.server.script(reply.text(`The answer mentions ${GITHUB_TOKEN}.`), reply.error(404, { error: { code: 'unknown_model', message: 'Unknown model: nope' } }));
    const ok = await h.orchestrator.run({ task: 'explain', prompt: 'Explain x.', model: 'openai/gpt-4o' });
    await assert.rejects(h.orchestrator.run({ task: 'explain', prompt: 'Explain y.', model: 'nope' }));
    const lines = (await audit.read()).lines.filter((l) => l.type === 'request');
    assert.deepEqual(lines.map((l) => l.type === 'request' && [l.requestId, l.model, l.outcome]), [
      [ok.requestId, 'openai/gpt-4o', 'ok'],
      [lines[1]?.type === 'request' ? lines[1].requestId : '', 'nope', 'unknown_model'],
    ]);
    assert.equal((await audit.read()).lines.some((l) => l.type === 'content'), false);
  });

  it('with audit.includeContent keeps the prompt and the response, each redacted', async () => {
    await harness();
    h.settings = settingsFrom({ ...h.settings, audit: { includeContent: true } });
    h.server.script(reply.text(`Use ${GITHUB_TOKEN} there.`));
    const result = await h.orchestrator.run({ task: 'explain', systemPrompt: 'Be brief.', prompt: `Why is token = "${GITHUB_TOKEN}" here?`, model: 'openai/gpt-4o' });
    const content = (await audit.read()).lines.filter((l) => l.type === 'content');
    assert.deepEqual(content.map((l) => l.type === 'content' && [l.requestId, l.direction, l.text, l.redactions]), [
      [result.requestId, 'prompt', '[system]\nBe brief.\n\n[user]\nWhy is token = "[REDACTED:github_token]" here?', 1],
      [result.requestId, 'response', 'Use [REDACTED:github_token] there.', 1],
    ]);
  });

  it('notes the key source once per provider: GITHUB_TOKEN from the environment, never its value', async () => {
    await harness({ githubKey: null, env: { GITHUB_TOKEN } });
    h.server.script(reply.text('one'), reply.text('two'));
    await h.orchestrator.run({ task: 'explain', prompt: 'a', model: 'openai/gpt-4o' });
    await h.orchestrator.run({ task: 'explain', prompt: 'b', model: 'openai/gpt-4o' });
    const sources = (await audit.read()).lines.filter((l) => l.type === 'key_source');
    assert.deepEqual(sources.map((l) => l.type === 'key_source' && [l.provider, l.source]), [['github-models', 'environment']]);
    assert.deepEqual(logger.lines.filter((l) => /using the API key/.test(l)), ['GitHub Models: using the API key from the GITHUB_TOKEN environment variable (no key is stored).']);
    assert.equal(logger.lines.join('\n').includes(GITHUB_TOKEN), false);
    // A key stored later takes over, and the change is noted.
    await h.keys.set('github-models', 'ghp_storedtoken0000000000000000000000000');
    h.server.script(reply.text('three'));
    await h.orchestrator.run({ task: 'explain', prompt: 'c', model: 'openai/gpt-4o' });
    const after = (await audit.read()).lines.filter((l) => l.type === 'key_source');
    assert.deepEqual(after.map((l) => l.type === 'key_source' && l.source), ['environment', 'secret_storage']);
  });
});

describe('the budget gate audits "Allow Once"', () => {
  it('writes a budget_override event naming the limit; a refusal without override writes none', async () => {
    const events: unknown[] = [];
    const settings = settingsFrom({ budgets: { dailyUsd: 1 } });
    const rows = new UsageRows();
    const now = Date.now();
    rows.add(makeRecord({ ts: now - 1000, costUsd: 0.99 }));
    const gate = new LedgerBudgetGate({
      ledger: { current: () => ({ rows, unread: [] }) },
      prices: new ModelPrices(() => settings),
      settings: () => settings,
      events: { securityEvent: async (e) => void events.push(e) },
    });
    const check = { requestId: 'req-9', task: 'generate' as const, target: { provider: 'openai' as const, model: 'gpt-4o' }, promptTokens: 10_000, maxOutputTokens: 4000 };
    await assert.rejects(gate.check({ ...check, override: false }), (e: unknown) => isAurelisError(e) && e.kind === 'budget_exceeded');
    assert.deepEqual(events, []);
    assert.equal((await gate.check({ ...check, override: true })).action, 'warn');
    assert.equal(events.length, 1);
    const event = events[0] as unknown as { type: string; requestId: string; task: string; limit: string };
    assert.equal(event.type, 'budget_override');
    assert.equal(event.requestId, 'req-9');
    assert.equal(event.task, 'generate');
    assert.match(event.limit, /^daily \$1\.00 \(aurelis\.budgets\.dailyUsd\); this request brings it to \$1\.06$/); // $1.055, rounded half up as written
  });
});
