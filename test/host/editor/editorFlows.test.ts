// Editor flows the other files leave out: Generate's history box and its Accept, the context a
// request carries (workspace-relative path, nearby problems), Cancel on the progress notification,
// the buttons of an unexpected error, Fix from the light bulb, and where code actions appear.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../../package.json';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { reply } from '../../fake-server';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { showActive, openWorkspaceFile, promptOf, stubWindow, useFakeProviderForSuite } from './fakeProvider';

const SOURCE = ['export function sum(values: number[]): number {', '  let s = 0;', '  for (const v of values) s += v;', '  return s;', '}', ''].join('\n');
const REWRITTEN = 'export function sum(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0);\n}';

type EditOutcome = { kind: 'proposed'; proposal: { id: string } } | { kind: 'inserted'; text: string } | { kind: 'unchanged' };

/**
 * Stands in for the quick pick Generate opens: records what it offered, then "types" `typed`
 * (when given) and accepts the first row — or the row labelled `choose`.
 */
function scriptedQuickPick(answer: { typed?: string; choose?: string }) {
  const offered: string[][] = [];
  const original = vscode.window.createQuickPick;
  vscode.window.createQuickPick = (<T extends vscode.QuickPickItem>() => {
    const real = original<T>();
    const show = real.show.bind(real);
    real.show = () => {
      show();
      offered.push(real.items.map((i) => i.label));
      if (answer.typed !== undefined) real.value = answer.typed;
      const row = answer.choose !== undefined ? real.items.find((i) => i.label === answer.choose) : real.items[0];
      if (row) real.selectedItems = [row];
      let answered = false;
      real.onDidAccept(() => (answered = true));
      real.onDidHide(() => (answered = true));
      // A QuickPick made by an extension fires onDidAccept only through the UI; the API's own
      // accept path is the same as pressing Enter. Asked again until the pick answers: the first
      // ask can reach the workbench before the pick is up there. (A pick that never answers is
      // closed, so the command ends and the test fails on what it returned.)
      void waitFor(
        'the Generate box to accept the scripted answer',
        async () => {
          if (!answered) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          return answered;
        },
        { intervalMs: 250 },
      ).catch(() => real.hide());
    };
    return real;
  }) as typeof vscode.window.createQuickPick;
  return { offered, restore: () => (vscode.window.createQuickPick = original) };
}

describe('Editor flows', () => {
  const suite = useFakeProviderForSuite(() => vscode.commands.executeCommand('aurelis.rejectChange'));

  it('Generate asks in a box that offers earlier requests, and Accept applies the rewrite as one undo step', async () => {
    const editor = await openWorkspaceFile('src/generateMe.ts', SOURCE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    suite.fake.server.script(reply.text(REWRITTEN), reply.text(REWRITTEN));
    const first = scriptedQuickPick({ typed: 'use reduce instead of the loop' });
    try {
      const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.generate');
      assert.equal(outcome?.kind, 'proposed');
    } finally {
      first.restore();
    }
    assert.match(promptOf(suite.fake.server.chatRequests[0]?.body), /Rewrite this code as follows: use reduce instead of the loop/);
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    assert.equal(editor.document.getText(), `${REWRITTEN}\n`);
    await showActive(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE, 'one undo restores the original');

    // The next Generate offers that instruction again, and picking it sends it.
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    const second = scriptedQuickPick({ choose: 'use reduce instead of the loop' });
    try {
      await vscode.commands.executeCommand('aurelis.generate');
      assert.ok(second.offered[0]?.includes('use reduce instead of the loop'), `offered: ${JSON.stringify(second.offered)}`);
    } finally {
      second.restore();
    }
    assert.match(promptOf(suite.fake.server.chatRequests[1]?.body), /Rewrite this code as follows: use reduce instead of the loop/);
  });

  it('a request names the file relative to the workspace and the problems reported near the code', async () => {
    const editor = await openWorkspaceFile('src/deep/nested/context.ts', SOURCE);
    const collection = vscode.languages.createDiagnosticCollection('tsc-like');
    try {
      const problem = new vscode.Diagnostic(new vscode.Range(1, 6, 1, 7), "'s' could be const-free: prefer reduce.", vscode.DiagnosticSeverity.Warning);
      problem.source = 'lint';
      const far = new vscode.Diagnostic(new vscode.Range(40, 0, 40, 1), 'far away', vscode.DiagnosticSeverity.Error);
      collection.set(editor.document.uri, [problem, far]);
      editor.selection = new vscode.Selection(0, 0, 4, 1);
      suite.fake.server.script(reply.text('It sums.'));
      await vscode.commands.executeCommand('aurelis.explain');
      const prompt = promptOf(suite.fake.server.chatRequests[0]?.body);
      assert.match(prompt, /^File: src\/deep\/nested\/context\.ts \(typescript\)$/m);
      assert.equal(prompt.includes(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/nowhere'), false, 'an absolute path was sent');
      assert.match(prompt, /line 2, warning \(lint\): 's' could be const-free: prefer reduce\./);
      assert.doesNotMatch(prompt, /far away/);
    } finally {
      collection.dispose();
    }
  });

  it("Cancel on the progress notification aborts the request: the server sees the connection closed", async () => {
    const editor = await openWorkspaceFile('src/cancelMe.ts', SOURCE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    suite.fake.server.script(reply.hang());
    const original = vscode.window.withProgress;
    const titles: string[] = [];
    // The notification's Cancel button fires the token VS Code hands to the task: do that once the request is out.
    vscode.window.withProgress = ((options: vscode.ProgressOptions, task: Parameters<typeof original>[1]) => {
      titles.push(`${options.title ?? ''} cancellable=${String(options.cancellable)}`);
      const source = new vscode.CancellationTokenSource();
      void suite.fake.server.waitForChatRequests(1).then(() => source.cancel());
      return task({ report: () => undefined }, source.token);
    }) as typeof original;
    const errors = stubWindow('showErrorMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
    } finally {
      vscode.window.withProgress = original;
      errors.restore();
    }
    assert.deepEqual(titles, ['Aurelis: Explaining cancelMe.ts… cancellable=true']);
    const request = suite.fake.server.chatRequests[0];
    await request?.done;
    assert.equal(request?.clientClosed, true, 'the HTTP connection was not closed by the cancel');
    assert.deepEqual(errors.calls, [], 'a cancel is not an error');
    assert.equal((await aurelis()).runningRequests(), 0);
  });

  it('an unexpected failure offers View Log, which opens the Aurelis log', async () => {
    const original = vscode.commands.executeCommand;
    const ran: string[] = [];
    const errors = stubWindow('showErrorMessage', (message) => (message.includes('unexpected problem') ? 'View Log' : undefined));
    vscode.commands.executeCommand = (async (command: string, ...args: unknown[]) => {
      ran.push(command);
      return original(command, ...args);
    }) as typeof original;
    try {
      // An argument of the wrong shape reaches code that does not expect it: a bug, reported as such.
      await vscode.commands.executeCommand('aurelis.fix', { uri: 'not a uri', diagnostic: null });
      await waitFor('the error notification', () => errors.calls.length > 0);
      assert.match(errors.calls[0]?.message ?? '', /^Aurelis ran into an unexpected problem: .*The log has the details\.$/);
      assert.deepEqual(errors.calls[0]?.items, ['View Log']);
      await waitFor('View Log to run', () => ran.includes('aurelis.showLog'));
    } finally {
      vscode.commands.executeCommand = original;
      errors.restore();
    }
  });

  it('Fix from the light bulb sends the problem it was offered for, once', async () => {
    const editor = await openWorkspaceFile('src/bulb.ts', 'const total = 1;\nconsole.log(totl);\n');
    const collection = vscode.languages.createDiagnosticCollection('bulb-linter');
    try {
      const problem = new vscode.Diagnostic(new vscode.Range(1, 12, 1, 16), "Cannot find name 'totl'.", vscode.DiagnosticSeverity.Error);
      problem.source = 'ts';
      collection.set(editor.document.uri, [problem]);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(1, 13, 1, 13));
      const fix = actions.find((a) => a.title === "Fix with Aurelis: Cannot find name 'totl'.");
      assert.ok(fix?.command, 'no Fix with Aurelis in the light bulb');
      suite.fake.server.script(reply.text('const total = 1;\nconsole.log(total);'));
      const outcome = await vscode.commands.executeCommand<EditOutcome>(fix.command.command, ...(fix.command.arguments ?? []));
      assert.equal(outcome?.kind, 'proposed');
      const prompt = promptOf(suite.fake.server.chatRequests[0]?.body);
      // TypeScript's own "… Did you mean 'total'?" may join it as another problem on the line; the offered one appears once.
      const offered = prompt.split('\n').filter((l) => l === "- line 2, error (ts): Cannot find name 'totl'.");
      assert.equal(offered.length, 1, `the problem is listed more than once:\n${prompt}`);
    } finally {
      collection.dispose();
    }
  });

  it("Document asks for the language's documentation comments; no Aurelis actions inside its diff", async () => {
    const editor = await openWorkspaceFile('src/documentMe.py', 'def area(r):\n    return 3.14159 * r * r\n');
    editor.selection = new vscode.Selection(0, 0, 1, 26);
    const documented = 'def area(r):\n    """Return the area of a circle of radius r."""\n    return 3.14159 * r * r';
    suite.fake.server.script(reply.text('```python\n' + documented + '\n```'));
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.document');
    assert.equal(outcome?.kind, 'proposed');
    const body = suite.fake.server.chatRequests[0]?.body as { messages: Array<{ role: string; content: string }> };
    assert.match(body.messages.find((m) => m.role === 'system')?.content ?? '', /PEP 257 docstrings for Python/);
    assert.match(promptOf(body), /Add documentation to this code\./);
    const diff = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.input).find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff);
    assert.ok(diff, 'no diff is open');
    const inDiff = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', diff.modified, new vscode.Range(0, 0, 1, 5));
    assert.deepEqual(inDiff.filter((a) => a.title.includes('Aurelis')).map((a) => a.title), []);
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    assert.equal(editor.document.getText(), `${documented}\n`);
  });

  it('contributes a getting-started walkthrough whose steps run real commands and whose pages exist', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough?.title, 'Get started with Aurelis');
    assert.deepEqual(walkthrough?.steps.map((s) => s.id), ['chooseProvider', 'setKey', 'tryExplain']);
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    const root = vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`)?.extensionPath ?? '';
    for (const step of walkthrough?.steps ?? []) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1] ?? '');
      assert.ok(linked.length > 0 && linked.every((c) => contributed.has(c)), `${step.id} links ${linked.join(', ')}`);
      assert.ok(existsSync(path.join(root, step.media.markdown)), `${step.media.markdown} is missing`);
    }
  });
});
