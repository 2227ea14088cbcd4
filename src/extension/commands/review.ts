import * as vscode from 'vscode';
import { answerOf, CUT_OFF_MESSAGE, largerOutputLimit } from '../../core/tasks/answers/cutOff';
import { restoreSecrets } from '../../core/tasks/answers/proposedEdit';
import { isUsableReview, readReview, type PlacedFinding, type ReviewReading, type UnplacedFinding } from '../../core/tasks/answers/reviewAnswer';
import { reviewRequest } from '../../core/tasks/requests';
import type { SentRedactions, TaskResult } from '../../core/types';
import { editorCode, type EditorCode } from '../editorContext';
import type { EditorParts } from '../editorParts';
import { targetEditor } from './activeEditor';
import { resultFooter } from './resultFooter';

export interface ReviewOutcome {
  findings: PlacedFinding[];
  /** Findings whose quoted code is not in the reviewed range: in the report only. */
  unplaced: UnplacedFinding[];
  /** Entries of the model's answer that could not be read as findings. */
  skipped: number;
  /** The answer stopped at the output limit; the complete findings are shown. */
  cutOff: boolean;
  reportUri: string;
}

/**
 * Aurelis: Review — reviews the selection or the whole file. Findings, placed by the code they
 * quote, become diagnostics (replacing the file's previous ones) and a Markdown report beside
 * the editor, which also lists what could not be placed.
 */
export async function review(parts: EditorParts): Promise<ReviewOutcome> {
  const editor = targetEditor('Aurelis: Review');
  const code = await editorCode(editor, { fallback: 'file', maxKB: parts.settings.settings.security.maxFileKB });
  const uri = parts.views.create(`Review of ${code.context.path.split('/').pop() ?? code.context.path}`);
  return runReview(parts, editor.document, code, uri);
}

async function runReview(parts: EditorParts, doc: vscode.TextDocument, code: EditorCode, uri: vscode.Uri): Promise<ReviewOutcome> {
  const ctx = code.context;
  const reviewed = { code: ctx.code, firstLine: ctx.firstLine };
  const lastLine = ctx.firstLine + ctx.code.split('\n').length - 1;
  let redactions: SentRedactions | undefined;
  const result = await parts.runner.run(`Reviewing ${ctx.path}…`, reviewRequest(ctx), {
    onRedactions: (r) => (redactions = r),
    usable: (answer) => isUsableReview(answer, reviewed),
  });
  const reading = readReview(answerOf(result), reviewed);
  const findings = reading.findings.map((f) => withSecretsRestored(f, ctx.code, redactions));
  parts.findings.set(doc, findings, uri.toString());
  if (reading.skipped > 0) parts.log.warn(`Review of ${ctx.path}: ${reading.skipped} entries of the answer were not findings and were skipped.`);
  if (reading.unplaced.length > 0) parts.log.warn(`Review of ${ctx.path}: ${reading.unplaced.length} findings quote code that is not in lines ${ctx.firstLine}–${lastLine}; they are listed in the report only.`);

  // Regenerate reviews the same lines as they read then.
  parts.regenerations.remember(uri.toString(), () => runReview(parts, doc, { ...code, context: { ...ctx, code: doc.getText(code.range) } }, uri));
  parts.views.set(uri, report(ctx.path, ctx.scope, ctx.firstLine, lastLine, doc.languageId, { ...reading, findings }, result), true);
  await parts.views.show(uri);
  tell(reading, ctx, uri, result);
  return { findings, unplaced: reading.unplaced, skipped: reading.skipped, cutOff: reading.cutOff, reportUri: uri.toString() };
}

/** A suggestion that holds a placeholder Aurelis cannot put back stays in the report, not in a quick fix. */
function withSecretsRestored(f: PlacedFinding, original: string, redactions: SentRedactions | undefined): PlacedFinding {
  if (f.suggestion === undefined) return f;
  try {
    return { ...f, suggestion: restoreSecrets(f.suggestion, original, redactions) };
  } catch {
    return { ...f, quickFix: false };
  }
}

function tell(reading: ReviewReading, ctx: EditorCode['context'], uri: vscode.Uri, result: TaskResult): void {
  const placed = reading.findings.length;
  const unplaced = reading.unplaced.length;
  const parts: string[] = [];
  if (placed + unplaced === 0) parts.push(`Aurelis found no problems in ${ctx.scope} of ${ctx.path}.`);
  else if (placed > 0) parts.push(`Aurelis found ${plural(placed, 'problem')} in ${ctx.path}; see the Problems panel.`);
  else parts.push(`Aurelis found ${plural(unplaced, 'problem')} in ${ctx.path}, but none could be placed in the code; see the report.`);
  if (placed > 0 && unplaced > 0) parts.push(`${plural(unplaced, 'more finding')} could not be placed in the code (see the report).`);
  if (reading.cutOff) parts.push(`${CUT_OFF_MESSAGE}; only the findings that arrived complete are shown.`);
  const message = parts.join(' ');
  const key = uri.toString();
  if (reading.cutOff) {
    void vscode.window.showWarningMessage(message, 'Retry with a Larger Limit', 'Regenerate').then((choice) => {
      if (choice === 'Retry with a Larger Limit') void vscode.commands.executeCommand('aurelis.regenerate', key, { maxTokens: largerOutputLimit(result.usage.completionTokens) });
      else if (choice === 'Regenerate') void vscode.commands.executeCommand('aurelis.regenerate', key);
    });
  } else {
    void vscode.window.showInformationMessage(message, 'Regenerate').then((choice) => {
      if (choice === 'Regenerate') void vscode.commands.executeCommand('aurelis.regenerate', key);
    });
  }
}

/** Aurelis: Clear Review Findings — removes the active file's findings, or all of them. */
export function clearReviewFindings(parts: EditorParts): number {
  const editor = vscode.window.activeTextEditor;
  const inFile = editor ? parts.findings.clear(editor.document.uri) : 0;
  const removed = inFile > 0 ? inFile : parts.findings.clear();
  void vscode.window.showInformationMessage(removed > 0 ? `Aurelis: removed ${plural(removed, 'review finding')}.` : 'Aurelis: there are no review findings to remove.');
  return removed;
}

/**
 * The quick fix of a finding with a suggested replacement: shown as a diff to accept (one undo
 * step), and only while the lines it is about still read as they did when reviewed.
 */
export async function applySuggestion(parts: EditorParts, uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<boolean> {
  const edit = await parts.findings.suggestionEdit(uri, diagnostic);
  if (!edit.ok) {
    void vscode.window.showWarningMessage(`Aurelis: the suggestion was not applied: ${edit.reason}. Run Aurelis: Review again for a suggestion that fits the code as it is now.`);
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await parts.proposals.propose({
    kind: 'edit',
    title: 'Review suggestion',
    document: doc,
    range: edit.range,
    replacement: edit.replacement,
    onAccepted: () => void vscode.workspace.openTextDocument(uri).then((after) => parts.findings.applied(uri, edit.finding, after, edit.replacement)),
    // A suggestion is part of its review: Regenerate reviews the same lines again.
    ...(edit.reportKey === undefined ? {} : { regenerate: () => parts.regenerations.regenerate(edit.reportKey) }),
  });
  return true;
}

function report(path: string, scope: string, firstLine: number, lastLine: number, language: string, reading: ReviewReading, result: TaskResult): string {
  const { findings, unplaced, skipped, cutOff } = reading;
  const lines = [`# Review of ${path}`, '', `*${scope}, lines ${firstLine}–${lastLine}*`, ''];
  if (cutOff) lines.push(`> **${CUT_OFF_MESSAGE}.** The findings that arrived complete are shown; use **Retry with a Larger Limit** in the notification for the rest.`, '');
  const total = findings.length + unplaced.length;
  if (total === 0) lines.push(cutOff ? 'No complete finding arrived before the cut.' : 'No problems found.', '');
  else {
    const counts = (['error', 'warning', 'info', 'hint'] as const)
      .map((s) => [s, [...findings, ...unplaced].filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
    lines.push(`${plural(total, 'finding')}: ${counts.join(', ')}.`, '');
  }
  for (const f of findings) {
    const where = f.startLine === f.endLine ? `Line ${f.startLine}` : `Lines ${f.startLine}–${f.endLine}`;
    lines.push(`## ${where} · ${f.severity} · ${f.category}`, '', f.message, '');
    if (f.placedBy === 'line') lines.push('*Placed by the line number the model gave; it quoted no code.*', '');
    if (f.suggestion !== undefined) {
      lines.push(f.quickFix ? 'Suggested replacement (available as a quick fix):' : 'Suggested replacement (not offered as a quick fix: it does not replace exactly the lines the finding quotes):', '', fence(f.suggestion, language), '');
    }
  }
  if (unplaced.length > 0) {
    lines.push('## Could not be placed', '', `These findings quote code that is not in lines ${firstLine}–${lastLine} (or give no line there), so they are not marked in the editor and have no quick fix.`, '');
    for (const f of unplaced) {
      const claimed = f.claimedLine === undefined ? '' : ` (the model said line ${f.claimedLine})`;
      lines.push(`### ${f.severity} · ${f.category}${claimed}`, '', f.message, '');
      if (f.quote !== undefined && f.quote.trim() !== '') lines.push('Quoted:', '', fence(f.quote, language), '');
    }
  }
  if (skipped > 0) lines.push(`> ${plural(skipped, 'entry', 'entries')} of the model's answer could not be read as findings and ${skipped === 1 ? 'was' : 'were'} skipped.`, '');
  lines.push('---', '', resultFooter(result), '', '*Regenerate (the ↻ button in this view\'s title bar) asks the model again, skipping the cache.*', '');
  return lines.join('\n');
}

function fence(code: string, language: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${language}\n${code}\n${f}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
