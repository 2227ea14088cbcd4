import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { parseSettings, type SettingProblem, type Settings } from '../core/settings';
import { ignoredWarning, mergeSetting, policyOf, type IgnoredWorkspaceValue } from '../core/settingsPolicy';
import { aurelisSettingsInWorkspaceFiles, watchWorkspaceSettingsFiles } from './workspaceSettingsFiles';

/** One `aurelis.*` setting as package.json contributes it. */
export interface ContributedSetting {
  /** Without the `aurelis.` prefix, e.g. `endpoints.openai`. */
  key: string;
  scope?: string;
}

/**
 * Reads `aurelis.*` into one validated Settings object, keeps it current without a reload,
 * and warns once about each invalid value (its default applies meanwhile).
 *
 * A repository's `.vscode/settings.json` is merged under the core's policy (settingsPolicy.ts):
 * where keys are sent is the user's alone (those settings are application-scoped, and read here
 * from the user and default levels only, so even a misplaced workspace value has no effect);
 * budgets and safety settings take a workspace value only when it is stricter; the rest (model
 * chains, retries, cache) follow the workspace. In Restricted Mode every setting is the user's.
 */
export class SettingsReader implements vscode.Disposable {
  private current: Settings;
  private currentProblems: SettingProblem[] = [];
  private ignored: IgnoredWorkspaceValue[] = [];
  /** `aurelis.*` names the workspace's settings files set, including those VS Code hides (application-scoped). */
  private inWorkspaceFiles = new Set<string>();
  /** Problems (and ignored workspace values) already shown, so each is shown once. */
  private readonly shown = new Set<string>();
  private readonly changed = new vscode.EventEmitter<Settings>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly contributed: readonly ContributedSetting[],
    private readonly log: Logger,
  ) {
    this.current = this.read();
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('aurelis')) {
          this.reload();
          void this.rescanWorkspaceFiles();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescanWorkspaceFiles()),
      watchWorkspaceSettingsFiles(() => void this.rescanWorkspaceFiles()),
      this.changed,
    ];
    void this.rescanWorkspaceFiles();
  }

  /** Re-reads the workspace's settings files, and the settings when what they set changed. */
  private async rescanWorkspaceFiles(): Promise<void> {
    const found = await aurelisSettingsInWorkspaceFiles();
    const same = found.size === this.inWorkspaceFiles.size && [...found].every((n) => this.inWorkspaceFiles.has(n));
    this.inWorkspaceFiles = found;
    if (!same) this.reload();
  }

  /** The settings package.json contributes, read from the extension's manifest. */
  static contributedBy(packageJson: unknown): ContributedSetting[] {
    const properties = (packageJson as { contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } } })?.contributes
      ?.configuration?.properties;
    return Object.entries(properties ?? {})
      .filter(([name]) => name.startsWith('aurelis.'))
      .map(([name, spec]) => ({ key: name.slice('aurelis.'.length), scope: spec.scope }));
  }

  get settings(): Settings {
    return this.current;
  }

  get problems(): readonly SettingProblem[] {
    return this.currentProblems;
  }

  /** Workspace values that were ignored: user-only settings, values looser than the user's, or Restricted Mode. */
  get ignoredWorkspaceValues(): readonly IgnoredWorkspaceValue[] {
    return this.ignored;
  }

  /** Shows the warnings for the current problems; called once at start and after every change. */
  warn(): void {
    const active = new Set<string>();
    for (const p of this.currentProblems) {
      const id = `problem:${p.setting}:${p.message}`;
      active.add(id);
      if (this.shown.has(id)) continue;
      this.shown.add(id);
      this.log.warn(`Setting ${p.setting} is invalid (${p.message}); its default is used.`);
      void vscode.window
        .showWarningMessage(`Aurelis: the setting ${p.setting} is invalid (${p.message}). Its default is used until you fix it.`, 'Open Settings')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', p.setting));
    }
    const fresh: IgnoredWorkspaceValue[] = [];
    for (const value of this.ignored) {
      const id = `ignored:${value.setting}:${value.reason}`;
      active.add(id);
      if (this.shown.has(id)) continue;
      this.shown.add(id);
      fresh.push(value);
      this.log.warn(`Ignoring the workspace value of ${value.setting}: ${ignoredReasonText(value, vscode.workspace.isTrusted)}.`);
    }
    if (fresh.length > 0) void vscode.window.showWarningMessage(ignoredWarning(fresh, vscode.workspace.isTrusted));
    // Forget problems that were fixed, so breaking the same setting again warns again.
    for (const id of [...this.shown]) if (!active.has(id)) this.shown.delete(id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private reload(): void {
    this.current = this.read();
    this.warn();
    this.changed.fire(this.current);
  }

  private read(): Settings {
    const config = vscode.workspace.getConfiguration('aurelis');
    const trusted = vscode.workspace.isTrusted;
    const raw: Record<string, unknown> = {};
    const ignored: IgnoredWorkspaceValue[] = [];
    for (const { key, scope } of this.contributed) {
      const policy = trusted ? policyOf(key, scope) : 'user-only';
      let value: unknown;
      if (policy === 'free') {
        // `get` keeps VS Code's own merging (object values combine across levels).
        value = config.get(key);
      } else {
        const seen = config.inspect(key);
        const merged = mergeSetting(key, policy, {
          user: seen?.globalValue ?? seen?.defaultValue,
          workspace: [seen?.workspaceValue, seen?.workspaceFolderValue],
        });
        value = merged.value;
        const hiddenByVsCode = policy === 'user-only' && this.inWorkspaceFiles.has(`aurelis.${key}`);
        const reason = merged.ignored ?? (hiddenByVsCode ? 'user-only' : undefined);
        if (reason) ignored.push({ setting: `aurelis.${key}`, reason });
      }
      // Configuration values are read-only proxies; the core gets plain copies.
      if (isSet(value)) setPath(raw, key.split('.'), JSON.parse(JSON.stringify(value)) as unknown);
    }
    const { settings, problems } = parseSettings(raw);
    this.currentProblems = problems;
    this.ignored = ignored;
    return settings;
  }
}

function ignoredReasonText({ reason }: IgnoredWorkspaceValue, trusted: boolean): string {
  if (!trusted) return 'this workspace is in Restricted Mode';
  if (reason === 'user-only') return 'only your user settings may set it';
  if (reason === 'invalid') return 'it is not a valid value';
  return 'it is looser than your own setting, and a workspace may only make it stricter';
}

/** `null` and `""` are how package.json says "not set" for settings without a default. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function setPath(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[part] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}
