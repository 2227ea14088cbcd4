import * as vscode from 'vscode';
import { parseReviewFindings, type ReviewFinding } from '../../core/tasks/review';
import { reviewRequest } from '../../core/tasks/requests';
import type { TaskResult } from '../../core/types';
import { editorCode } from '../editorContext';
import type { EditorParts } from '../editorParts';
import { targetEditor } from './activeEditor';
import { resultFooter } from './resultFooter';

export interface ReviewOutcome {
  findings: ReviewFinding[];
  /** Entries of the model's answer that could not be read as findings. */
  skipped: number;
  reportUri: string;
}

/**
 * Aurelis: Review — reviews the selection or the whole file. Findings become diagnostics
 * (replacing the file's previous ones) and a Markdown report beside the editor.
 */
export async function review(parts: EditorParts): Promise<ReviewOutcome> {
  const editor = targetEditor('Aurelis: Review');
  const doc = editor.document;
  const code = await editorCode(editor, { fallback: 'file', maxKB: parts.settings.settings.security.maxFileKB });
  const ctx = code.context;
  const lastLine = code.range.end.line + 1;
  const result = await parts.runner.run(`Reviewing ${ctx.path}…`, reviewRequest(ctx));
  const { findings, skipped } = parseReviewFindings(result.content, { firstLine: ctx.firstLine, lastLine });
  parts.findings.set(doc, findings);
  if (skipped > 0) parts.log.warn(`Review of ${ctx.path}: ${skipped} entries of the answer were not findings and were skipped.`);

  const uri = parts.views.create(`Review of ${ctx.path.split('/').pop() ?? ctx.path}`);
  parts.views.set(uri, report(ctx.path, ctx.scope, ctx.firstLine, lastLine, doc.languageId, findings, skipped, result), true);
  await parts.views.show(uri);
  const summary =
    findings.length === 0 ? `Aurelis found no problems in ${ctx.scope} of ${ctx.path}.` : `Aurelis found ${plural(findings.length, 'problem')} in ${ctx.path}; see the Problems panel.`;
  void vscode.window.showInformationMessage(summary);
  return { findings, skipped, reportUri: uri.toString() };
}

/** Aurelis: Clear Review Findings — removes the active file's findings, or all of them. */
export function clearReviewFindings(parts: EditorParts): number {
  const editor = vscode.window.activeTextEditor;
  const inFile = editor ? parts.findings.clear(editor.document.uri) : 0;
  const removed = inFile > 0 ? inFile : parts.findings.clear();
  void vscode.window.showInformationMessage(removed > 0 ? `Aurelis: removed ${plural(removed, 'review finding')}.` : 'Aurelis: there are no review findings to remove.');
  return removed;
}

/** The quick fix of a finding with a suggested replacement. */
export async function applySuggestion(parts: EditorParts, uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<boolean> {
  const applied = await parts.findings.applySuggestion(uri, diagnostic);
  if (!applied) void vscode.window.showWarningMessage('Aurelis: that suggestion no longer applies (the finding is gone or the file changed). Run Aurelis: Review again.');
  return applied;
}

function report(
  path: string,
  scope: string,
  firstLine: number,
  lastLine: number,
  language: string,
  findings: readonly ReviewFinding[],
  skipped: number,
  result: TaskResult,
): string {
  const lines = [`# Review of ${path}`, '', `*${scope}, lines ${firstLine}–${lastLine}*`, ''];
  if (findings.length === 0) lines.push('No problems found.', '');
  else {
    const counts = (['error', 'warning', 'info', 'hint'] as const)
      .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
    lines.push(`${plural(findings.length, 'finding')}: ${counts.join(', ')}.`, '');
  }
  for (const f of findings) {
    const where = f.startLine === f.endLine ? `Line ${f.startLine}` : `Lines ${f.startLine}–${f.endLine}`;
    lines.push(`## ${where} · ${f.severity} · ${f.category}`, '', f.message, '');
    if (f.suggestion !== undefined) lines.push('Suggested replacement (available as a quick fix):', '', fence(f.suggestion, language), '');
  }
  if (skipped > 0) lines.push(`> ${plural(skipped, 'entry', 'entries')} of the model's answer could not be read as findings and ${skipped === 1 ? 'was' : 'were'} skipped.`, '');
  lines.push('---', '', resultFooter(result), '');
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
