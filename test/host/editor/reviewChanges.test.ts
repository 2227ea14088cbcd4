import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { reply, type RecordedRequest } from '../../fake-server';
import { promptOf, stubWindow, useFakeProviderForSuite, workspaceUri } from './fakeProvider';

type Outcome = { files: number; findings: number; notReviewed: number; reportUri?: string };

/** Answers like a model: an error on each numbered line that calls eval(), on that line's number. */
function reviewer(request: RecordedRequest) {
  const findings = [...promptOf(request.body).matchAll(/^\s*(\d+)\| (.*)$/gm)]
    .filter((m) => (m[2] ?? '').includes('eval('))
    .map((m) => ({ severity: 'error', category: 'security', startLine: Number(m[1]), endLine: Number(m[1]), message: 'eval() runs any string as code.', suggestion: null }));
  return reply.text(JSON.stringify({ findings }));
}

function aurelisDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Aurelis');
}

describe('Aurelis: Review Changes and Review Folder (a workspace that is a git repository)', () => {
  const suite = useFakeProviderForSuite(() => vscode.commands.executeCommand('aurelis.clearReviewFindings'));
  const root = (): string => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('The host tests need a workspace folder.');
    return folder;
  };
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: root(), encoding: 'utf8' });
  const lines = Array.from({ length: 120 }, (_, i) => `export const v${i + 1} = ${i + 1};`);
  const write = (relative: string, text: string) => vscode.workspace.fs.writeFile(workspaceUri(relative), new TextEncoder().encode(text));

  before(async () => {
    await write('review-demo/app.js', `${lines.join('\n')}\n`);
    await write('review-demo/util.js', 'export const twice = (x) => x * 2;\n');
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
  });

  after(async () => {
    rmSync(path.join(root(), '.git'), { recursive: true, force: true });
    await vscode.workspace.fs.delete(workspaceUri('review-demo'), { recursive: true });
  });

  beforeEach(() => suite.fake.server.handle(reviewer));

  it('reviews the working tree’s changed lines: findings in Problems on the right lines, a report, only the changes sent', async () => {
    const changed = [...lines];
    changed[79] = 'export const v80 = eval(process.env.CODE);';
    await write('review-demo/app.js', `${changed.join('\n')}\n`);
    const info = stubWindow('showInformationMessage');
    let outcome: Outcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<Outcome>('aurelis.reviewChanges', { staged: false });
    } finally {
      info.restore();
    }
    assert.ok(outcome, 'Review Changes returned nothing (an error was shown instead)');
    assert.deepEqual({ files: outcome.files, findings: outcome.findings, notReviewed: outcome.notReviewed }, { files: 1, findings: 1, notReviewed: 0 });
    const diagnostics = aurelisDiagnostics(workspaceUri('review-demo/app.js'));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.range.start.line, 79);
    assert.equal(diagnostics[0]?.severity, vscode.DiagnosticSeverity.Error);
    const prompts = suite.fake.server.chatRequests.map((r) => promptOf(r.body));
    assert.equal(prompts.length, 1);
    assert.ok(prompts[0]?.includes('80| export const v80 = eval(') && !prompts[0]?.includes('export const v20 = 20;'), 'the changed area with context, not the whole file');
    const report = vscode.workspace.textDocuments.find((d) => d.uri.toString() === outcome?.reportUri);
    assert.ok(report, 'the report is open');
    assert.match(report.getText(), /^# Review of changes$/m);
    assert.match(report.getText(), /Line 80 · error · security/);
    assert.match(String(info.calls[0]?.message), /Aurelis reviewed 1 file of the changes: 1 error; see the Problems panel\./);
    git('checkout', '--', 'review-demo/app.js');
  });

  it('reviews the staged changes, and says so when nothing is staged', async () => {
    const info = stubWindow('showInformationMessage');
    try {
      const none = await vscode.commands.executeCommand<Outcome>('aurelis.reviewChanges', { staged: true });
      assert.equal(none?.files, 0);
      assert.match(String(info.calls[0]?.message), /no staged changes to review/);
      await write('review-demo/util.js', 'export const twice = (x) => x * 2;\nexport const run = (s) => eval(s);\n');
      git('add', 'review-demo/util.js');
      const staged = await vscode.commands.executeCommand<Outcome>('aurelis.reviewChanges', { staged: true });
      assert.equal(staged?.findings, 1);
      assert.equal(aurelisDiagnostics(workspaceUri('review-demo/util.js'))[0]?.range.start.line, 1);
    } finally {
      info.restore();
      git('reset', '-q', 'HEAD', '--', 'review-demo/util.js');
      git('checkout', '--', 'review-demo/util.js');
    }
  });

  it('Review Folder reviews every file of a folder through the same batch path', async () => {
    await write('review-demo/util.js', 'export const run = (s) => eval(s);\n');
    const info = stubWindow('showInformationMessage');
    try {
      const outcome = await vscode.commands.executeCommand<Outcome>('aurelis.reviewFolder', workspaceUri('review-demo'));
      assert.deepEqual({ files: outcome?.files, findings: outcome?.findings }, { files: 2, findings: 1 });
      assert.equal(suite.fake.server.chatRequests.length, 2);
      assert.equal(aurelisDiagnostics(workspaceUri('review-demo/util.js')).length, 1);
    } finally {
      info.restore();
      git('checkout', '--', 'review-demo/util.js');
    }
  });
});
