import type * as vscode from 'vscode';
import type { SettingProblem, Settings } from '../core/settings';
import type { AnalyticsPanelView } from './analytics/analyticsPanel';
import { openAnalyticsPanel } from './analytics/openPanel';
import type { StatusLevel } from './budgetStatusBar';
import type { EditorParts } from './editorParts';
import type { ProposalSummary } from './proposedChanges';
import type { SecretKeyStore } from './secretKeyStore';

/**
 * What every installed extension gets from
 * `vscode.extensions.getExtension('aurelis-dev.aurelis').exports`.
 *
 * Extensions share one extension host, so anything reachable from this object is reachable by
 * all of them. The promise: **no path to a secret, and no way to act with the user's key.**
 * Nothing here returns a key, a header value, a connection, a settings object (endpoints and
 * custom headers can carry credentials), a function that sends a request, or a live internal
 * object whose properties lead to one. Each member is a plain function over a closure that
 * returns a fresh, frozen copy of figures the user can already see in the status bar; the
 * object itself is frozen, so no extension can swap a member for another extension to call.
 * Everything that acts — requests, keys, provider choice — is a command, which goes through the
 * user's own UI (a quick pick, a masked input box, a confirmation) and hands back only plain
 * copies (see `commandTable.ts`).
 */
export interface AurelisApi {
  /** The shape of this object; raised only when a member changes meaning. Safe: a constant. */
  readonly apiVersion: 1;
  /**
   * The budget indicator as the status bar shows it: its text (today's spend and budget), the
   * tooltip's figures and the warning level. Safe: what the status bar already shows anyone
   * looking at the window, copied, with no reference back to Aurelis.
   */
  budgetStatus(): BudgetStatusView;
  /** How many Aurelis requests are in flight. Safe: a number. */
  runningRequests(): number;
}

/** The status bar's budget indicator, as plain values. */
export interface BudgetStatusView {
  readonly text: string;
  readonly tooltip: string;
  readonly level: StatusLevel;
  readonly running: number;
}

/**
 * Probes for the host tests: handed out only when VS Code runs Aurelis in Test mode (the host
 * runner loads the tests with `extensionTestsPath`). An installed Aurelis — Production mode —
 * never returns them; the packaged-extension test checks that.
 */
export interface AurelisTestApi extends AurelisApi {
  readonly keys: SecretKeyStore;
  /** Resolves once the settings have been read for the first time (that happens just after activation). */
  settingsRead(): Promise<void>;
  /** The settings in effect (validated, defaults filled in); only after `settingsRead()`. */
  settings(): Settings;
  /** Invalid settings that were replaced by their defaults. */
  settingProblems(): readonly SettingProblem[];
  /** Names of the workspace values ignored (user-only, looser than the user's, or Restricted Mode). */
  ignoredWorkspaceSettings(): readonly string[];
  /** The budget indicator with its colour and click command. */
  budgetStatus(): BudgetStatusView & { background: string | undefined; command: string | undefined };
  /** Re-reads spend from the ledger into the indicator. */
  refreshBudgetStatus(): Promise<void>;
  /** Changes waiting in a diff for Accept or Reject. */
  proposals(): ProposalSummary[];
  /** The Markdown of an Aurelis view (explanation, review report, health check, analytics). */
  viewText(uri: string): string;
  /** Fires whenever an Aurelis view's text changes (each streamed chunk of an explanation). */
  readonly onDidChangeView: vscode.Event<vscode.Uri>;
  /** The analytics panel, while it is open. */
  analyticsPanel(): AnalyticsPanelView | undefined;
}

/** Names of the members only the Test-mode API has (the packaged-extension test looks for each). */
export const TEST_PROBES = [
  'keys',
  'settingsRead',
  'settings',
  'settingProblems',
  'ignoredWorkspaceSettings',
  'refreshBudgetStatus',
  'proposals',
  'viewText',
  'onDidChangeView',
  'analyticsPanel',
] as const satisfies readonly (keyof AurelisTestApi)[];

export function publicApi(parts: EditorParts, testMode: boolean): AurelisApi {
  const product: AurelisApi = {
    apiVersion: 1,
    budgetStatus: () => {
      const { text, tooltip, level, running } = parts.status.state;
      return Object.freeze({ text, tooltip, level, running });
    },
    runningRequests: () => parts.runner.inFlight,
  };
  if (!testMode) return Object.freeze(product);
  const probes: AurelisTestApi = {
    ...product,
    budgetStatus: () => ({ ...parts.status.state }),
    keys: parts.keys,
    settingsRead: () => parts.settings.ready(),
    settings: () => parts.settings.settings,
    settingProblems: () => parts.settings.problems,
    ignoredWorkspaceSettings: () => parts.settings.ignoredWorkspaceValues.map((v) => v.setting),
    refreshBudgetStatus: () => parts.status.refresh(),
    proposals: () => parts.proposals.pending(),
    viewText: (uri) => parts.views.textOf(uri),
    onDidChangeView: parts.views.onDidChange,
    analyticsPanel: openAnalyticsPanel,
  };
  return probes;
}
