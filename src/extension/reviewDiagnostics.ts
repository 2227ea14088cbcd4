import * as vscode from 'vscode';
import { fitReplacement } from '../core/tasks/codeOutput';
import type { PlacedFinding } from '../core/tasks/answers/reviewAnswer';
import type { ReviewFinding } from '../core/tasks/review';

/**
 * A finding as shown: from Review (placed, with what its quick fix needs) or from a batch
 * review (Review Changes, Review Folder), whose findings may carry less.
 */
type ShownFinding = ReviewFinding & Partial<Pick<PlacedFinding, 'anchor' | 'quickFix' | 'placedBy'>>;

export const REVIEW_SOURCE = 'Aurelis';

const SEVERITIES: Record<ReviewFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface Placed {
  finding: ShownFinding;
  diagnostic: vscode.Diagnostic;
}

/** A suggestion ready for the diff, or why it cannot be applied. */
export type SuggestionEdit =
  | { ok: true; range: vscode.Range; replacement: string; finding: ShownFinding; /** The review's report, whose Regenerate reviews again. */ reportKey?: string }
  | { ok: false; reason: string };

/**
 * Review findings as diagnostics (source "Aurelis") in the Problems panel. A new review of a
 * file replaces its previous findings. A finding whose suggestion replaces exactly the lines it
 * quoted offers it as a quick fix — applied only while those lines still read as they did when
 * reviewed, and through the same diff preview as every other edit.
 */
export class ReviewDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('aurelis');
  private readonly placed = new Map<string, Placed[]>();
  /** Per file: the report of the review its findings came from. */
  private readonly reports = new Map<string, string>();

  /** Replaces the file's findings (`reportKey`: the review report they came from). */
  set(doc: vscode.TextDocument, findings: readonly ShownFinding[], reportKey?: string): vscode.Diagnostic[] {
    const placed = findings.map((finding) => ({ finding, diagnostic: toDiagnostic(doc, finding) }));
    this.placed.set(doc.uri.toString(), placed);
    if (reportKey !== undefined) this.reports.set(doc.uri.toString(), reportKey);
    const diagnostics = placed.map((p) => p.diagnostic);
    this.collection.set(doc.uri, diagnostics);
    return diagnostics;
  }

  /** Removes the findings of one file, or of every file. Returns how many were removed. */
  clear(uri?: vscode.Uri): number {
    if (uri) {
      const count = this.placed.get(uri.toString())?.length ?? 0;
      this.placed.delete(uri.toString());
      this.reports.delete(uri.toString());
      this.collection.delete(uri);
      return count;
    }
    let count = 0;
    for (const list of this.placed.values()) count += list.length;
    this.placed.clear();
    this.reports.clear();
    this.collection.clear();
    return count;
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** The finding behind a diagnostic a code action was asked about (matched by range and message). */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): ShownFinding | undefined {
    return this.match(uri, diagnostic)?.finding;
  }

  /**
   * The edit a finding's suggestion makes, checked against the document as it is now: the lines
   * the finding quoted must still be there, unchanged, where the review found them.
   */
  async suggestionEdit(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<SuggestionEdit> {
    const hit = this.match(uri, diagnostic);
    const finding = hit?.finding;
    if (!finding) return { ok: false, reason: 'that finding is gone (the file was reviewed again, or its findings were cleared)' };
    if (finding.quickFix !== true || finding.suggestion === undefined || finding.anchor === undefined) return { ok: false, reason: 'that finding has no suggestion Aurelis can apply' };
    const doc = await vscode.workspace.openTextDocument(uri);
    const where = finding.startLine === finding.endLine ? `line ${finding.startLine}` : `lines ${finding.startLine}–${finding.endLine}`;
    if (finding.endLine > doc.lineCount) return { ok: false, reason: `${where} no longer exist` };
    const range = linesRange(doc, finding.startLine, finding.endLine);
    const now = doc.getText(range).replace(/\r\n/g, '\n');
    if (now !== finding.anchor.replace(/\r\n/g, '\n')) return { ok: false, reason: `${where} changed since the review` };
    const reportKey = this.reports.get(uri.toString());
    return { ok: true, range, replacement: fitReplacement(doc.getText(range), finding.suggestion), finding, ...(reportKey === undefined ? {} : { reportKey }) };
  }

  /** After a suggestion was applied: its finding goes, the findings below move by the lines it added or removed. */
  applied(uri: vscode.Uri, finding: ShownFinding, doc: vscode.TextDocument, replacement: string): void {
    const delta = replacement.split('\n').length - (finding.endLine - finding.startLine + 1);
    const remaining = (this.placed.get(uri.toString()) ?? [])
      .filter((p) => p.finding !== finding)
      .map((p) => (p.finding.startLine > finding.endLine ? { ...p.finding, startLine: p.finding.startLine + delta, endLine: p.finding.endLine + delta } : p.finding));
    this.set(doc, remaining);
  }

  dispose(): void {
    this.collection.dispose();
  }

  private match(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Placed | undefined {
    return this.placed.get(uri.toString())?.find((p) => p.diagnostic.range.isEqual(diagnostic.range) && p.diagnostic.message === diagnostic.message);
  }
}

function toDiagnostic(doc: vscode.TextDocument, f: ShownFinding): vscode.Diagnostic {
  const lines = linesRange(doc, f.startLine, f.endLine);
  const first = doc.lineAt(lines.start.line);
  // Underline from the first non-blank character, not the indentation.
  const range = new vscode.Range(lines.start.line, first.firstNonWhitespaceCharacterIndex, lines.end.line, lines.end.character);
  const d = new vscode.Diagnostic(range.isEmpty ? lines : range, f.message, SEVERITIES[f.severity]);
  d.source = REVIEW_SOURCE;
  d.code = f.category;
  return d;
}

/** Lines `start..end` (1-based, inclusive), clamped to the document. */
export function linesRange(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  const last = doc.lineCount - 1;
  const s = Math.min(Math.max(start - 1, 0), last);
  const e = Math.min(Math.max(end - 1, s), last);
  return new vscode.Range(s, 0, e, doc.lineAt(e).range.end.character);
}
