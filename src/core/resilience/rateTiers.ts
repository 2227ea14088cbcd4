/**
 * Rate limits per model: GitHub Models' published free-tier numbers per Copilot plan (see the
 * wire notes) for that provider, and `aurelis.rateLimits.overrides` for any provider, keyed by
 * `"<provider>:<model>"`, `"<model>"` or a tier name (`low`, `high`, …). Other providers publish
 * no fixed numbers, so they are only paced when the user sets an override.
 */
import { SettingsMemo } from '../settingsMemo';
import type { ModelTarget } from '../pipeline';
import type { Settings, TierLimit } from '../settings';

export type GitHubPlan = Settings['githubModels']['plan'];

export interface TierNumbers {
  requestsPerMinute: number;
  requestsPerDay: number;
  concurrent: number;
  /** Tokens per request the free tier accepts, in and out. */
  maxInputTokens: number;
  maxOutputTokens: number;
}

export interface PaceLimits {
  requestsPerMinute?: number;
  requestsPerDay?: number;
  concurrent?: number;
}

type PerPlan = Record<GitHubPlan, TierNumbers>;

function plans(rpm: number[], rpd: number[], concurrent: number[], input: number[], output: number[]): PerPlan {
  const at = (values: number[], i: number): number => values[Math.min(i, values.length - 1)] as number;
  const make = (i: number): TierNumbers => ({
    requestsPerMinute: at(rpm, i),
    requestsPerDay: at(rpd, i),
    concurrent: at(concurrent, i),
    maxInputTokens: at(input, i),
    maxOutputTokens: at(output, i),
  });
  return { free: make(0), pro: make(1), business: make(2), enterprise: make(3) };
}

/**
 * Columns are Free / Pro / Business / Enterprise. The reasoning rows list Pro / Business /
 * Enterprise only (Free has no access; it gets the Pro numbers and the server's 403 explains).
 */
export const GITHUB_TIERS: Record<string, PerPlan> = {
  low: plans([15, 15, 15, 20], [150, 150, 300, 450], [5, 5, 5, 8], [8000], [4000, 4000, 4000, 8000]),
  high: plans([10, 10, 10, 15], [50, 50, 100, 150], [2, 2, 2, 4], [8000, 8000, 8000, 16000], [4000, 4000, 4000, 8000]),
  embeddings: plans([15, 15, 15, 20], [150, 150, 300, 450], [5, 5, 5, 8], [64000], [64000]),
  reasoning: plans([1, 1, 2, 2], [8, 8, 10, 12], [1], [4000], [4000]),
  'reasoning-mini': plans([2, 2, 3, 3], [12, 12, 15, 20], [1], [4000], [4000]),
  'deepseek-r1': plans([1, 1, 2, 2], [8, 8, 10, 12], [1], [4000], [4000]),
};

/**
 * The tier of a GitHub Models id: the catalog's `rate_limit_tier` when we have it, otherwise
 * from the id. Unknown chat models count as `high`, the stricter tier: waiting a little too
 * long beats collecting 429s.
 */
export function githubTierOf(modelId: string, catalogTier?: string): string {
  const id = modelId.toLowerCase();
  const name = id.slice(id.lastIndexOf('/') + 1);
  if (/^(deepseek-r1|mai-ds-r1)/.test(name)) return 'deepseek-r1';
  if (/^(o1|o3|o4)-mini|^gpt-5-(mini|nano|chat)/.test(name)) return 'reasoning-mini';
  if (/^(o1|o3|gpt-5)($|-)/.test(name)) return 'reasoning';
  if (catalogTier !== undefined && catalogTier in GITHUB_TIERS) return catalogTier;
  if (/embed/.test(name)) return 'embeddings';
  if (LOW_TIER.some((pattern) => pattern.test(name))) return 'low';
  return 'high';
}

/** Small models GitHub puts in its `low` tier. */
const LOW_TIER = [/^gpt-4o-mini/, /^gpt-4\.1-(mini|nano)/, /^phi-/, /^codestral/, /^mistral-(small|medium|nemo)/, /^ministral/, /^cohere-command-r-\d/, /^cohere-command-r$/, /^meta-llama-3\.1-8b/, /^jamba-.*mini/];

/** A model's pace limits, and whether the user's overrides set them. */
interface PaceRules {
  limits: Readonly<PaceLimits>;
  userSet: boolean;
}

/** Worked out once per settings object and model: every request of a model asks for both. */
const paceRules = new SettingsMemo<Readonly<PaceRules>>();

function rulesFor(target: ModelTarget, settings: Settings, catalogTier?: string): Readonly<PaceRules> {
  return paceRules.get(settings, `${target.provider}:${target.model}\n${catalogTier ?? ''}`, () => Object.freeze(workOutRules(target, settings, catalogTier)));
}

export function paceLimitsFor(target: ModelTarget, settings: Settings, catalogTier?: string): Readonly<PaceLimits> {
  return rulesFor(target, settings, catalogTier).limits;
}

/** Whether the user's aurelis.rateLimits.overrides set this model's limits: they win over what the server announces. */
export function userSetLimits(target: ModelTarget, settings: Settings, catalogTier?: string): boolean {
  return rulesFor(target, settings, catalogTier).userSet;
}

function workOutRules(target: ModelTarget, settings: Settings, catalogTier?: string): PaceRules {
  const limits: PaceLimits = {};
  let tier: string | undefined;
  if (target.provider === 'github-models') {
    tier = githubTierOf(target.model, catalogTier);
    const numbers = GITHUB_TIERS[tier]?.[settings.githubModels.plan];
    if (numbers) Object.assign(limits, { requestsPerMinute: numbers.requestsPerMinute, requestsPerDay: numbers.requestsPerDay, concurrent: numbers.concurrent });
  } else if (catalogTier !== undefined) tier = catalogTier;
  const overrides = lowerKeys(settings.rateLimits.overrides);
  const model = target.model.toLowerCase();
  let userSet = false;
  for (const key of [tier, model, `${target.provider}:${model}`]) {
    const override = key === undefined ? undefined : overrides.get(key.toLowerCase());
    if (!override) continue;
    applyOverride(limits, override);
    userSet = true;
  }
  return { limits: Object.freeze(limits), userSet };
}

/** GitHub's per-request token caps of the free tier, which are lower than the models' own. */
export function githubRequestCaps(modelId: string, plan: GitHubPlan, catalogTier?: string): { maxInputTokens: number; maxOutputTokens: number } | undefined {
  const numbers = GITHUB_TIERS[githubTierOf(modelId, catalogTier)]?.[plan];
  return numbers ? { maxInputTokens: numbers.maxInputTokens, maxOutputTokens: numbers.maxOutputTokens } : undefined;
}

function applyOverride(limits: PaceLimits, override: TierLimit): void {
  if (override.requestsPerMinute !== undefined) limits.requestsPerMinute = override.requestsPerMinute;
  if (override.requestsPerDay !== undefined) limits.requestsPerDay = override.requestsPerDay;
  if (override.concurrent !== undefined) limits.concurrent = override.concurrent;
}

function lowerKeys(record: Record<string, TierLimit>): Map<string, TierLimit> {
  return new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
