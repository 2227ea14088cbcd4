import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { parseSettings, type SettingProblem, type Settings } from '../core/settings';
import { ignoredWarning, mergeSetting, policyOf, type IgnoredWorkspaceValue } from '../core/settingsPolicy';
import { readWorkspaceProjectFiles, watchProjectFiles, type FolderRules } from './projectFileRules';
import { aurelisSettingsInWorkspaceFiles, watchWorkspaceSettingsFiles } from './workspaceSettingsFiles';
import { fromAurelis } from './fromAurelis';

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
 * A repository's `.aurelis.yaml` goes through the same merge, after the settings files: it may
 * only tighten (budgets, the secret scan, an allow-list of models), and what it tries to loosen,
 * or to set where requests go, is named like any other ignored workspace value.
 */
export class SettingsReader implements vscode.Disposable {
  private current: Settings;
  private currentProblems: SettingProblem[] = [];
  private ignored: IgnoredWorkspaceValue[] = [];
  /** `aurelis.*` names the workspace's settings files set, including those VS Code hides (application-scoped). */
  private inWorkspaceFiles = new Set<string>();
  /** Each workspace folder's `.aurelis.yaml`, as last read. */
  private projectFiles: FolderRules[] = [];
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
      watchProjectFiles(() => void this.rescanWorkspaceFiles()),
      this.changed,
    ];
    void this.rescanWorkspaceFiles();
  }

  /** Re-reads the workspace's settings files, and the settings when what they set changed. */
  private async rescanWorkspaceFiles(): Promise<void> {
    const [found, projectFiles] = await Promise.all([aurelisSettingsInWorkspaceFiles(), readWorkspaceProjectFiles()]);
    const same = found.size === this.inWorkspaceFiles.size && [...found].every((n) => this.inWorkspaceFiles.has(n));
    const sameProject = JSON.stringify(projectFiles.map((p) => [p.file.toString(), p.rules])) === JSON.stringify(this.projectFiles.map((p) => [p.file.toString(), p.rules]));
    this.inWorkspaceFiles = found;
    this.projectFiles = projectFiles;
    if (!same || !sameProject) this.reload();
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

  /** Each workspace folder's `.aurelis.yaml` (standards, tightening values, problems), as last read. */
  get projectFileRules(): readonly FolderRules[] {
    return this.projectFiles;
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
    for (const { file, rules } of this.projectFiles) {
      for (const problem of rules.problems) {
        const id = `project:${problem}`;
        active.add(id);
        if (this.shown.has(id)) continue;
        this.shown.add(id);
        this.log.warn(problem);
        void vscode.window.showWarningMessage(fromAurelis(problem), 'Open .aurelis.yaml').then((choice) => choice && vscode.window.showTextDocument(file));
      }
    }
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

  /** A setting's value after each `.aurelis.yaml` had its (tighten-only) say. */
  private tightenFromProjectFiles(key: string, value: unknown, trusted: boolean, ignored: IgnoredWorkspaceValue[]): unknown {
    let current = value;
    for (const { rules } of this.projectFiles) {
      if (!Object.hasOwn(rules.tightening, key)) continue;
      const asked = rules.tightening[key] as { value: unknown; key: string };
      const setting = `${asked.key} in .aurelis.yaml`;
      if (!trusted) {
        ignored.push({ setting, reason: 'user-only' });
        continue;
      }
      const merged = mergeSetting(key, 'tighten-only', { user: current, workspace: [asked.value] });
      current = merged.value;
      if (merged.ignored) ignored.push({ setting, reason: merged.ignored });
    }
    return current;
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
      value = this.tightenFromProjectFiles(key, value, trusted, ignored);
      // Configuration values are read-only proxies; the core gets plain copies.
      if (isSet(value)) setPath(raw, key.split('.'), JSON.parse(JSON.stringify(value)) as unknown);
    }
    for (const { rules } of this.projectFiles) for (const key of rules.userOnly) ignored.push({ setting: `${key} in .aurelis.yaml`, reason: 'user-only' });
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
