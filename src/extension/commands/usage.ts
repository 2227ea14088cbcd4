import * as vscode from 'vscode';
import { formatBytes } from '../../shared/format';
import type { EditorParts } from '../editorParts';

/** Aurelis: Clear Cache — empties the response cache (memory and disk) and says how much it removed. */
export async function clearCache(parts: EditorParts): Promise<{ entries: number; bytes: number }> {
  const core = await parts.core();
  const cleared = await core.clearCache();
  const size = formatBytes(cleared.bytes);
  parts.log.info(`Cache cleared: ${cleared.entries} entries, ${cleared.bytes} bytes.`);
  void vscode.window.showInformationMessage(
    cleared.entries === 0 ? 'Aurelis: the response cache was already empty.' : `Aurelis: removed ${cleared.entries} cached answer${cleared.entries === 1 ? '' : 's'} (${size}).`,
  );
  return cleared;
}

/** Aurelis: Cancel Running Requests — aborts every request in flight. */
export function cancelRequests(parts: EditorParts): number {
  const count = parts.runner.cancelAll();
  if (count === 0) void vscode.window.showInformationMessage('Aurelis: no request is running.');
  return count;
}
