/**
 * The parts of a chat-completions answer Aurelis reads, checked at the edge: providers that are
 * "OpenAI-compatible" differ in what they leave out, and a malformed answer must become a clear
 * 'invalid_response' error instead of a crash deep inside the pipeline.
 */
import { z } from 'zod';
import type { FinishReason } from '../types';

const UsageSchema = z
  .object({
    prompt_tokens: z.number().nonnegative(),
    completion_tokens: z.number().nonnegative(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().nonnegative().nullish() }).nullish(),
    completion_tokens_details: z.object({ reasoning_tokens: z.number().nonnegative().nullish() }).nullish(),
    /** OpenRouter: what the request cost, in USD (asked for with `usage: {include: true}`). */
    cost: z.number().nonnegative().finite().nullish().catch(undefined),
  })
  .nullish();

export const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: UsageSchema,
});

export const ChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: UsageSchema,
});

export interface ReportedUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Tokens a reasoning model spent thinking; part of `completionTokens` and priced as output. */
  reasoningTokens?: number;
  /** What the provider says the request cost, in USD. */
  costUsd?: number;
}

export function usageOf(usage: z.infer<typeof UsageSchema>): ReportedUsage | undefined {
  if (!usage) return undefined;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  // OpenAI counts the thinking inside completion_tokens; a server whose completion count is
  // smaller than its reasoning count reported them apart, and both are billed as output.
  const completion = usage.completion_tokens < reasoning ? usage.completion_tokens + reasoning : usage.completion_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: completion,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    ...(reasoning > 0 ? { reasoningTokens: reasoning } : {}),
    ...(typeof usage.cost === 'number' ? { costUsd: usage.cost } : {}),
  };
}

export function finishReasonOf(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
    case 'length':
    case 'content_filter':
    case 'tool_calls':
      return raw;
    default:
      return 'unknown';
  }
}
