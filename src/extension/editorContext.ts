import * as vscode from 'vscode';
import { assertSendable, assertText, type CodeContext, type ContextDiagnostic, type InsertionContext } from '../core/tasks/codeContext';

/** How far around the code diagnostics still count as "nearby". */
const NEARBY_LINES = 3;
const MAX_DIAGNOSTICS = 20;
/** Lines of surrounding code a generation at the cursor sees on each side. */
const INSERTION_WINDOW = 60;

/** Symbol kinds that make a sensible unit to explain or rewrite when nothing is selected. */
const FUNCTION_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);
const TYPE_KINDS = new Set([vscode.SymbolKind.Class, vscode.SymbolKind.Interface, vscode.SymbolKind.Struct, vscode.SymbolKind.Enum]);

export type Scope = 'selection' | 'symbol' | 'file';

export interface EditorCode {
  context: CodeContext;
  /** The range of the document `context.code` came from (what an edit replaces). */
  range: vscode.Range;
  scope: Scope;
}

/**
 * The code a command works on: the selection; else, when `fallback` is 'symbol', the function
 * (or type) around the cursor as the document symbol provider reports it; else the whole file.
 * Refuses binary content and code over `maxKB` with a message that says the limit.
 */
export async function editorCode(editor: vscode.TextEditor, options: { fallback: 'symbol' | 'file'; maxKB: number }): Promise<EditorCode> {
  const doc = editor.document;
  let range: vscode.Range;
  let scope: Scope;
  let scopeLabel: string;
  if (!editor.selection.isEmpty) {
    range = editor.selection;
    scope = 'selection';
    scopeLabel = 'the selected code';
  } else {
    const symbol = options.fallback === 'symbol' ? await enclosingSymbol(doc, editor.selection.active) : undefined;
    if (symbol) {
      range = fullLines(doc, symbol.range);
      scope = 'symbol';
      scopeLabel = symbolLabel(symbol);
    } else {
      range = fullLines(doc, new vscode.Range(0, 0, doc.lineCount - 1, 0));
      scope = 'file';
      scopeLabel = 'the whole file';
    }
  }
  const code = doc.getText(range);
  const name = relativePath(doc.uri);
  assertText(doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount - 1, 200), 0)), name);
  assertSendable(code, scope === 'file' ? name : `The ${scope === 'symbol' ? scopeLabel.replace(/`/g, '') : 'selection'} in ${name}`, options.maxKB);
  return codeOf(doc, name, code, range, scope, scopeLabel, nearbyDiagnostics(doc.uri, range));
}

/** The code before and after the cursor, for generating new code there. */
export function insertionContext(editor: vscode.TextEditor, maxKB: number): InsertionContext {
  const doc = editor.document;
  const at = editor.selection.active;
  const before = doc.getText(new vscode.Range(Math.max(0, at.line - INSERTION_WINDOW), 0, at.line, at.character));
  const after = doc.getText(new vscode.Range(at, doc.lineAt(Math.min(doc.lineCount - 1, at.line + INSERTION_WINDOW)).range.end));
  const name = relativePath(doc.uri);
  assertSendable(before + after, name, maxKB);
  return { language: doc.languageId, path: name, before, after };
}

/** The code around one diagnostic, for Fix: its enclosing symbol, or a window of lines around it. */
export async function codeAroundDiagnostic(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic, maxKB: number): Promise<EditorCode> {
  const symbol = await enclosingSymbol(doc, diagnostic.range.start);
  const range = symbol
    ? fullLines(doc, symbol.range.union(diagnostic.range))
    : fullLines(doc, new vscode.Range(Math.max(0, diagnostic.range.start.line - 10), 0, Math.min(doc.lineCount - 1, diagnostic.range.end.line + 10), 0));
  const code = doc.getText(range);
  const name = relativePath(doc.uri);
  assertSendable(code, name, maxKB);
  return codeOf(doc, name, code, range, symbol ? 'symbol' : 'file', symbol ? symbolLabel(symbol) : 'the lines around the problem', []);
}

function codeOf(doc: vscode.TextDocument, name: string, code: string, range: vscode.Range, scope: Scope, scopeLabel: string, diagnostics: ContextDiagnostic[]): EditorCode {
  return { context: { language: doc.languageId, path: name, code, firstLine: range.start.line + 1, scope: scopeLabel, diagnostics }, range, scope };
}

/** "function `parse`", as the prompt and messages name the code sent. */
function symbolLabel(symbol: FoundSymbol): string {
  return `${vscode.SymbolKind[symbol.kind].toLowerCase()} \`${symbol.name}\``;
}

export function toContextDiagnostic(d: vscode.Diagnostic): ContextDiagnostic {
  return {
    line: d.range.start.line + 1,
    severity: (['error', 'warning', 'info', 'hint'] as const)[d.severity] ?? 'info',
    source: d.source,
    message: d.message,
  };
}

/** Paths in prompts are relative to the workspace, never absolute. */
export function relativePath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.path;
  const rel = vscode.workspace.asRelativePath(uri, false);
  return rel === uri.fsPath ? uri.path.split('/').pop() || rel : rel;
}

function nearbyDiagnostics(uri: vscode.Uri, range: vscode.Range): ContextDiagnostic[] {
  const from = range.start.line - NEARBY_LINES;
  const to = range.end.line + NEARBY_LINES;
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source !== 'Aurelis' && d.range.end.line >= from && d.range.start.line <= to)
    .sort((a, b) => a.severity - b.severity || a.range.start.line - b.range.start.line)
    .slice(0, MAX_DIAGNOSTICS)
    .map(toContextDiagnostic);
}

/** Whole lines covering `range` (an edit then replaces complete lines). */
function fullLines(doc: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const last = Math.min(range.end.line, doc.lineCount - 1);
  return new vscode.Range(range.start.line, 0, last, doc.lineAt(last).range.end.character);
}

interface FoundSymbol {
  name: string;
  kind: vscode.SymbolKind;
  range: vscode.Range;
}

/** The innermost function around `position` (or, failing that, the innermost type). */
export async function enclosingSymbol(doc: vscode.TextDocument, position: vscode.Position): Promise<FoundSymbol | undefined> {
  let symbols: Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined;
  try {
    symbols = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
  } catch {
    return undefined;
  }
  const flat: FoundSymbol[] = [];
  const walk = (list: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]) => {
    for (const s of list) {
      if ('children' in s) {
        flat.push({ name: s.name, kind: s.kind, range: s.range });
        walk(s.children);
      } else {
        flat.push({ name: s.name, kind: s.kind, range: s.location.range });
      }
    }
  };
  walk(symbols ?? []);
  const around = flat.filter((s) => s.range.contains(position));
  const innermost = (kinds: Set<vscode.SymbolKind>) =>
    around.filter((s) => kinds.has(s.kind)).sort((a, b) => b.range.start.compareTo(a.range.start))[0];
  return innermost(FUNCTION_KINDS) ?? innermost(TYPE_KINDS);
}
