import * as vscode from 'vscode';
import { AurelisError } from '../../core/errors';

/** Documents that are not the user's code: Aurelis' own views, output channels, internal editors. */
const NOT_CODE = /^(aurelis-view|aurelis-proposal|output|debug|git|walkThrough\w*|vscode-\w+)$/;

/**
 * The editor a command works on: the active one, or — when focus is in a preview or panel
 * (an explanation beside the code, for instance) — the text editor still visible next to it.
 */
export function targetEditor(action: string): vscode.TextEditor {
  const candidates = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  const editor = candidates.find((e) => e !== undefined && !NOT_CODE.test(e.document.uri.scheme));
  if (!editor) {
    throw new AurelisError('bad_request', `Open a file in the editor first, then run ${action} again.`, { nextSteps: [] });
  }
  return editor;
}
