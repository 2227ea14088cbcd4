/**
 * Who may set what: the one policy that merges a user's settings with a workspace's.
 *
 * A repository is code someone else wrote. It may choose its models, but it must never decide
 * where requests (and keys) go, and it may only make budgets and safety settings *stricter*
 * than the user's own: a `.vscode/settings.json` that turns the secret scan off, zeroes prices
 * (which silently disables every dollar budget) or turns on writing code into the audit log
 * would otherwise act with the user's authority. Editor-free, so the CLI's project file can use
 * the same rules.
 */

/** `user-only`: only the user's value counts; `tighten-only`: a workspace value counts when it is at least as strict; `free`: the workspace wins. */
export type SettingPolicy = 'user-only' | 'tighten-only' | 'free';

import { parseSettings } from './settings';

/** Why a workspace value was not used. */
export type IgnoredReason = 'user-only' | 'looser' | 'invalid';

export interface IgnoredWorkspaceValue {
  /** The full setting name, e.g. `aurelis.security.secretScan`. */
  setting: string;
  reason: IgnoredReason;
}

/** A comparison: is `candidate` at least as strict as `current`? `undefined` when `candidate` is not a valid value. */
type Stricter = (candidate: unknown, current: unknown) => boolean | undefined;

const SECRET_SCAN_ORDER = ['off', 'ask', 'redact', 'block'];

/** A limit where lower is stricter; an unset limit (`undefined`/`null`) is no limit at all. */
const lowerLimit: Stricter = (candidate, current) => {
  if (typeof candidate !== 'number' || !Number.isFinite(candidate)) return undefined;
  return typeof current !== 'number' || candidate <= current;
};

/** A switch where `strictValue` is the stricter position. */
const switchTo =
  (strictValue: boolean): Stricter =>
  (candidate, current) => {
    if (typeof candidate !== 'boolean') return undefined;
    return candidate === strictValue || candidate === current;
  };

const strongerScan: Stricter = (candidate, current) => {
  const rank = SECRET_SCAN_ORDER.indexOf(candidate as string);
  if (typeof candidate !== 'string' || rank < 0) return undefined;
  return rank >= SECRET_SCAN_ORDER.indexOf(current as string);
};

/**
 * An allow-list where shorter is stricter: every model the candidate allows must already be
 * allowed. An empty list allows every model, so it is never stricter than a list.
 */
const narrowerList: Stricter = (candidate, current) => {
  if (!Array.isArray(candidate) || !candidate.every((m) => typeof m === 'string' && m !== '')) return undefined;
  const mine = Array.isArray(current) ? (current as string[]) : [];
  if (candidate.length === 0) return mine.length === 0;
  return mine.length === 0 || candidate.every((m) => mine.includes(m as string));
};

/** Settings a workspace may only tighten, with what "stricter" means for each. */
const TIGHTEN_ONLY: Record<string, Stricter> = {
  'budgets.dailyUsd': lowerLimit,
  'budgets.weeklyUsd': lowerLimit,
  'budgets.monthlyUsd': lowerLimit,
  'budgets.dailyTokens': lowerLimit,
  'budgets.weeklyTokens': lowerLimit,
  'budgets.monthlyTokens': lowerLimit,
  // Thresholds are fractions of a budget: warning, throttling or stopping earlier is stricter.
  'budgets.warnAt': lowerLimit,
  'budgets.throttleAt': lowerLimit,
  'budgets.stopAt': lowerLimit,
  'security.secretScan': strongerScan,
  'security.maxFileKB': lowerLimit,
  'audit.includeContent': switchTo(false),
  'ledger.fsync': switchTo(true),
  'rateLimits.pacing': switchTo(true),
  'maxConcurrentRequests': lowerLimit,
  'allowedModels': narrowerList,
  // A repository's instruction files steer every answer: it may switch them off, or send fewer
  // of them, but not switch them on (or make them longer) against the user's own choice.
  'instructions.enabled': switchTo(false),
  'instructions.maxTokens': lowerLimit,
};

/** Merged field by field (per model, per limit), each field tighten-only. */
const RATE_LIMIT_OVERRIDES = 'rateLimits.overrides';

/**
 * Settings (and groups of settings) only the user sets: where requests and keys go and which
 * certificates are trusted on the way (network.caFile), prices (a
 * repository's zero price would switch dollar budgets off) and how long records are kept (a
 * repository must not shorten the user's own history), and team mode and telemetry (a repository
 * must not send the user's usage, or its pacing, to a server of its choosing). package.json gives each of them the
 * `application` scope, so VS Code's settings editor offers them in User settings only; a test
 * keeps the two in step.
 */
const USER_ONLY = ['provider', 'endpoints', 'customHeaders', 'githubModels', 'network', 'prices', 'ledger.retentionDays', 'audit.retentionDays', 'audit.maxFileMB', 'prompts.userFolder', 'team', 'telemetry'];

/** Scopes VS Code itself keeps out of workspace settings. */
const USER_ONLY_SCOPES = new Set(['application', 'machine']);

/** The policy of one setting (key without the `aurelis.` prefix), given its scope in package.json. */
export function policyOf(key: string, scope?: string): SettingPolicy {
  if ((scope !== undefined && USER_ONLY_SCOPES.has(scope)) || USER_ONLY.some((k) => key === k || key.startsWith(`${k}.`))) return 'user-only';
  if (key in TIGHTEN_ONLY || key === RATE_LIMIT_OVERRIDES) return 'tighten-only';
  return 'free';
}

/** The values one setting has at each level; `workspace` lists the workspace's, then the folder's (most specific last). */
export interface SettingLevels {
  /** The user's value, or the default when the user set none. */
  user: unknown;
  workspace: readonly unknown[];
}

export interface MergedSetting {
  value: unknown;
  /** The reason the (or a) workspace value was not used, when one was not. */
  ignored?: IgnoredReason;
}

/**
 * The value in effect for one setting under `policy`. In Restricted Mode the caller passes
 * `user-only` for every setting.
 */
export function mergeSetting(key: string, policy: SettingPolicy, levels: SettingLevels): MergedSetting {
  const workspace = levels.workspace.filter((v) => v !== undefined);
  if (workspace.length === 0) return { value: levels.user };
  if (policy === 'user-only') return { value: levels.user, ignored: 'user-only' };
  if (policy === 'free') return { value: workspace[workspace.length - 1] };
  let value = levels.user;
  let ignored: IgnoredReason | undefined;
  for (const candidate of workspace) {
    const merged = key === RATE_LIMIT_OVERRIDES ? tightenOverrides(value, candidate) : tightenValue(key, value, candidate);
    value = merged.value;
    ignored ??= merged.ignored;
  }
  return ignored ? { value, ignored } : { value };
}

function tightenValue(key: string, current: unknown, candidate: unknown): MergedSetting {
  const stricter = TIGHTEN_ONLY[key];
  if (!stricter) return { value: current, ignored: 'user-only' };
  // `null` is how package.json spells "no limit": never stricter than a limit.
  if (candidate === null) return current === null || current === undefined ? { value: current } : { value: current, ignored: 'looser' };
  const verdict = isValid(key, candidate) ? stricter(candidate, current) : undefined;
  if (verdict === undefined) return { value: current, ignored: 'invalid' };
  return verdict ? { value: candidate } : { value: current, ignored: 'looser' };
}

type Limits = Record<string, Record<string, unknown>>;

/** Per model (or tier) and per limit, the lower value wins; a model only the workspace names is added. */
function tightenOverrides(current: unknown, candidate: unknown): MergedSetting {
  if (!isValid(RATE_LIMIT_OVERRIDES, candidate)) return { value: current, ignored: 'invalid' };
  const merged: Limits = structuredClone(isRecord(current) ? (current as Limits) : {});
  let ignored: IgnoredReason | undefined;
  for (const [model, limits] of Object.entries(candidate as Limits)) {
    const mine = (merged[model] ??= {});
    for (const [name, limit] of Object.entries(limits)) {
      const verdict = lowerLimit(limit, mine[name]);
      if (verdict === undefined) ignored ??= 'invalid';
      else if (verdict) mine[name] = limit;
      else ignored ??= 'looser';
    }
  }
  return ignored ? { value: merged, ignored } : { value: merged };
}

/**
 * An invalid workspace value must not count as "stricter": settings validation would drop it
 * and fall back to the default, which may be looser than the user's own value.
 */
function isValid(key: string, value: unknown): boolean {
  const raw: Record<string, unknown> = {};
  let node = raw;
  const parts = key.split('.');
  for (const part of parts.slice(0, -1)) node = (node[part] = {}) as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
  return parseSettings(raw).problems.length === 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One notification naming every newly ignored value, grouped by why, so a repository that tries
 * several loosenings at once raises one warning rather than a stack of them.
 */
export function ignoredWarning(values: readonly IgnoredWorkspaceValue[], trusted: boolean): string {
  const names = (reason: IgnoredWorkspaceValue['reason']) => values.filter((v) => v.reason === reason).map((v) => v.setting);
  if (!trusted) return `Aurelis ignores this workspace's values for ${values.map((v) => v.setting).join(', ')}: this workspace is in Restricted Mode, so only your user settings apply.`;
  const parts: string[] = [];
  const userOnly = names('user-only');
  const looser = names('looser');
  const invalid = names('invalid');
  if (userOnly.length) parts.push(`${userOnly.join(', ')} (only your user settings may set ${userOnly.length > 1 ? 'them' : 'it'}, so a repository cannot change where your code and keys are sent)`);
  if (looser.length) parts.push(`${looser.join(', ')} (looser than your own ${looser.length > 1 ? 'settings' : 'setting'}: a workspace may only make budgets and safety settings stricter)`);
  if (invalid.length) parts.push(`${invalid.join(', ')} (not a valid value; your own setting applies)`);
  return `Aurelis ignores this workspace's ${values.length > 1 ? 'values' : 'value'} for ${parts.join('; ')}.`;
}

