import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import type { SettingProblem, Settings } from '../core/settings';
import type { IgnoredWorkspaceValue } from '../core/settingsPolicy';
import { readWorkspaceProjectFiles, watchProjectFiles, type FolderRules } from './projectFileRules';
import { aurelisSettingsInWorkspaceFiles, watchWorkspaceSettingsFiles } from './workspaceSettingsFiles';
import { fromAurelis } from './fromAurelis';
import type * as SettingsRead from './settingsRead';

/** One `aurelis.*` setting as package.json contributes it. */
export interface ContributedSetting {
  /** Without the `aurelis.` prefix, e.g. `endpoints.openai`. */
  key: string;
  scope?: string;
}

/** A change of the settings in effect (fired only after the first reading). */
export interface SettingsChange {
  current: Settings;
  previous: Settings;
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
 *
 * The first reading happens after activation (`ready()`: the status bar's first refresh, or the
 * first command), because validating loads the settings schema and zod, which starting the
 * extension should not compile. Everything that reads `settings` awaits `ready()` first.
 */
export class SettingsReader implements vscode.Disposable {
  /** The reading module (schema, zod, merge policy), once loaded; from then on every reading is synchronous. */
  private reader: typeof SettingsRead | undefined;
  private loading: Promise<void> | undefined;
  private current: Settings | undefined;
  private currentProblems: SettingProblem[] = [];
  private ignored: IgnoredWorkspaceValue[] = [];
  /** `aurelis.*` names the workspace's settings files set, including those VS Code hides (application-scoped). */
  private inWorkspaceFiles = new Set<string>();
  /** Each workspace folder's `.aurelis.yaml`, as last read. */
  private projectFiles: FolderRules[] = [];
  /** Problems (and ignored workspace values) already shown, so each is shown once. */
  private readonly shown = new Set<string>();
  private readonly changed = new vscode.EventEmitter<SettingsChange>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly contributed: readonly ContributedSetting[],
    private readonly log: Logger,
  ) {
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

  /** Resolves once the settings have been read (and their problems shown); at once after the first time. */
  ready(): Promise<void> {
    this.loading ??= import('./settingsRead').then(
      (reader) => {
        this.reader = reader;
        this.current = this.read(reader);
        this.warn();
      },
      (e: unknown) => {
        // Loading can fail only if the installed files are damaged; the next use tries again.
        this.loading = undefined;
        throw e;
      },
    );
    return this.loading;
  }

  /** The settings in effect. Only after `ready()`: reading them earlier is a mistake in Aurelis, said plainly. */
  get settings(): Settings {
    if (!this.current) throw new Error('Aurelis used its settings before reading them (SettingsReader.ready() was not awaited).');
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
    if (fresh.length > 0 && this.reader) void vscode.window.showWarningMessage(this.reader.ignoredWarning(fresh, vscode.workspace.isTrusted));
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

  /** Reads again after a change; before the first reading there is nothing to refresh (`ready()` reads what is current then). */
  private reload(): void {
    if (!this.reader || !this.current) return;
    const previous = this.current;
    const current = this.read(this.reader);
    this.current = current;
    this.warn();
    this.changed.fire({ current, previous });
  }

  private read(reader: typeof SettingsRead): Settings {
    const reading = reader.readSettings(this.contributed, this.inWorkspaceFiles, this.projectFiles);
    this.currentProblems = reading.problems;
    this.ignored = reading.ignored;
    return reading.settings;
  }
}

function ignoredReasonText({ reason }: IgnoredWorkspaceValue, trusted: boolean): string {
  if (!trusted) return 'this workspace is in Restricted Mode';
  if (reason === 'user-only') return 'only your user settings may set it';
  if (reason === 'invalid') return 'it is not a valid value';
  return 'it is looser than your own setting, and a workspace may only make it stricter';
}
