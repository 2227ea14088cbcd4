import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { aurelis, auditLines } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { closeEditors, openWorkspaceFile, PRICED_MODEL, promptOf, stubWindow, useFakeProvider, workspaceUri, type FakeProvider } from './fakeProvider';

const G = vscode.ConfigurationTarget.Global;
const config = () => vscode.workspace.getConfiguration('aurelis');
const GITHUB_TOKEN = 'ghp_Qw8rT2yU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2';
const CODE = ['export const settings = {', `  token: "${GITHUB_TOKEN}",`, '};', ''].join('\n');

/** Everything a repository might try in `.vscode/settings.json` to loosen the user's own settings. */
const LOOSENING = {
  'aurelis.security.secretScan': 'off',
  'aurelis.prices': { [PRICED_MODEL]: { input: 0, output: 0 } },
  'aurelis.budgets.dailyUsd': 1000,
  'aurelis.budgets.stopAt': 10,
  'aurelis.audit.includeContent': true,
  'aurelis.ledger.fsync': false,
  'aurelis.security.maxFileKB': 100000,
  'aurelis.maxConcurrentRequests': 64,
};

describe('A trusted workspace can tighten settings but never loosen them', () => {
  let fake: FakeProvider;
  const settingsFile = workspaceUri('.vscode/settings.json');

  before(async () => {
    fake = await useFakeProvider();
    await config().update('models.explain', [PRICED_MODEL], G);
    await config().update('prices', { [PRICED_MODEL]: { input: 0, output: 1000 } }, G);
  });
  after(async () => {
    await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    for (const key of ['security.secretScan', 'budgets.dailyUsd', 'security.maxFileKB', 'ledger.fsync']) await config().update(key, undefined, G);
    await fake.dispose();
    await closeEditors();
  });
  afterEach(async () => {
    fake.server.reset();
    await closeEditors();
  });

  /** Writes the workspace settings and waits until Aurelis has read them (the ignored values are known). */
  async function writeWorkspaceSettings(values: Record<string, unknown>, expectIgnored: readonly string[]): Promise<void> {
    const api = await aurelis();
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify(values, null, 2)));
    await waitFor(
      `Aurelis to ignore ${expectIgnored.join(', ')}`,
      () => expectIgnored.every((s) => api.ignoredWorkspaceSettings().includes(s)),
      { seen: () => api.ignoredWorkspaceSettings() },
    );
  }

  it('ignores every loosening, names each once in one warning, and keeps the user\'s values in effect', async () => {
    const api = await aurelis();
    await config().update('security.secretScan', 'block', G);
    await config().update('budgets.dailyUsd', 0.01, G);
    await config().update('security.maxFileKB', 64, G);
    const warnings = stubWindow('showWarningMessage');
    try {
      await writeWorkspaceSettings(LOOSENING, Object.keys(LOOSENING));
      // VS Code may report the settings file's values in more than one change; each is named once.
      const named = () => warnings.calls.filter((c) => c.message.startsWith("Aurelis ignores this workspace's")).map((c) => c.message).join('\n');
      const text = await waitFor('a warning naming every ignored value', () => Object.keys(LOOSENING).every((n) => named().includes(n)) && named());
      for (const name of Object.keys(LOOSENING)) {
        assert.equal(text.split(`${name} `).length + text.split(`${name},`).length - 2, 1, `${name} should be named once in: ${text}`);
      }
      assert.match(text, /aurelis\.prices \(only your user settings may set it/);
      assert.match(text, /looser than your own settings: a workspace may only make budgets and safety settings stricter/);
      const s = api.settings();
      assert.equal(s.security.secretScan, 'block');
      assert.deepEqual(s.prices[PRICED_MODEL], { input: 0, output: 1000 });
      assert.equal(s.budgets.dailyUsd, 0.01);
      assert.equal(s.budgets.stopAt, 1);
      assert.equal(s.audit.includeContent, false);
      assert.equal(s.ledger.fsync, true);
      assert.equal(s.security.maxFileKB, 64);
      assert.equal(s.maxConcurrentRequests, 5);
    } finally {
      warnings.restore();
    }
  });

  it('the secret scan still runs: "block" from the user stops the request although the workspace says "off"', async () => {
    await config().update('security.secretScan', 'block', G);
    await writeWorkspaceSettings(LOOSENING, ['aurelis.security.secretScan']);
    const warnings = stubWindow('showWarningMessage');
    try {
      const editor = await openWorkspaceFile('src/policy-secret.ts', CODE);
      editor.selection = new vscode.Selection(0, 0, 2, 2);
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      assert.equal(fake.server.chatRequests.length, 0, 'a request was sent with the secret');
      assert.ok(warnings.calls.some((c) => /Nothing was sent: the code contains a GitHub token .*"block"/.test(c.message)), JSON.stringify(warnings.calls));
    } finally {
      warnings.restore();
    }
  });

  it('budgets still stop, at the user\'s prices: the workspace\'s zero price and higher budget change nothing', async () => {
    await config().update('security.secretScan', undefined, G);
    await config().update('budgets.dailyUsd', 0.000001, G);
    await writeWorkspaceSettings(LOOSENING, ['aurelis.budgets.dailyUsd', 'aurelis.prices']);
    const modal = stubWindow('showWarningMessage');
    try {
      const editor = await openWorkspaceFile('src/policy-budget.ts', 'export const answer = 42;\n');
      editor.selection = new vscode.Selection(0, 0, 0, 25);
      fake.server.script(reply.text('A constant.'));
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      assert.ok(modal.calls.some((c) => c.message.includes('over your budget')), `no budget stop: ${JSON.stringify(modal.calls)}`);
      assert.equal(fake.server.chatRequests.length, 0, 'the request went out although the budget is used up');
    } finally {
      modal.restore();
      await config().update('budgets.dailyUsd', undefined, G);
    }
  });

  it('the user\'s prices cost the request, and the audit log gets no code although the workspace asks for content', async () => {
    await config().update('security.secretScan', undefined, G);
    await writeWorkspaceSettings(LOOSENING, ['aurelis.audit.includeContent', 'aurelis.prices']);
    const editor = await openWorkspaceFile('src/policy-audit.ts', 'export const policyMarker = (a: number) => a * 7;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 49);
    // 1,000 completion tokens at the user's $1000 per million: $1.
    fake.server.script(reply.text('Multiplies by seven.', { usage: { prompt_tokens: 20, completion_tokens: 1000 } }));
    const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
    assert.ok(outcome, 'the explanation failed');
    assert.match(promptOf(fake.server.chatRequests[0]?.body), /policyMarker/);
    const line = (await auditLines()).filter((l) => l.type === 'request').at(-1);
    assert.ok(line, 'no audit line');
    assert.equal(JSON.stringify(line).includes('policyMarker'), false, 'the audit line carries the code');
    assert.equal(JSON.stringify(line).includes('Multiplies by seven'), false, 'the audit line carries the answer');
    assert.equal(line.costUsd, 1, `cost ${String(line.costUsd)}: the workspace's zero price was used`);
  });

  it('a stricter workspace value is used: a workspace "redact" over the user\'s "ask" sends placeholders without asking', async () => {
    await config().update('security.secretScan', 'ask', G);
    const api = await aurelis();
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify({ 'aurelis.security.secretScan': 'redact' })));
    await waitFor('the stricter scan to apply', () => api.settings().security.secretScan === 'redact');
    assert.equal(api.ignoredWorkspaceSettings().includes('aurelis.security.secretScan'), false);
    const modal = stubWindow('showWarningMessage');
    const info = stubWindow('showInformationMessage');
    const errors = stubWindow('showErrorMessage');
    try {
      const editor = await openWorkspaceFile('src/policy-redact.ts', CODE);
      editor.selection = new vscode.Selection(0, 0, 2, 2);
      fake.server.script(reply.text('Settings.'));
      assert.ok(await vscode.commands.executeCommand('aurelis.explain'), `Explain failed: ${JSON.stringify([...errors.calls, ...modal.calls])}`);
      assert.equal(modal.calls.filter((c) => c.message.includes('contains a GitHub token')).length, 0, 'redact must not ask');
      const prompt = promptOf(fake.server.chatRequests[0]?.body);
      assert.match(prompt, /\[REDACTED:github_token\]/);
      assert.equal(prompt.includes(GITHUB_TOKEN), false);
    } finally {
      modal.restore();
      info.restore();
      errors.restore();
    }
  });
});
