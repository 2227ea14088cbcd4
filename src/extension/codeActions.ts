import * as vscode from 'vscode';
import { isUserCode } from './commands/activeEditor';
import { REVIEW_SOURCE, type ReviewDiagnostics } from './reviewDiagnostics';

const AURELIS_REFACTOR = vscode.CodeActionKind.Refactor.append('aurelis');
const AURELIS_FIX = vscode.CodeActionKind.QuickFix.append('aurelis');

/** Selection actions, in the order the light bulb lists them. */
const SELECTION_ACTIONS: ReadonlyArray<{ command: string; title: string }> = [
  { command: 'aurelis.explain', title: 'Explain with Aurelis' },
  { command: 'aurelis.review', title: 'Review with Aurelis' },
  { command: 'aurelis.optimize', title: 'Optimize with Aurelis' },
  { command: 'aurelis.document', title: 'Document with Aurelis' },
  { command: 'aurelis.generateTests', title: 'Generate Tests with Aurelis' },
];

/**
 * Aurelis in the light bulb, for every language: refactor actions on a selection, "Fix with
 * Aurelis" for each diagnostic under the cursor (any source), and "Apply Aurelis suggestion"
 * for review findings whose replacement fits exactly the lines they quoted (never for a finding
 * placed only by a line number).
 */
export class AurelisCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [AURELIS_REFACTOR, AURELIS_FIX] };

  constructor(private readonly findings: ReviewDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    // Not in Aurelis' own diffs and views, output channels or settings editors.
    if (!isUserCode(document.uri)) return actions;
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.intersects(kind);

    if (wants(AURELIS_FIX)) {
      for (const diagnostic of context.diagnostics) {
        const finding = diagnostic.source === REVIEW_SOURCE ? this.findings.findingFor(document.uri, diagnostic) : undefined;
        if (finding?.quickFix === true) {
          const apply = new vscode.CodeAction('Apply Aurelis suggestion', AURELIS_FIX);
          apply.diagnostics = [diagnostic];
          apply.isPreferred = true;
          apply.command = { command: 'aurelis.applySuggestion', title: 'Apply Aurelis suggestion', arguments: [document.uri, diagnostic] };
          actions.push(apply);
        }
        const fix = new vscode.CodeAction(`Fix with Aurelis: ${shorten(diagnostic.message)}`, AURELIS_FIX);
        fix.diagnostics = [diagnostic];
        fix.command = { command: 'aurelis.fix', title: 'Fix with Aurelis', arguments: [{ uri: document.uri, diagnostic }] };
        actions.push(fix);
      }
    }

    if (wants(AURELIS_REFACTOR) && !range.isEmpty) {
      for (const a of SELECTION_ACTIONS) {
        const action = new vscode.CodeAction(a.title, AURELIS_REFACTOR);
        action.command = { command: a.command, title: a.title };
        actions.push(action);
      }
    }
    return actions;
  }
}

function shorten(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
