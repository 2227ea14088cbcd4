/**
 * Team mode's editor side: the Redis password from secret storage, the notices shown when Redis
 * goes away or comes back, and the team's budget figures for the status bar.
 */
import * as vscode from 'vscode';
import type { Core, CoreDeps } from '../core/composition';
import type { Settings } from '../core/settings';
import type { SpendFigures } from './budgetStatusBar';
import { teamPassword } from './teamPassword';
import { fromAurelis } from './fromAurelis';

export function teamHost(context: vscode.ExtensionContext): NonNullable<CoreDeps['team']> {
  return {
    password: () => teamPassword(context),
    onNotice: (notice) => {
      if (notice.kind === 'team_down') void vscode.window.showWarningMessage(fromAurelis(notice.message));
      else void vscode.window.showInformationMessage(fromAurelis(notice.message));
    },
  };
}

/** The team's budgets, when team mode has team budgets and Redis answers; nothing otherwise. */
export async function teamFigures(core: Pick<Core, 'team' | 'budget'>, settings: () => Settings): Promise<Pick<SpendFigures, 'team'>> {
  const budgets = core.team.enabled ? await core.budget.figures() : undefined;
  return budgets ? { team: { name: settings().team.name, budgets } } : {};
}
