/**
 * Aurelis: Clear Team Cache — empties the team's cache level in Redis (every member's answers),
 * after a confirmation that names the team and the server, under a progress notification with
 * Cancel and a running count, and says how many answers it removed. This machine's own cache is
 * Clear Cache's business.
 */
import * as vscode from 'vscode';
import { formatBytes } from '../shared/format';
import type { TeamCacheCleared } from '../core/team/sharedCache';
import type { EditorParts } from './editorParts';
import { withCancel } from './progress';

export const CONFIRM = 'Clear Team Cache';

export async function clearTeamCache(parts: EditorParts): Promise<TeamCacheCleared | undefined> {
  const core = await parts.core();
  // Team mode off: the core's error says so (with Open Settings) before anything is asked.
  const { name, where } = core.team.describe();
  const answer = await vscode.window.showWarningMessage(
    `Clear the cache of team "${name}"?`,
    { modal: true, detail: `Every cached answer of the team in Redis at ${where} is removed, for every member of the team. This machine's own cache stays (Clear Cache empties it).` },
    CONFIRM,
  );
  if (answer !== CONFIRM) return undefined;
  const cleared = await withCancel(`clearing the cache of team "${name}"…`, (signal, report) =>
    core.team.clearCache((removed, left) => report.report({ message: `${removed} answer${removed === 1 ? '' : 's'} removed${left > 0 ? `, ${left} to go` : ''}` }), signal),
  );
  const size = formatBytes(cleared.bytes);
  parts.log.info(`Team cache of "${name}" cleared: ${cleared.entries} entries, ${cleared.bytes} bytes.`);
  void vscode.window.showInformationMessage(
    cleared.entries === 0
      ? `Aurelis: the cache of team "${name}" was already empty.`
      : `Aurelis: removed ${cleared.entries} cached answer${cleared.entries === 1 ? '' : 's'} (${size}) from the cache of team "${name}".`,
  );
  return cleared;
}
