import { instructionsLabel } from '../../core/instructions/projectInstructions';
import type { TaskResult } from '../../core/types';
import { formatUsd as usd } from '../../shared/format';

/** One line under an answer: which model answered, how fast, how many tokens, what it cost, and the project instructions that went with it. */
export function resultFooter(result: TaskResult & { instructions?: readonly string[] }): string {
  const seconds = (result.latencyMs / 1000).toFixed(1);
  const tokens = result.usage.promptTokens + result.usage.completionTokens;
  const cost = result.cached ? 'from the cache, no cost' : result.costUsd === null ? 'price unknown' : usd(result.costUsd);
  const fallback = result.fallbackDepth > 0 ? ` · fallback ${result.fallbackDepth}` : '';
  const instructions = result.instructions?.length ? ` · ${instructionsLabel(result.instructions)}` : '';
  return `*${result.model} (${result.provider}) · ${seconds} s · ${result.usage.estimated ? '~' : ''}${tokens} tokens · ${cost}${fallback}${instructions}*`;
}
