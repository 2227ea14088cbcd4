import * as vscode from 'vscode';
import { fitReplacement } from '../core/tasks/codeOutput';
import type { ReviewFinding } from '../core/tasks/review';

export const REVIEW_SOURCE = 'Aurelis';

const SEVERITIES: Record<ReviewFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface Placed {
  finding: ReviewFinding;
  diagnostic: vscode.Diagnostic;
}

/**
 * Review findings as diagnostics (source "Aurelis") in the Problems panel. A new review of a
 * file replaces its previous findings. A finding with a suggested replacement can be applied
 * as a quick fix; applying one moves the findings below it by the lines it added or removed.
 */
export class ReviewDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('aurelis');
  private readonly placed = new Map<string, Placed[]>();

  /** Replaces the file's findings. */
  set(doc: vscode.TextDocument, findings: readonly ReviewFinding[]): vscode.Diagnostic[] {
    const placed = findings.map((finding) => ({ finding, diagnostic: toDiagnostic(doc, finding) }));
    this.placed.set(doc.uri.toString(), placed);
    const diagnostics = placed.map((p) => p.diagnostic);
    this.collection.set(doc.uri, diagnostics);
    return diagnostics;
  }

  /** Removes the findings of one file, or of every file. Returns how many were removed. */
  clear(uri?: vscode.Uri): number {
    if (uri) {
      const count = this.placed.get(uri.toString())?.length ?? 0;
      this.placed.delete(uri.toString());
      this.collection.delete(uri);
      return count;
    }
    let count = 0;
    for (const list of this.placed.values()) count += list.length;
    this.placed.clear();
    this.collection.clear();
    return count;
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** The finding behind a diagnostic a code action was asked about (matched by range and message). */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): ReviewFinding | undefined {
    return this.match(uri, diagnostic)?.finding;
  }

  /** Applies a finding's suggested replacement (one undo step) and removes the finding. */
  async applySuggestion(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<boolean> {
    const hit = this.match(uri, diagnostic);
    const suggestion = hit?.finding.suggestion;
    if (!hit || suggestion === undefined) return false;
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = linesRange(doc, hit.finding.startLine, hit.finding.endLine);
    const replacement = fitReplacement(doc.getText(range), suggestion);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, range, replacement);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    const delta = replacement.split('\n').length - (hit.finding.endLine - hit.finding.startLine + 1);
    const after = await vscode.workspace.openTextDocument(uri);
    const remaining = (this.placed.get(uri.toString()) ?? [])
      .filter((p) => p !== hit)
      .map((p) =>
        p.finding.startLine > hit.finding.endLine ? { ...p.finding, startLine: p.finding.startLine + delta, endLine: p.finding.endLine + delta } : p.finding,
      );
    this.set(after, remaining);
    return true;
  }

  dispose(): void {
    this.collection.dispose();
  }

  private match(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Placed | undefined {
    return this.placed.get(uri.toString())?.find((p) => p.diagnostic.range.isEqual(diagnostic.range) && p.diagnostic.message === diagnostic.message);
  }
}

function toDiagnostic(doc: vscode.TextDocument, f: ReviewFinding): vscode.Diagnostic {
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
