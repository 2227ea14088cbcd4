import * as vscode from 'vscode';
import { AurelisError } from '../../core/errors';

/**
 * Documents that are not the user's code: Aurelis' own views and diffs, output channels, VS Code's
 * internal editors. Virtual workspaces (`vscode-vfs`), remote files and notebook cells are code.
 */
const NOT_CODE = /^(aurelis-view|aurelis-proposal|output|debug|git|walkThrough\w*|vscode-(?!vfs$|remote$|notebook-cell$)[\w-]+)$/;

/** Whether a document is the user's code (and so something Aurelis commands may work on). */
export function isUserCode(uri: vscode.Uri): boolean {
  return !NOT_CODE.test(uri.scheme);
}

/**
 * The editor a command works on: the active one, or — when focus is in a preview or panel
 * (an explanation beside the code, for instance) — the text editor still visible next to it.
 */
export function targetEditor(action: string): vscode.TextEditor {
  const candidates = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  const editor = candidates.find((e) => e !== undefined && isUserCode(e.document.uri));
  if (!editor) {
    throw new AurelisError('bad_request', `Open a file in the editor first, then run ${action} again.`, { nextSteps: [] });
  }
  return editor;
}
