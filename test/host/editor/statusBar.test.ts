import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { decodeRecord } from '../../../src/core/ledger/recordLine';
import { formatUsd } from '../../../src/shared/format';
import { startOfLocalDay } from '../../../src/core/reports/periods';
import { EXTENSION_ID, aurelis, userDataDir } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { closeEditors, openEditor, PRICED_MODEL, stubWindow, useFakeProvider, type FakeProvider } from './fakeProvider';

/** Today's spend as the ledger files say — the oracle the status bar is checked against. */
function ledgerToday(): { usd: number; unpriced: number; records: number } {
  const dir = path.join(userDataDir(), 'User', 'globalStorage', EXTENSION_ID, 'ledger');
  const since = startOfLocalDay(Date.now());
  let usd = 0;
  let unpriced = 0;
  let records = 0;
  if (!existsSync(dir)) return { usd, unpriced, records };
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const r = decodeRecord(line);
      if (!r || r.ts < since) continue;
      records++;
      if (r.costUsd === null) unpriced++;
      else usd += r.costUsd;
    }
  }
  return { usd, unpriced, records };
}

const G = vscode.ConfigurationTarget.Global;

describe('Status bar budget indicator', () => {
  let fake: FakeProvider;
  const config = () => vscode.workspace.getConfiguration('aurelis');
  before(async () => {
    fake = await useFakeProvider();
    await config().update('models.explain', [PRICED_MODEL], G);
  });
  after(async () => {
    await config().update('budgets.dailyUsd', undefined, G);
    await fake.dispose();
    await closeEditors();
  });

  async function explainPriced(): Promise<void> {
    const editor = await openEditor('const answer = 42;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 18);
    // 420 completion tokens at $1000 per million: $0.42.
    fake.server.script(reply.text('A constant.', { usage: { prompt_tokens: 12, completion_tokens: 420 } }));
    const outcome = await vscode.commands.executeCommand('aurelis.explain');
    assert.ok(outcome, 'the priced request failed');
  }

  it('shows today\'s spend against the daily budget and follows it after a request', async () => {
    const api = await aurelis();
    await config().update('budgets.dailyUsd', 5, G);
    await api.refreshBudgetStatus();
    const before = ledgerToday();
    const expected = (usd: number, unpriced: number) => `$(pulse) ${formatUsd(usd)}${unpriced > 0 ? '+' : ''} / $5.00`;
    assert.equal(api.budgetStatus().text, expected(before.usd, before.unpriced));

    await explainPriced();
    const after = await waitFor('the new ledger record', () => {
      const now = ledgerToday();
      return now.records > before.records && now;
    });
    assert.ok(Math.abs(after.usd - before.usd - 0.42) < 1e-9, `the request cost ${after.usd - before.usd}, not $0.42`);
    await waitFor(`the status bar to show ${expected(after.usd, after.unpriced)}`, () => api.budgetStatus().text === expected(after.usd, after.unpriced));
    const { tooltip } = api.budgetStatus();
    assert.match(tooltip, /\| Today \| \$/);
    assert.match(tooltip, /This week/);
    assert.match(tooltip, /This month/);
    assert.ok(tooltip.includes('aurelis-priced-model'), 'the tooltip lists the top models');
    assert.match(tooltip, /Cache hit rate this month/);
  });

  it('turns to the warning colour at the warn threshold and the error colour at 100 %', async () => {
    const api = await aurelis();
    const spent = ledgerToday().usd;
    assert.ok(spent >= 0.42);
    await config().update('budgets.dailyUsd', Math.round((spent / 0.9) * 100) / 100, G);
    await waitFor('the warning level', () => api.budgetStatus().level === 'warning');
    assert.equal(api.budgetStatus().background, 'statusBarItem.warningBackground');
    await config().update('budgets.dailyUsd', Math.round((spent / 2) * 100) / 100, G);
    await waitFor('the error level', () => api.budgetStatus().level === 'error');
    assert.equal(api.budgetStatus().background, 'statusBarItem.errorBackground');
    await config().update('budgets.dailyUsd', undefined, G);
    await waitFor('spend alone, without a budget', () => api.budgetStatus().level === 'normal' && !api.budgetStatus().text.includes(' / '));
    assert.equal(api.budgetStatus().background, undefined);
    assert.equal(api.budgetStatus().command, 'aurelis.showAnalytics', 'a click opens the analytics');
  });

  it('over the budget, the request waits for "Allow Once" and is then sent and recorded as an override', async () => {
    await config().update('budgets.dailyUsd', 0.01, G);
    const modal = stubWindow('showWarningMessage', (message) => (message.includes('over your budget') ? 'Allow Once' : undefined));
    try {
      const before = fake.server.chatRequests.length;
      await explainPriced();
      const asked = modal.calls.find((c) => c.message.includes('over your budget'));
      assert.ok(asked, 'no budget dialog was shown');
      assert.deepEqual(asked.items, ['Allow Once', 'Raise Budget']);
      assert.equal((asked.options as { modal?: boolean }).modal, true);
      assert.equal(fake.server.chatRequests.length, before + 1, 'the request was sent once, after Allow Once');
      const dir = path.join(userDataDir(), 'User', 'globalStorage', EXTENSION_ID, 'ledger');
      // The record is written just after the answer (it is acknowledged a moment later).
      await waitFor('the override recorded in the ledger', () =>
        readdirSync(dir)
          .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n'))
          .map(decodeRecord)
          .some((r) => r?.budgetOverride === true),
      );
      const audit = await vscode.commands.executeCommand<string>('aurelis.openAuditLog');
      const events = readFileSync(audit ?? '', 'utf8').split('\n').filter((l) => l.includes('"type":"budget_override"'));
      assert.ok(events.length >= 1, 'the override is recorded in the audit log');
      assert.match(events.at(-1) ?? '', /"limit":"daily \$0\.01 \(aurelis\.budgets\.dailyUsd\)/);
    } finally {
      modal.restore();
      await config().update('budgets.dailyUsd', undefined, G);
    }
  });
});
