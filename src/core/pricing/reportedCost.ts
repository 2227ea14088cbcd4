/**
 * What the provider says a request cost, where it says it: OpenRouter in `usage.cost` (asked
 * for with `usage: {include: true}`), a LiteLLM proxy in the `x-litellm-response-cost` header.
 * Such a figure is the bill itself, so it wins over our estimate from list prices.
 */
import type { ChatAnswer } from '../providers/chatProvider';
import { PROVIDER_PRESETS } from '../providers/presets';
import type { ProviderId } from '../types';

export function reportedCostOf(answer: Pick<ChatAnswer, 'usage' | 'headers'>, provider: ProviderId): number | undefined {
  if (answer.usage?.costUsd !== undefined) return answer.usage.costUsd;
  const header = PROVIDER_PRESETS[provider].costHeader;
  const raw = header === undefined ? undefined : answer.headers?.get(header)?.trim();
  if (!raw) return undefined;
  const usd = Number(raw);
  return Number.isFinite(usd) && usd >= 0 ? usd : undefined;
}
