// The canary: every key the host tests used carries CANARY_MARK (support/canary.ts). This file
// runs last (its name sorts last, and it checks that it does), drives a few more flows in which
// a key could escape — a provider echoing the key in an error, the analytics panel, exports — and
// then looks for the mark in everything the extension wrote and everything it showed.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { reply } from '../fake-server';
import { answeringInputBoxes, aurelis, aurelisLogText, userDataDir } from './support/aurelis';
import { waitFor } from '../support/waitFor';
import { CANARY_MARK } from './support/canary';
import { closeEditors, openWorkspaceFile, stubWindow, useFakeProvider, type FakeProvider } from './editor/fakeProvider';

/** Every file below `dir`, with the mark's occurrences in it. */
function filesWithMark(dir: string): Array<{ file: string; count: number }> {
  if (!existsSync(dir)) return [];
  const found: Array<{ file: string; count: number }> = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (statSync(file).size > 64 * 1024 * 1024) continue;
    const text = readFileSync(file).toString('latin1');
    const count = text.split(CANARY_MARK).length - 1;
    if (count > 0) found.push({ file, count });
  }
  return found;
}

describe('zero leaks: the canary key appears nowhere but secret storage', () => {
  let fake: FakeProvider;
  const shown: string[] = [];
  const stubs: Array<{ calls: Array<{ message: string; items: unknown[]; options?: unknown }>; restore: () => void }> = [];

  before(async () => {
    fake = await useFakeProvider();
    for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const) stubs.push(stubWindow(name));
  });
  after(async () => {
    for (const s of stubs) s.restore();
    await fake.dispose();
    await closeEditors();
  });

  it('is the last test of the run, so it sees what every other test left behind', function () {
    const root = this.test?.parent?.parent;
    assert.equal(root?.suites.at(-1), this.test?.parent, 'another test file runs after zeroLeaks.test.ts; rename one of them');
  });

  it('a provider that echoes the key in its errors does not get it into a message, the log or the ledger', async () => {
    const editor = await openWorkspaceFile('src/leak.ts', 'export const leak = () => 1;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 28);
    const echo = { error: { code: 'invalid_api_key', message: `Incorrect API key provided: ${fake.key}. Authorization: Bearer ${fake.key}` } };
    fake.server.script(reply.error(401, echo), reply.error(500, echo), reply.error(500, echo), reply.error(500, echo), reply.error(500, echo));
    await vscode.commands.executeCommand('aurelis.explain');
    await vscode.commands.executeCommand('aurelis.review');
    for (const s of stubs) shown.push(...s.calls.map((c) => `${c.message} ${JSON.stringify(c.items)} ${JSON.stringify(c.options ?? '')}`));
    assert.ok(shown.some((m) => /rejected|API key/.test(m)), `the 401 was not reported: ${shown.join(' | ')}`);
  });

  it('the analytics panel, its exports and the audit export carry no key', async function () {
    // After some eighty tests the webview has now and then taken about 20 s to load in code-server.
    this.timeout(60_000);
    await vscode.commands.executeCommand('aurelis.showAnalytics');
    const api = await aurelis();
    const panel = api.analyticsPanel();
    assert.ok(panel, 'the panel did not open');
    const report = await waitFor('the panel to receive its figures', () => panel.lastReport, { timeoutMs: 45_000 });
    const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-zero-leaks-'));
    try {
      for (const format of ['json', 'csv', 'html', 'prometheus']) {
        await vscode.commands.executeCommand('aurelis.exportAnalytics', { format, target: path.join(dir, `usage.${format}`) });
      }
      await vscode.commands.executeCommand('aurelis.exportAuditLog', path.join(dir, 'audit.jsonl'));
      assert.equal(readdirSync(dir).length, 5);
      assert.deepEqual(filesWithMark(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(panel.html.includes(CANARY_MARK), false, 'in the webview HTML');
    assert.equal(JSON.stringify(report).includes(CANARY_MARK), false, 'in what the webview was sent');
  });

  it('nothing shown to the user — notifications, documents, views — contains the key', () => {
    for (const s of stubs) shown.push(...s.calls.map((c) => `${c.message} ${JSON.stringify(c.items)} ${JSON.stringify(c.options ?? '')}`));
    assert.deepEqual(shown.filter((m) => m.includes(CANARY_MARK)), []);
    const documents = vscode.workspace.textDocuments.filter((d) => d.getText().includes(CANARY_MARK)).map((d) => d.uri.toString());
    assert.deepEqual(documents, []);
  });

  it('no file the extension host wrote contains the key: storage, ledger, cache, audit log, logs, settings', async () => {
    const api = await aurelis();
    assert.ok(api.runningRequests() === 0);
    // The audit log: Open Audit Log waits for every write asked for so far.
    await vscode.commands.executeCommand('aurelis.openAuditLog');
    // The log channel reaches its file a moment after each line, in order: a line logged now
    // showing up there means every earlier one has.
    const marker = 'Team Redis password removed from secret storage.';
    const before = aurelisLogText().split(marker).length;
    await answeringInputBoxes([''], () => vscode.commands.executeCommand('aurelis.setTeamRedisPassword'));
    await waitFor('a line just logged to reach Aurelis.log', () => aurelisLogText().split(marker).length > before);
    const found = filesWithMark(userDataDir());
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const inWorkspace = workspace ? filesWithMark(workspace) : [];
    assert.deepEqual([...found, ...inWorkspace], [], 'the key was written to disk');
  });
});
