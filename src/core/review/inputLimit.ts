/**
 * The review model's input limit, so a batch review cuts files small enough for it: from the
 * provider's model list when it has one (GitHub Models' per-tier caps, OpenRouter's context
 * lengths), else the built-in table. A provider without a model list is no reason to fail.
 */
import { limitsFor } from '../catalog/modelLimits';
import type { ModelTarget } from '../pipeline';
import type { Settings } from '../settings';
import type { ProviderId, TaskType } from '../types';

export interface ModelListing {
  chainFor(task: TaskType): ModelTarget[];
  listModels(provider: ProviderId): Promise<Array<{ id: string; maxInputTokens?: number; maxOutputTokens?: number; tier?: string }>>;
}

export async function reviewInputLimit(models: ModelListing, settings: Settings, onListFailure: (e: unknown) => void = () => undefined): Promise<number | undefined> {
  const target = models.chainFor('review')[0];
  if (!target) return undefined;
  const list = await models.listModels(target.provider).catch((e: unknown) => {
    onListFailure(e);
    return [];
  });
  const entry = list.find((m) => m.id.toLowerCase() === target.model.toLowerCase());
  return limitsFor(target, settings, entry && { ...entry, provider: target.provider }).maxInputTokens;
}
