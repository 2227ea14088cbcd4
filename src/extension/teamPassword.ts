/**
 * The team's Redis password, kept in VS Code's secret storage (never in settings):
 * Aurelis: Set Team Redis Password stores it (an empty entry removes it) and reconnects.
 */
import * as vscode from 'vscode';
import type { EditorParts } from './editorParts';

const SECRET = 'aurelis.team.redisPassword';

export function teamPassword(context: vscode.ExtensionContext): Promise<string | undefined> {
  return Promise.resolve(context.secrets.get(SECRET));
}

export async function setTeamRedisPassword(parts: EditorParts): Promise<boolean> {
  const password = await vscode.window.showInputBox({
    title: 'Aurelis: Team Redis password',
    prompt: "The password of the Redis server in aurelis.team.redisUrl. It is kept in VS Code's secret storage, never in settings. Leave empty to remove it.",
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return false;
  if (password === '') await parts.context.secrets.delete(SECRET);
  else await parts.context.secrets.store(SECRET, password);
  parts.log.info(password === '' ? 'Team Redis password removed from secret storage.' : 'Team Redis password saved to secret storage.');
  await (await parts.core()).reconnectTeam();
  void vscode.window.showInformationMessage(password === '' ? 'Aurelis: team Redis password removed.' : 'Aurelis: team Redis password saved; reconnecting to the team.');
  return true;
}
