import * as vscode from 'vscode';
import { parseSettings, type SettingProblem, type Settings } from '../core/settings';
import { mergeSetting, policyOf, type IgnoredWorkspaceValue } from '../core/settingsPolicy';
import type { FolderRules } from './projectFileRules';
import type { ContributedSetting } from './settingsReader';

export { ignoredWarning } from '../core/settingsPolicy';

/** One reading of `aurelis.*`: the validated settings, what was invalid, and the workspace values that were ignored. */
export interface SettingsReading {
  settings: Settings;
  problems: SettingProblem[];
  ignored: IgnoredWorkspaceValue[];
}

/**
 * Reads every contributed setting from VS Code's levels, merges the workspace's values (and each
 * `.aurelis.yaml`) under the core's policy and validates the result. Loaded after activation with
 * the settings schema (and zod), so starting the extension does not compile them.
 */
export function readSettings(contributed: readonly ContributedSetting[], inWorkspaceFiles: ReadonlySet<string>, projectFiles: readonly FolderRules[]): SettingsReading {
  const config = vscode.workspace.getConfiguration('aurelis');
  const trusted = vscode.workspace.isTrusted;
  const raw: Record<string, unknown> = {};
  const ignored: IgnoredWorkspaceValue[] = [];
  for (const { key, scope } of contributed) {
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
      const hiddenByVsCode = policy === 'user-only' && inWorkspaceFiles.has(`aurelis.${key}`);
      const reason = merged.ignored ?? (hiddenByVsCode ? 'user-only' : undefined);
      if (reason) ignored.push({ setting: `aurelis.${key}`, reason });
    }
    value = tightenFromProjectFiles(projectFiles, key, value, trusted, ignored);
    // Configuration values are read-only proxies; the core gets plain copies.
    if (isSet(value)) setPath(raw, key.split('.'), JSON.parse(JSON.stringify(value)) as unknown);
  }
  for (const { rules } of projectFiles) for (const key of rules.userOnly) ignored.push({ setting: `${key} in .aurelis.yaml`, reason: 'user-only' });
  const { settings, problems } = parseSettings(raw);
  return { settings, problems, ignored };
}

/** A setting's value after each `.aurelis.yaml` had its (tighten-only) say. */
function tightenFromProjectFiles(projectFiles: readonly FolderRules[], key: string, value: unknown, trusted: boolean, ignored: IgnoredWorkspaceValue[]): unknown {
  let current = value;
  for (const { rules } of projectFiles) {
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
