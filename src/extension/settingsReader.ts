import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { parseSettings, type SettingProblem, type Settings } from '../core/settings';

/** One `aurelis.*` setting as package.json contributes it. */
export interface ContributedSetting {
  /** Without the `aurelis.` prefix, e.g. `endpoints.openai`. */
  key: string;
  scope?: string;
}

/** Scopes whose value may come only from the user's own settings, never from a workspace. */
const USER_ONLY_SCOPES = new Set(['application', 'machine']);

/**
 * Reads `aurelis.*` into one validated Settings object, keeps it current without a reload,
 * and warns once about each invalid value (its default applies meanwhile).
 *
 * Where keys are sent (provider, endpoints, headers) must never come from a repository:
 * those settings are application-scoped, and on top of that they are read here from the
 * user and default levels only, so even a misplaced workspace value has no effect. In
 * Restricted Mode every setting is read that way.
 */
export class SettingsReader implements vscode.Disposable {
  private current: Settings;
  private currentProblems: SettingProblem[] = [];
  private ignored: string[] = [];
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
        if (e.affectsConfiguration('aurelis')) this.reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      this.changed,
    ];
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

  /** Workspace values that were ignored because the setting is user-only (or the workspace is untrusted). */
  get ignoredWorkspaceValues(): readonly string[] {
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
    for (const setting of this.ignored) {
      const id = `ignored:${setting}`;
      active.add(id);
      if (this.shown.has(id)) continue;
      this.shown.add(id);
      const why = vscode.workspace.isTrusted ? 'it can only be set in your user settings' : 'this workspace is in Restricted Mode';
      this.log.warn(`Ignoring the workspace value of ${setting}: ${why}.`);
      void vscode.window.showWarningMessage(`Aurelis ignores this workspace's value for ${setting}: ${why}, so a repository cannot change where your code and keys are sent.`);
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

  private read(): Settings {
    const config = vscode.workspace.getConfiguration('aurelis');
    const trusted = vscode.workspace.isTrusted;
    const raw: Record<string, unknown> = {};
    const ignored: string[] = [];
    for (const { key, scope } of this.contributed) {
      const userOnly = !trusted || (scope !== undefined && USER_ONLY_SCOPES.has(scope));
      let value: unknown;
      if (userOnly) {
        const seen = config.inspect(key);
        value = seen?.globalValue ?? seen?.defaultValue;
        if (seen?.workspaceValue !== undefined || seen?.workspaceFolderValue !== undefined) ignored.push(`aurelis.${key}`);
      } else {
        value = config.get(key);
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
