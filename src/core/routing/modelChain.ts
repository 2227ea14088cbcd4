/**
 * Which models a request may use, in order: the task's chain from settings (or the active
 * provider's defaults), or the one model a request forces. Skipping open breakers and spent
 * quotas happens while the chain is walked, because both change while a request runs.
 */
import { AurelisError } from '../errors';
import type { ModelTarget } from '../pipeline';
import { providerLabel } from '../providers/presets';
import type { Settings } from '../settings';
import type { TaskType } from '../types';
import { DEFAULT_CHAINS } from './defaultChains';
import { parseModelRef, targetKey } from './modelRef';
import { SettingsMemo } from '../settingsMemo';

export function chainFor(task: TaskType, settings: Settings): ModelTarget[] {
  const configured = settings.models[task];
  const refs = configured !== undefined && configured.length > 0 ? configured : DEFAULT_CHAINS[settings.provider][task];
  return unique(refs.map((ref) => parseModelRef(ref, settings.provider)));
}

/** Chains already resolved, per settings object: every request of a task runs the same one. */
const resolvedChains = new SettingsMemo<readonly ModelTarget[]>();

/**
 * The chain a request runs: its forced model alone, or the task's chain; never empty. The same
 * frozen chain is handed to every request of the task until the settings change.
 */
export function resolveChain(task: TaskType, forcedModel: string | undefined, settings: Settings): readonly ModelTarget[] {
  return resolvedChains.get(settings, forcedModel === undefined ? task : `${task}\n${forcedModel}`, () => Object.freeze(resolve(task, forcedModel, settings).map((t) => Object.freeze(t))));
}

function resolve(task: TaskType, forcedModel: string | undefined, settings: Settings): ModelTarget[] {
  const chain = forcedModel !== undefined ? [parseModelRef(forcedModel, settings.provider)] : chainFor(task, settings);
  if (chain.length === 0) {
    throw new AurelisError(
      'config',
      `No model is set for "${task}" requests on ${providerLabel(settings.provider)}. Add model ids to the setting aurelis.models.${task}.`,
      { provider: settings.provider, nextSteps: ['openSettings', 'chooseModel'] },
    );
  }
  const allowed = chain.filter((target) => isAllowedModel(target, settings));
  if (allowed.length === 0) {
    const named = chain.map((t) => t.model).join(', ');
    throw new AurelisError(
      'config',
      `None of the models for "${task}" requests (${named}) is on the allow-list (${settings.allowedModels.join(', ')}). Choose an allowed model in aurelis.models.${task}, or ask whoever set the allow-list (your settings, the workspace's or its .aurelis.yaml).`,
      { provider: settings.provider, nextSteps: ['openSettings', 'chooseModel'] },
    );
  }
  return allowed;
}

/** Whether `aurelis.allowedModels` lets requests use a model (an empty list allows every model). */
export function isAllowedModel(target: ModelTarget, settings: Settings): boolean {
  const list = settings.allowedModels;
  return list.length === 0 || list.includes(target.model) || list.includes(`${target.provider}:${target.model}`);
}

/**
 * The chain reordered cheapest first (the budget gate's throttle), by what this request would
 * cost on each model. Unknown prices go last: "unknown" must never win as if it were free.
 * The sort is stable, so equally priced models keep the chain's order.
 */
export function cheapestFirst(chain: readonly ModelTarget[], costOf: (target: ModelTarget) => number | null): ModelTarget[] {
  const priced = chain.map((target, index) => ({ target, index, cost: costOf(target) }));
  priced.sort((a, b) => {
    if (a.cost === null && b.cost === null) return a.index - b.index;
    if (a.cost === null) return 1;
    if (b.cost === null) return -1;
    return a.cost - b.cost || a.index - b.index;
  });
  return priced.map((p) => p.target);
}

function unique(targets: ModelTarget[]): ModelTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = targetKey(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
