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

export type Completion = z.infer<typeof CompletionSchema>;
export type Chunk = z.infer<typeof ChunkSchema>;

/*
 * A stream brings dozens of chunks per answer and zod costs microseconds each, on the way to the
 * user's first token. The usual shapes are recognised by a structural check that allocates
 * nothing and accepts only what the schema accepts (the same object is then read as the
 * schema's output: the fields Aurelis reads are the same); anything else goes through zod, which
 * decides and explains.
 */

/** The answer, or undefined when it is not the shape Aurelis reads. */
export function readCompletion(raw: unknown): Completion | undefined {
  if (isObject(raw) && Array.isArray(raw['choices']) && raw['choices'].length > 0 && raw['choices'].every(plainChoice) && plainUsage(raw['usage'])) return raw as Completion;
  const parsed = CompletionSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The chunk, or undefined when it is not the shape Aurelis reads. */
export function readChunk(raw: unknown): Chunk | undefined {
  if (isObject(raw) && plainChoices(raw['choices']) && plainUsage(raw['usage'])) return raw as Chunk;
  const parsed = ChunkSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullish(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function nullishString(value: unknown): boolean {
  return isNullish(value) || typeof value === 'string';
}

function count(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function plainChoice(choice: unknown): boolean {
  return isObject(choice) && isObject(choice['message']) && nullishString(choice['message']['content']) && nullishString(choice['finish_reason']);
}

function plainChoices(choices: unknown): boolean {
  if (isNullish(choices)) return true;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices as unknown[]) {
    if (!isObject(choice) || !nullishString(choice['finish_reason'])) return false;
    const delta = choice['delta'];
    if (!isNullish(delta) && !(isObject(delta) && nullishString(delta['content']))) return false;
  }
  return true;
}

/** Usage as the schema reads it without help; a cost of an odd type is left to the schema's `catch`. */
function plainUsage(usage: unknown): boolean {
  if (isNullish(usage)) return true;
  if (!isObject(usage) || !count(usage['prompt_tokens']) || !count(usage['completion_tokens'])) return false;
  const cost = usage['cost'];
  if (!isNullish(cost) && !(count(cost) && Number.isFinite(cost))) return false;
  return detail(usage['prompt_tokens_details'], 'cached_tokens') && detail(usage['completion_tokens_details'], 'reasoning_tokens');
}

function detail(value: unknown, field: string): boolean {
  return isNullish(value) || (isObject(value) && (isNullish(value[field]) || count(value[field])));
}

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
