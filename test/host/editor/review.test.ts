import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { ORDER_LINES } from '../../fixtures/answers/reviewShapes';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { showActive, openEditor, promptOf, stubWindow, useFakeProviderForSuite } from './fakeProvider';

/** The file reviewed here is the one the answer-shape corpus reviews (1-based lines in its comments). */
const LINES = ORDER_LINES;
const FIXED_LOOP = '  for (let i = 0; i < orders.length; i++) {';

const FINDINGS = {
  findings: [
    { severity: 'error', category: 'correctness', quote: LINES[7], startLine: 8, endLine: 8, message: 'The loop runs one past the end of the array.', suggestion: FIXED_LOOP },
    { severity: 'info', category: 'style', quote: LINES.slice(8, 10).join('\n'), startLine: 9, endLine: 10, message: 'A for…of loop reads better here.', suggestion: null },
  ],
};

type ReviewOutcome = { findings: Array<{ startLine: number; quickFix: boolean }>; unplaced: unknown[]; skipped: number; cutOff: boolean; reportUri: string };

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => t.input)
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'aurelis-proposal');
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
}

function aurelisDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Aurelis');
}

describe('Aurelis: Review', () => {
  const suite = useFakeProviderForSuite(async () => {
    await vscode.commands.executeCommand('aurelis.rejectChange');
    await vscode.commands.executeCommand('aurelis.clearReviewFindings');
  });

  async function reviewWith(answer: unknown): Promise<ReviewOutcome | undefined> {
    suite.fake.server.script(reply.text(typeof answer === 'string' ? answer : JSON.stringify(answer)));
    const info = stubWindow('showInformationMessage');
    try {
      return await vscode.commands.executeCommand<ReviewOutcome>('aurelis.review');
    } finally {
      info.restore();
    }
  }

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

  it('offers the suggested replacement as a quick fix, shown as a diff; Accept applies it as one undo step', async () => {
    const editor = await openEditor(LINES.join('\n'));
    await reviewWith(FINDINGS);
    const target = aurelisDiagnostics(editor.document.uri).find((d) => d.range.start.line === 7);
    assert.ok(target);
    const actions = await quickFixes(editor.document.uri, target.range);
    const apply = actions.find((a) => a.title === 'Apply Aurelis suggestion');
    assert.ok(apply?.command, `no "Apply Aurelis suggestion" among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(apply.isPreferred, true);
    assert.ok(actions.some((a) => a.title.startsWith('Fix with Aurelis')), 'every diagnostic also offers "Fix with Aurelis"');
    const info = stubWindow('showInformationMessage');
    try {
      assert.equal(await vscode.commands.executeCommand(apply.command.command, ...(apply.command.arguments ?? [])), true);
    } finally {
      info.restore();
    }
    await waitFor('the suggestion\'s diff', () => diffTabs().length === 1);
    assert.equal(editor.document.lineAt(7).text, LINES[7], 'nothing changes before Accept');
    const proposed = await vscode.workspace.openTextDocument(diffTabs()[0]?.modified as vscode.Uri);
    assert.equal(proposed.lineAt(7).text, FIXED_LOOP);

    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    assert.equal(editor.document.lineAt(7).text, FIXED_LOOP);
    assert.equal(editor.document.lineCount, LINES.length, 'no line was added or removed');
    await waitFor('the applied finding to go', () => aurelisDiagnostics(editor.document.uri).length === 1);
    assert.equal(aurelisDiagnostics(editor.document.uri)[0]?.range.start.line, 8, 'the other finding stays');
    await showActive(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), LINES.join('\n'), 'one undo restores the line');
  });

  it('a finding whose quote is elsewhere in the file lands on the quote\'s line, whatever line the model claimed', async () => {
    const editor = await openEditor(LINES.join('\n'));
    const outcome = await reviewWith({
      findings: [{ severity: 'warning', category: 'correctness', quote: '  unitPrice: number;', startLine: 9, endLine: 9, message: 'Prices in floating point lose cents.', suggestion: '  unitPriceCents: number;' }],
    });
    assert.equal(outcome?.findings.length, 1);
    const [d] = aurelisDiagnostics(editor.document.uri);
    assert.equal(d?.range.start.line, 2, 'on the quoted line 3, not the claimed line 9');
    assert.equal(d?.message, 'Prices in floating point lose cents.');
    const actions = await quickFixes(editor.document.uri, (d as vscode.Diagnostic).range);
    assert.ok(actions.some((a) => a.title === 'Apply Aurelis suggestion'));
  });

  it('an unplaceable finding is listed as "could not be placed" and gets no quick fix; nor does one placed only by its line number', async () => {
    const editor = await openEditor(LINES.join('\n'));
    const outcome = await reviewWith({
      findings: [
        { severity: 'warning', category: 'performance', quote: 'orders.forEach((o) => (sum += o.price));', startLine: 10, endLine: 10, message: 'forEach is slow.', suggestion: 'for (const o of orders) sum += o.price;' },
        { severity: 'info', category: 'style', startLine: 12, endLine: 12, message: 'Name the result.', suggestion: '  return totalPrice;' },
      ],
    });
    assert.ok(outcome);
    assert.equal(outcome.unplaced.length, 1);
    assert.deepEqual(outcome.findings.map((f) => [f.startLine, f.quickFix]), [[12, false]]);
    const diagnostics = aurelisDiagnostics(editor.document.uri);
    assert.deepEqual(diagnostics.map((d) => d.message), ['Name the result.'], 'the unplaced finding is not put on any line');
    const everywhere = await quickFixes(editor.document.uri, new vscode.Range(0, 0, LINES.length - 1, 1));
    assert.deepEqual(everywhere.filter((a) => a.title === 'Apply Aurelis suggestion'), []);
    const report = (await aurelis()).viewText(outcome.reportUri);
    assert.match(report, /^## Could not be placed$/m);
    assert.match(report, /forEach is slow\./);
    assert.match(report, /the model said line 10/);
  });

  it('applying a suggestion after its line was edited refuses, and changes nothing', async () => {
    const editor = await openEditor(LINES.join('\n'));
    await reviewWith(FINDINGS);
    const target = aurelisDiagnostics(editor.document.uri).find((d) => d.range.start.line === 7);
    assert.ok(target);
    const apply = (await quickFixes(editor.document.uri, target.range)).find((a) => a.title === 'Apply Aurelis suggestion');
    assert.ok(apply?.command);
    await editor.edit((b) => b.replace(new vscode.Range(7, 2, 7, 5), 'for '));
    const edited = editor.document.getText();
    const warnings = stubWindow('showWarningMessage');
    try {
      assert.equal(await vscode.commands.executeCommand(apply.command.command, ...(apply.command.arguments ?? [])), false);
      assert.match(warnings.calls[0]?.message ?? '', /^Aurelis: the suggestion was not applied: line 8 changed since the review\. Run Aurelis: Review again/);
    } finally {
      warnings.restore();
    }
    assert.equal(diffTabs().length, 0, 'no diff was opened');
    assert.deepEqual((await aurelis()).proposals(), []);
    assert.equal(editor.document.getText(), edited);
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
