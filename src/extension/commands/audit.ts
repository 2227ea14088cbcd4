/**
 * Aurelis: Open Audit Log / Export Audit Log — what an administrator reads to see where code
 * went: one JSON line per request and per security event (see the README's audit section).
 */
import * as vscode from 'vscode';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { AurelisError } from '../../core/errors';
import type { EditorParts } from '../editorParts';
import { errorMessage } from '../../shared/errorMessage';

/** Opens the file new audit lines go to (today's newest). */
export async function openAuditLog(parts: EditorParts): Promise<string | undefined> {
  const audit = (await parts.core()).audit;
  await audit.flush();
  const file = await audit.currentFile();
  if (!file) {
    void vscode.window.showInformationMessage('Aurelis: the audit log is empty — nothing has been sent or changed yet.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document, { preview: false });
  return file;
}

export interface AuditExportOutcome {
  uri?: vscode.Uri;
  lines: number;
  skipped: number;
}

/**
 * Writes every audit line (all days kept, oldest first) into one JSON Lines file chosen in the
 * save dialog — or at `target` (a path or URI string) for automation, without a dialog.
 */
export async function exportAuditLog(parts: EditorParts, target?: unknown): Promise<AuditExportOutcome> {
  if (target !== undefined && typeof target !== 'string' && !(target instanceof vscode.Uri)) {
    throw new AurelisError('bad_request', 'Aurelis: Export Audit Log was given an invalid target: pass a file path or URI, or run the command from the Command Palette.', { nextSteps: [] });
  }
  const uri =
    typeof target === 'string'
      ? target.includes('://') ? vscode.Uri.parse(target) : vscode.Uri.file(target)
      : (target ??
        (await vscode.window.showSaveDialog({
          title: 'Export the Aurelis audit log',
          saveLabel: 'Export',
          defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()), `aurelis-audit-${new Date().toISOString().slice(0, 10)}.jsonl`),
          filters: { 'JSON Lines': ['jsonl'] },
        })));
  if (!uri) return { lines: 0, skipped: 0 };
  const audit = (await parts.core()).audit;
  await audit.flush();
  // The core writes to a local path; copying through VS Code's file system reaches any folder the dialog offers.
  const staging = await mkdtemp(path.join(tmpdir(), 'aurelis-audit-'));
  try {
    const file = path.join(staging, 'audit.jsonl');
    const result = await audit.exportTo(file);
    try {
      await vscode.workspace.fs.copy(vscode.Uri.file(file), uri, { overwrite: true });
    } catch (e) {
      const reason = errorMessage(e);
      throw new AurelisError('unavailable', `Could not write ${uri.fsPath || uri.toString()} (${reason}). Choose a folder you can write to and export again.`, { nextSteps: ['viewLog'], cause: e });
    }
    const skipped = result.skipped > 0 ? ` ${result.skipped} damaged line${result.skipped === 1 ? ' was' : 's were'} left out (see the log).` : '';
    if (result.skipped > 0) parts.log.warn(`Audit export: ${result.skipped} line(s) were not valid audit lines and were left out.`);
    parts.log.info(`Audit log exported: ${result.lines} lines from ${result.files} file(s) to ${uri.toString()}.`);
    void vscode.window.showInformationMessage(`Aurelis: exported ${result.lines} audit line${result.lines === 1 ? '' : 's'} to ${path.basename(uri.path)}.${skipped}`);
    return { uri, lines: result.lines, skipped: result.skipped };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
