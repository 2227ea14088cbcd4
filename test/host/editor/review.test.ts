import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { aurelis } from '../support/aurelis';
import { openEditor, promptOf, stubWindow, useFakeProviderForSuite } from './fakeProvider';

const LINES = [
  'export interface Order {', //                                   1
  '  quantity: number;', //                                        2
  '  unitPrice: number;', //                                       3
  '}', //                                                          4
  '', //                                                           5
  'export function orderTotal(orders: Order[]): number {', //      6
  '  let total = 0;', //                                           7
  '  for (let i = 0; i <= orders.length; i++) {', //               8
  '    const order = orders[i];', //                               9
  '    if (order) total += order.quantity * order.unitPrice;', //  10
  '  }', //                                                        11
  '  return total;', //                                            12
  '}', //                                                          13
];
const FIXED_LOOP = '  for (let i = 0; i < orders.length; i++) {';

const FINDINGS = {
  findings: [
    { severity: 'error', category: 'correctness', startLine: 8, endLine: 8, message: 'The loop runs one past the end of the array.', suggestion: FIXED_LOOP },
    { severity: 'info', category: 'style', startLine: 9, endLine: 10, message: 'A for…of loop reads better here.', suggestion: null },
  ],
};

type ReviewOutcome = { findings: Array<{ startLine: number }>; skipped: number; reportUri: string };

function aurelisDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Aurelis');
}

describe('Aurelis: Review', () => {
  const suite = useFakeProviderForSuite(() => vscode.commands.executeCommand('aurelis.clearReviewFindings'));

  it('puts the findings on the expected lines as "Aurelis" diagnostics and writes a report', async () => {
    const api = await aurelis();
    const editor = await openEditor(LINES.join('\n'));
    suite.fake.server.script(reply.text(JSON.stringify(FINDINGS)));
    const info = stubWindow('showInformationMessage');
    let outcome: ReviewOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<ReviewOutcome>('aurelis.review');
    } finally {
      info.restore();
    }
    assert.ok(outcome, 'Review returned nothing (an error was shown instead)');
    const diagnostics = aurelisDiagnostics(editor.document.uri).sort((a, b) => a.range.start.line - b.range.start.line);
    assert.equal(diagnostics.length, 2);
    const [offByOne, style] = diagnostics as [vscode.Diagnostic, vscode.Diagnostic];
    assert.equal(offByOne.range.start.line, 7);
    assert.equal(offByOne.range.end.line, 7);
    assert.equal(offByOne.range.start.character, 2, 'the underline starts after the indentation');
    assert.equal(offByOne.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(offByOne.message, 'The loop runs one past the end of the array.');
    assert.equal(offByOne.code, 'correctness');
    assert.equal(style.range.start.line, 8);
    assert.equal(style.range.end.line, 9);
    assert.equal(style.severity, vscode.DiagnosticSeverity.Information);
    assert.match(info.calls[0]?.message ?? '', /found 2 problems/);

    // What was asked: the whole file with line numbers, JSON through a schema.
    const body = suite.fake.server.chatRequests[0]?.body as { response_format?: { type: string; json_schema?: { name: string } } };
    assert.equal(body.response_format?.type, 'json_schema');
    assert.equal(body.response_format?.json_schema?.name, 'review_findings');
    assert.match(promptOf(body), /^ 8\| {3}for \(let i = 0; i <= orders\.length; i\+\+\) \{$/m);

    const report = api.viewText(outcome.reportUri);
    assert.match(report, /^## Line 8 · error · correctness$/m);
    assert.match(report, /^## Lines 9–10 · info · style$/m);
    assert.ok(report.includes(FIXED_LOOP), 'the report shows the suggested replacement');
  });

  it('offers the suggested replacement as a quick fix, which applies it', async () => {
    const editor = await openEditor(LINES.join('\n'));
    suite.fake.server.script(reply.text(JSON.stringify(FINDINGS)));
    const info = stubWindow('showInformationMessage');
    try {
      await vscode.commands.executeCommand('aurelis.review');
    } finally {
      info.restore();
    }
    const target = aurelisDiagnostics(editor.document.uri).find((d) => d.range.start.line === 7);
    assert.ok(target);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      target.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const apply = actions.find((a) => a.title === 'Apply Aurelis suggestion');
    assert.ok(apply?.command, `no "Apply Aurelis suggestion" among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(apply.isPreferred, true);
    assert.ok(actions.some((a) => a.title.startsWith('Fix with Aurelis')), 'every diagnostic also offers "Fix with Aurelis"');
    await vscode.commands.executeCommand(apply.command.command, ...(apply.command.arguments ?? []));

    assert.equal(editor.document.lineAt(7).text, FIXED_LOOP);
    assert.equal(editor.document.lineCount, LINES.length, 'no line was added or removed');
    const left = aurelisDiagnostics(editor.document.uri);
    assert.equal(left.length, 1, 'the applied finding is gone, the other stays');
    assert.equal(left[0]?.range.start.line, 8);
  });

  it('reviews only the selection and reads findings the model wrapped in prose', async () => {
    const editor = await openEditor(LINES.join('\n'));
    editor.selection = new vscode.Selection(5, 0, 12, 1);
    const prose = 'Here is my review:\n```json\n' + JSON.stringify([{ severity: 'High', category: 'Bug', line: 8, message: 'Off by one.' }]) + '\n```\nHope this helps!';
    suite.fake.server.script(reply.text(prose));
    const info = stubWindow('showInformationMessage');
    try {
      const outcome = await vscode.commands.executeCommand<ReviewOutcome>('aurelis.review');
      assert.ok(outcome);
      assert.equal(outcome.findings.length, 1);
    } finally {
      info.restore();
    }
    const prompt = promptOf(suite.fake.server.chatRequests[0]?.body);
    assert.match(prompt, /lines 6–13/);
    assert.doesNotMatch(prompt, /interface Order/);
    const [d] = aurelisDiagnostics(editor.document.uri);
    assert.equal(d?.range.start.line, 7);
    assert.equal(d?.severity, vscode.DiagnosticSeverity.Error);
  });

  it('a new review replaces the file\'s findings, and Clear Review Findings removes them', async () => {
    const editor = await openEditor(LINES.join('\n'));
    const info = stubWindow('showInformationMessage');
    try {
      suite.fake.server.script(reply.text(JSON.stringify(FINDINGS)));
      await vscode.commands.executeCommand('aurelis.review');
      assert.equal(aurelisDiagnostics(editor.document.uri).length, 2);
      suite.fake.server.script(reply.text(JSON.stringify({ findings: [{ severity: 'warning', category: 'performance', startLine: 12, endLine: 12, message: 'x', suggestion: null }] })));
      await vscode.commands.executeCommand('aurelis.review');
      const after = aurelisDiagnostics(editor.document.uri);
      assert.deepEqual(after.map((d) => d.range.start.line), [11]);
      assert.equal(await vscode.commands.executeCommand('aurelis.clearReviewFindings'), 1);
      assert.deepEqual(aurelisDiagnostics(editor.document.uri), []);
    } finally {
      info.restore();
    }
  });

  it('reports an answer without JSON findings as an error with Retry and Choose Model', async () => {
    await openEditor(LINES.join('\n'));
    suite.fake.server.script(reply.text('Looks good to me!'));
    const errors = stubWindow('showErrorMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.review'), undefined);
      const [call] = errors.calls;
      assert.match(call?.message ?? '', /did not answer with review findings in JSON/);
      assert.deepEqual(call?.items, ['Retry', 'Choose Model']);
    } finally {
      errors.restore();
    }
  });
});
