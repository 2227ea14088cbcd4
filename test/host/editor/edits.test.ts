import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { showActive, closeEditors, openEditor, openWorkspaceFile, promptOf, stubWindow, useFakeProvider, workspaceUri, type FakeProvider } from './fakeProvider';

const SOURCE = ['function sum(values) {', '  let s = 0;', '  for (let i = 0; i < values.length; i++) s += values[i];', '  return s;', '}', ''].join('\n');
const OPTIMIZED = 'function sum(values) {\n  return values.reduce((a, b) => a + b, 0);\n}';

type EditOutcome = { kind: 'proposed'; proposal: { id: string; kind: string; target: string } } | { kind: 'unchanged' };

function diffTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'aurelis-proposal');
}

describe('Editing commands: diff preview with Accept / Reject', () => {
  let fake: FakeProvider;
  let info: ReturnType<typeof stubWindow>;
  before(async () => {
    fake = await useFakeProvider();
  });
  after(async () => {
    await fake.dispose();
  });
  beforeEach(() => {
    // The "Aurelis proposes a change" notification is answered through the commands instead.
    info = stubWindow('showInformationMessage');
  });
  afterEach(async () => {
    info.restore();
    fake.server.reset();
    await vscode.commands.executeCommand('aurelis.rejectChange');
    await closeEditors();
  });

  it('Optimize shows the change in a diff; Accept applies it as one undo step', async () => {
    const api = await aurelis();
    const editor = await openEditor(SOURCE, 'javascript');
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    fake.server.script(reply.text('Here is a faster version:\n```javascript\n' + OPTIMIZED + '\n```'));
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.optimize');
    assert.equal(outcome?.kind, 'proposed');
    assert.equal(editor.document.getText(), SOURCE, 'nothing changes before Accept');
    assert.equal(api.proposals().length, 1);
    await waitFor('the diff editor', () => diffTabs().length === 1);
    assert.match(diffTabs()[0]?.label ?? '', /Aurelis Optimize/);
    assert.match(promptOf(fake.server.chatRequests[0]?.body), /Optimize this code/);

    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    assert.equal(editor.document.getText(), `${OPTIMIZED}\n`);
    assert.deepEqual(api.proposals(), []);
    await waitFor('the diff to close', () => diffTabs().length === 0);

    await showActive(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE, 'one undo restores the original');
  });

  it('Generate with a selection: Reject leaves the file untouched', async () => {
    const editor = await openWorkspaceFile('src/rejectMe.js', SOURCE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    fake.server.script(reply.text(OPTIMIZED));
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.generate', { instruction: 'use reduce' });
    assert.equal(outcome?.kind, 'proposed');
    assert.match(promptOf(fake.server.chatRequests[0]?.body), /Rewrite this code as follows: use reduce/);
    assert.equal(await vscode.commands.executeCommand('aurelis.rejectChange'), true);
    assert.equal(editor.document.getText(), SOURCE);
    assert.equal(editor.document.isDirty, false);
    await waitFor('the diff to close', () => diffTabs().length === 0);
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), false, 'a rejected change cannot be accepted later');
    assert.equal(editor.document.getText(), SOURCE);
  });

  it('closing the diff rejects the change', async () => {
    const api = await aurelis();
    const editor = await openEditor(SOURCE, 'javascript');
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    fake.server.script(reply.text(OPTIMIZED));
    await vscode.commands.executeCommand('aurelis.document');
    await waitFor('the diff editor', () => diffTabs().length === 1);
    await vscode.window.tabGroups.close(diffTabs());
    await waitFor('the proposal to be dropped', () => api.proposals().length === 0);
    assert.equal(editor.document.getText(), SOURCE);
  });

  it('Generate without a selection shows its insertion at the cursor as a diff, without the lines the model echoed; Accept is one undo step', async () => {
    const start = 'class A {\n  run() {\n    \n  }\n}\n';
    const editor = await openEditor(start, 'javascript');
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    // The model repeats the method header before, and the closing braces after, the cursor.
    fake.server.script(reply.text('Here you go:\n```js\n  run() {\n    if (ready) {\n      go();\n    }\n  }\n}\n```'));
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.generate', { instruction: 'call go when ready' });
    assert.equal(outcome?.kind, 'proposed');
    assert.equal(editor.document.getText(), start, 'nothing is inserted before Accept');
    await waitFor('the diff editor', () => diffTabs().length === 1);
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    assert.equal(editor.document.getText(), 'class A {\n  run() {\n    if (ready) {\n      go();\n    }\n  }\n}\n');
    assert.match(promptOf(fake.server.chatRequests[0]?.body), /run\(\) \{\n {4}<CURSOR>\n/);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), start);
  });

  it('Fix sends the diagnostic under the cursor (any source) and proposes the fix', async () => {
    const editor = await openWorkspaceFile('src/fixMe.js', 'const total = prices.reduce((a, b) => a + b);\nconsole.log(totl);\n');
    const collection = vscode.languages.createDiagnosticCollection('fake-linter');
    try {
      const problem = new vscode.Diagnostic(new vscode.Range(1, 12, 1, 16), "'totl' is not defined.", vscode.DiagnosticSeverity.Error);
      problem.source = 'eslint';
      collection.set(editor.document.uri, [problem]);
      editor.selection = new vscode.Selection(1, 13, 1, 13);
      fake.server.script(reply.text('const total = prices.reduce((a, b) => a + b);\nconsole.log(total);'));
      const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.fix');
      assert.equal(outcome?.kind, 'proposed');
      const prompt = promptOf(fake.server.chatRequests[0]?.body);
      assert.match(prompt, /line 2, error \(eslint\): 'totl' is not defined\./);
      assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
      assert.equal(editor.document.lineAt(1).text, 'console.log(total);');
    } finally {
      collection.dispose();
    }
  });

  it('Fix says so when there is no problem under the cursor', async () => {
    const editor = await openEditor('const a = 1;\n', 'javascript');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const errors = stubWindow('showErrorMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.fix'), undefined);
      assert.match(errors.calls[0]?.message ?? '', /no problem under the cursor/);
      assert.equal(fake.server.chatRequests.length, 0);
    } finally {
      errors.restore();
    }
  });

  it('Generate Tests proposes a new test file beside the source, using the framework from package.json', async () => {
    await vscode.workspace.fs.writeFile(workspaceUri('tests-demo/package.json'), new TextEncoder().encode(JSON.stringify({ devDependencies: { vitest: '^2.0.0' } })));
    await openWorkspaceFile('tests-demo/src/sum.ts', 'export function sum(a: number, b: number): number {\n  return a + b;\n}\n');
    const testCode = "import { expect, it } from 'vitest';\nimport { sum } from './sum';\n\nit('adds', () => expect(sum(1, 2)).toBe(3));";
    fake.server.script(reply.text('```ts\n' + testCode + '\n```'));
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.generateTests');
    assert.equal(outcome?.kind, 'proposed');
    assert.equal(outcome.kind === 'proposed' && outcome.proposal.kind, 'create');
    const target = workspaceUri('tests-demo/src/sum.test.ts');
    assert.equal(outcome.kind === 'proposed' && outcome.proposal.target, target.toString());
    const prompt = promptOf(fake.server.chatRequests[0]?.body);
    assert.match(prompt, /Write tests with Vitest/);
    assert.match(prompt, /sum\.test\.ts/);
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.equal(written, `${testCode}\n`);
  });
});
