import type * as vscode from 'vscode';
import type { SettingProblem, Settings } from '../core/settings';
import type { AnalyticsPanelView } from './analytics/analyticsPanel';
import { openAnalyticsPanel } from './analytics/openPanel';
import type { BudgetStatusState } from './budgetStatusBar';
import type { EditorParts } from './editorParts';
import type { ProposalSummary } from './proposedChanges';
import type { SecretKeyStore } from './secretKeyStore';

/**
 * What other extensions — and the host tests — can reach through `extension.exports`.
 * Read-only views of state the user can also see; every action goes through a command.
 */
export interface AurelisApi {
  readonly keys: SecretKeyStore;
  /** The settings in effect (validated, defaults filled in). */
  settings(): Settings;
  /** Invalid settings that were replaced by their defaults. */
  settingProblems(): readonly SettingProblem[];
  /** Workspace values ignored because only the user's settings may set them. */
  ignoredWorkspaceSettings(): readonly string[];
  /** The budget indicator as shown in the status bar. */
  budgetStatus(): BudgetStatusState;
  /** Re-reads spend from the ledger into the indicator. */
  refreshBudgetStatus(): Promise<void>;
  /** Changes waiting in a diff for Accept or Reject. */
  proposals(): ProposalSummary[];
  /** The Markdown of an Aurelis view (explanation, review report, health check, analytics). */
  viewText(uri: string): string;
  /** Fires whenever an Aurelis view's text changes (each streamed chunk of an explanation). */
  readonly onDidChangeView: vscode.Event<vscode.Uri>;
  /** Requests in flight. */
  runningRequests(): number;
  /** The analytics panel, while it is open. */
  analyticsPanel(): AnalyticsPanelView | undefined;
}

export function publicApi(parts: EditorParts): AurelisApi {
  return {
    keys: parts.keys,
    settings: () => parts.settings.settings,
    settingProblems: () => parts.settings.problems,
    ignoredWorkspaceSettings: () => parts.settings.ignoredWorkspaceValues,
    budgetStatus: () => parts.status.state,
    refreshBudgetStatus: () => parts.status.refresh(),
    proposals: () => parts.proposals.pending(),
    viewText: (uri) => parts.views.textOf(uri),
    onDidChangeView: parts.views.onDidChange,
    runningRequests: () => parts.runner.inFlight,
    analyticsPanel: openAnalyticsPanel,
  };
}
