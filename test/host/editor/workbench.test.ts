import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../../package.json';
import { reply } from '../../fake-server';
import { closeEditors, type FakeProvider, openEditor, showActive, stubWindow, useFakeProvider } from './fakeProvider';

const ISSUE_COMMANDS = [
  'aurelis.generate',
  'aurelis.explain',
  'aurelis.review',
  'aurelis.clearReviewFindings',
  'aurelis.optimize',
  'aurelis.document',
  'aurelis.generateTests',
  'aurelis.fix',
  'aurelis.selectProvider',
  'aurelis.setApiKey',
  'aurelis.clearApiKey',
  'aurelis.models',
  'aurelis.healthCheck',
  'aurelis.clearCache',
  'aurelis.showLog',
  'aurelis.showAnalytics',
];

describe('Commands, menus and code actions', () => {
  it('registers every contributed command, the sixteen of the editor issue among them', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    for (const id of ISSUE_COMMANDS) assert.ok(contributed.includes(id), `${id} is not contributed`);
    for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but not registered`);
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Aurelis', c.command);
      assert.match(String(c.icon), /^\$\([a-z-]+\)$/, `${c.command} has no icon`);
    }
  });

  it('puts an "Aurelis" submenu in the editor context menu and binds keys to Explain and Review', () => {
    const context = manifest.contributes.menus['editor/context'] as Array<{ submenu?: string }>;
    assert.ok(context.some((m) => m.submenu === 'aurelis.editorContext'));
    const entries = (manifest.contributes.menus as Record<string, Array<{ command?: string }>>)['aurelis.editorContext']?.map((m) => m.command) ?? [];
    for (const id of ['aurelis.explain', 'aurelis.review', 'aurelis.optimize', 'aurelis.document', 'aurelis.generateTests', 'aurelis.fix']) assert.ok(entries.includes(id), id);
    const keys = manifest.contributes.keybindings.map((k) => k.command);
    assert.ok(keys.includes('aurelis.explain') && keys.includes('aurelis.review'));
  });

  it('offers refactor actions on a selection and "Fix with Aurelis" on any diagnostic, in every language', async () => {
    for (const language of ['python', 'plaintext', 'rust']) {
      const editor = await openEditor('first line\nsecond line\n', language);
      const collection = vscode.languages.createDiagnosticCollection('other-tool');
      try {
        collection.set(editor.document.uri, [Object.assign(new vscode.Diagnostic(new vscode.Range(1, 0, 1, 6), 'Something is wrong here', vscode.DiagnosticSeverity.Warning), { source: 'other-tool' })]);
        const onSelection = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(0, 0, 0, 10));
        const titles = onSelection.map((a) => a.title);
        for (const t of ['Explain with Aurelis', 'Review with Aurelis', 'Optimize with Aurelis', 'Document with Aurelis', 'Generate Tests with Aurelis']) {
          assert.ok(titles.includes(t), `${language}: missing "${t}" in ${titles.join(', ')}`);
        }
        assert.ok(onSelection.filter((a) => titles.includes(a.title) && a.title.endsWith('with Aurelis')).every((a) => a.kind?.value.startsWith('refactor')));
        const onProblem = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(1, 2, 1, 2));
        const fix = onProblem.find((a) => a.title === 'Fix with Aurelis: Something is wrong here');
        assert.ok(fix, `${language}: no "Fix with Aurelis" in ${onProblem.map((a) => a.title).join(', ')}`);
        assert.equal(fix.kind?.value, 'quickfix.aurelis');
        assert.equal(fix.command?.command, 'aurelis.fix');
      } finally {
        collection.dispose();
        await closeEditors();
      }
    }
  });

  describe('Clear Cache', () => {
    let fake: FakeProvider;
    before(async () => {
      fake = await useFakeProvider();
      await vscode.workspace.getConfiguration('aurelis').update('cache.enabled', true, vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await fake.dispose();
      await closeEditors();
    });

    it('answers a repeated request from the cache, and after Clear Cache asks the model again', async () => {
      // The same document each time: its name is part of the prompt, so a new untitled file would be a new request.
      const { document } = await openEditor('export const cacheMe = 1;\n');
      const explain = async () => {
        const editor = await showActive(document);
        editor.selection = new vscode.Selection(0, 0, 0, 25);
        return vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
      };
      // Leftovers of other tests in the same window must not decide the counts.
      const info = stubWindow('showInformationMessage');
      try {
        await vscode.commands.executeCommand('aurelis.clearCache');
        fake.server.script(reply.text('A cached constant.'));
        await explain();
        const second = await explain();
        assert.equal(fake.server.chatRequests.length, 1, 'the second request was answered from the cache');
        assert.match(second?.text ?? '', /from the cache, no cost/);
        const cleared = await vscode.commands.executeCommand<{ entries: number; bytes: number }>('aurelis.clearCache');
        assert.equal(cleared?.entries, 1);
        assert.ok((cleared?.bytes ?? 0) > 0);
        assert.ok(info.calls.some((c) => /removed 1 cached answer \(\d+ KB\)/.test(c.message)));
        await explain();
        assert.equal(fake.server.chatRequests.length, 2, 'after clearing, the model is asked again');
      } finally {
        info.restore();
      }
    });
  });
});
