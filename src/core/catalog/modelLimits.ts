/**
 * How many tokens a model takes in and gives out per request, and where that number comes
 * from (so a 'too_large' message can name it). The catalog's figures win over the built-in
 * table; on GitHub Models the rate tier's per-request cap (8,000 tokens in on the free tier)
 * is usually the tighter one.
 */
import type { ModelTarget } from '../pipeline';
import { providerLabel } from '../providers/presets';
import { githubRequestCaps, githubTierOf } from '../resilience/rateTiers';
import type { Settings } from '../settings';
import type { CatalogModel } from './catalogSchemas';
import { knownLimits } from './knownLimits';

export interface ModelLimits {
  maxInputTokens?: number;
  maxOutputTokens?: number;
  /** Words for the error message: "per request on the GitHub Models free tier (rate tier high)". */
  inputLimitSource?: string;
}

export function limitsFor(target: ModelTarget, settings: Settings, catalog?: CatalogModel): ModelLimits {
  const own = catalog?.maxInputTokens !== undefined ? { maxInputTokens: catalog.maxInputTokens, maxOutputTokens: catalog.maxOutputTokens } : knownLimits(target.model);
  const limits: ModelLimits = {};
  if (own?.maxInputTokens !== undefined) {
    limits.maxInputTokens = own.maxInputTokens;
    limits.inputLimitSource = `the context window of ${target.model}`;
  }
  if (own?.maxOutputTokens !== undefined) limits.maxOutputTokens = own.maxOutputTokens;
  if (target.provider === 'github-models') {
    const plan = settings.githubModels.plan;
    const caps = githubRequestCaps(target.model, plan, catalog?.tier);
    if (caps && (limits.maxInputTokens === undefined || caps.maxInputTokens < limits.maxInputTokens)) {
      limits.maxInputTokens = caps.maxInputTokens;
      limits.inputLimitSource = `the per-request limit of ${providerLabel('github-models')} on the Copilot ${plan} plan (rate tier ${githubTierOf(target.model, catalog?.tier)})`;
    }
    if (caps && (limits.maxOutputTokens === undefined || caps.maxOutputTokens < limits.maxOutputTokens)) limits.maxOutputTokens = caps.maxOutputTokens;
  }
  return limits;
}
