import * as vscode from 'vscode';
import { AurelisError } from '../../core/errors';
import { answerOf } from '../../core/tasks/answers/cutOff';
import { insertionFor, replacementFor } from '../../core/tasks/answers/proposedEdit';
import { fixRequest, insertionRequest, rewriteRequest } from '../../core/tasks/requests';
import type { SentRedactions, TaskRequest } from '../../core/types';
import { codeAroundDiagnostic, editorCode, insertionContext, toContextDiagnostic, type EditorCode } from '../editorContext';
import type { EditorParts } from '../editorParts';
import type { ProposalSummary } from '../proposedChanges';
import { targetEditor } from './activeEditor';
import { askInstruction } from './instructionHistory';

/** What an edit command did: proposed a change (see the diff), or found nothing to change. */
export type EditOutcome = { kind: 'proposed'; proposal: ProposalSummary } | { kind: 'unchanged' };

/** Aurelis: Optimize — a faster version of the selection (or the function around the cursor), as a diff to accept. */
export async function optimize(parts: EditorParts): Promise<EditOutcome> {
  const editor = targetEditor('Aurelis: Optimize');
  const code = await editorCode(editor, { fallback: 'symbol', maxKB: parts.settings.settings.security.maxFileKB });
  return proposeRewrite(parts, editor.document, code, 'Optimize', rewriteRequest('optimize', code.context));
}

/** Aurelis: Document — documentation comments in the language's conventions, as a diff to accept. */
export async function document(parts: EditorParts): Promise<EditOutcome> {
  const editor = targetEditor('Aurelis: Document');
  const code = await editorCode(editor, { fallback: 'symbol', maxKB: parts.settings.settings.security.maxFileKB });
  return proposeRewrite(parts, editor.document, code, 'Document', rewriteRequest('document', code.context));
}

/** Where Fix was invoked from: the light bulb passes the diagnostic; the palette uses the cursor. */
export interface FixTarget {
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
}

/** Aurelis: Fix — fixes the problem under the cursor (from any source), as a diff to accept. */
export async function fix(parts: EditorParts, target?: FixTarget): Promise<EditOutcome> {
  const editor = target ? undefined : targetEditor('Aurelis: Fix');
  const doc = editor?.document ?? (await vscode.workspace.openTextDocument((target as FixTarget).uri));
  const diagnostic = target?.diagnostic ?? diagnosticAtCursor(editor as vscode.TextEditor);
  const code = await codeAroundDiagnostic(doc, diagnostic, parts.settings.settings.security.maxFileKB);
  const others = vscode.languages
    .getDiagnostics(doc.uri)
    // The light bulb hands over a copy of the diagnostic, so "the same problem" is compared by what it says and where.
    .filter((d) => !sameDiagnostic(d, diagnostic) && code.range.contains(d.range) && d.range.start.line === diagnostic.range.start.line);
  const request = fixRequest(code.context, [diagnostic, ...others].map(toContextDiagnostic));
  return proposeRewrite(parts, doc, code, 'Fix', request);
}

export interface GenerateArgs {
  /** What to write; asked for (with history) when absent. */
  instruction?: string;
}

/**
 * Aurelis: Generate — writes code from an instruction. With a selection the result replaces it;
 * without one it goes in at the cursor. Either way it is shown as a diff to accept first.
 */
export async function generate(parts: EditorParts, args?: GenerateArgs): Promise<EditOutcome | undefined> {
  const editor = targetEditor('Aurelis: Generate');
  const instruction = args?.instruction ?? (await askInstruction(parts.context.globalState));
  if (!instruction) return undefined;
  const maxKB = parts.settings.settings.security.maxFileKB;
  if (!editor.selection.isEmpty) {
    const code = await editorCode(editor, { fallback: 'file', maxKB });
    return proposeRewrite(parts, editor.document, code, 'Generate', rewriteRequest('generate', code.context, instruction));
  }
  const doc = editor.document;
  const position = editor.selection.active;
  const context = insertionContext(editor, maxKB);
  const line = doc.lineAt(position.line);
  const indent = line.text.slice(0, Math.min(position.character, line.firstNonWhitespaceCharacterIndex));
  return proposeInsertion(parts, doc, position, instruction, insertionRequest(context, instruction), { before: context.before, after: context.after }, indent);
}

async function proposeInsertion(
  parts: EditorParts,
  doc: vscode.TextDocument,
  position: vscode.Position,
  instruction: string,
  request: TaskRequest,
  around: { before: string; after: string },
  indent: string,
): Promise<EditOutcome> {
  let redactions: SentRedactions | undefined;
  const text = (answer: Parameters<typeof insertionFor>[0]) => insertionFor(answer, doc.languageId, around, indent, redactions);
  const result = await parts.runner.run('Generating code…', request, {
    onRedactions: (r) => (redactions = r),
    usable: (answer) => succeeds(() => text(answer)),
  });
  const proposal = await parts.proposals.propose({
    kind: 'edit',
    title: 'Generate',
    document: doc,
    range: new vscode.Range(position, position),
    replacement: text(answerOf(result)),
    regenerate: () => proposeInsertion(parts, doc, position, instruction, request, around, indent),
  });
  return { kind: 'proposed', proposal };
}

async function proposeRewrite(parts: EditorParts, doc: vscode.TextDocument, code: EditorCode, title: string, request: TaskRequest): Promise<EditOutcome> {
  let redactions: SentRedactions | undefined;
  const original = code.context.code;
  const replacement = (answer: Parameters<typeof replacementFor>[0]) => replacementFor(answer, original, code.context.language, redactions);
  const result = await parts.runner.run(`${title}: ${code.context.path}…`, request, {
    onRedactions: (r) => (redactions = r),
    usable: (answer) => succeeds(() => replacement(answer)),
  });
  const text = replacement(answerOf(result));
  if (text === original) {
    void vscode.window.showInformationMessage(`Aurelis (${title}): the model suggests no change to ${code.context.scope}.`);
    return { kind: 'unchanged' };
  }
  const proposal = await parts.proposals.propose({
    kind: 'edit',
    title,
    document: doc,
    range: code.range,
    replacement: text,
    regenerate: () => proposeRewrite(parts, doc, code, title, request),
  });
  return { kind: 'proposed', proposal };
}

/** Whether reading the answer works: what makes an answer worth caching. */
export function succeeds(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}

function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return a.range.isEqual(b.range) && a.message === b.message && a.source === b.source && a.severity === b.severity;
}

function diagnosticAtCursor(editor: vscode.TextEditor): vscode.Diagnostic {
  const at = editor.selection.active;
  const all = vscode.languages.getDiagnostics(editor.document.uri);
  const found = all.find((d) => d.range.contains(at)) ?? all.find((d) => d.range.start.line <= at.line && d.range.end.line >= at.line);
  if (!found) {
    throw new AurelisError('bad_request', 'There is no problem under the cursor to fix. Put the cursor on a squiggle (or use the light bulb) and run Aurelis: Fix again.', {
      nextSteps: [],
    });
  }
  return found;
}
