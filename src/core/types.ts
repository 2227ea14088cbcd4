/**
 * The request and result shapes every stage of the pipeline speaks.
 * Validated with zod where they enter the core (TaskRequestSchema.parse); trusted inside.
 */
import { z } from 'zod';
import { ProviderIdSchema } from '../shared/providerIds';
import { TaskTypeSchema } from '../shared/taskTypes';
import type { Notice } from './pipeline';

// Defined where the browser can read them too (the analytics panel); the core speaks them from here.
export { PROVIDER_IDS, ProviderIdSchema, type ProviderId } from '../shared/providerIds';
export { TASK_TYPES, TaskTypeSchema, type TaskType } from '../shared/taskTypes';

export const ChatMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().optional(),
  }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

/** Facts about the code that change the answer (and so are part of the cache key). */
export const RequestMetadataSchema = z.object({
  language: z.string().optional(),
  framework: z.string().optional(),
  style: z.string().optional(),
  /** The prompt file a `prompt` request comes from (its name), for the log and the audit trail. */
  prompt: z.string().optional(),
  /** Path relative to the workspace; never an absolute path. */
  file: z.string().optional(),
});

/**
 * A model reference: `"<model>"` uses the active provider; `"<provider>:<model>"` names
 * another provider, so a chain can fall back from a hosted model to a local one
 * (e.g. `"ollama:qwen2.5-coder"`).
 */
export const ModelRefSchema = z.string().min(1);

export const TaskRequestSchema = z
  .object({
    task: TaskTypeSchema,
    prompt: z.string().optional(),
    systemPrompt: z.string().optional(),
    messages: z.array(ChatMessageSchema).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    /** Nucleus sampling (a prompt file's modelParameters.topP). */
    topP: z.number().min(0).max(1).optional(),
    responseFormat: ResponseFormatSchema.optional(),
    metadata: RequestMetadataSchema.optional(),
    /** Force one model (skips the task's chain). */
    model: ModelRefSchema.optional(),
    stream: z.boolean().optional(),
    /** "Regenerate": skip the cache lookup (the fresh result is still stored). */
    bypassCache: z.boolean().optional(),
    /** The user chose "Allow once" on a budget refusal; recorded in the ledger and audit log. */
    budgetOverride: z.boolean().optional(),
  })
  .refine((r) => (r.prompt !== undefined && r.prompt.length > 0) || (r.messages !== undefined && r.messages.length > 0), {
    message: 'A request needs a prompt or at least one message.',
  });
export type TaskRequest = z.infer<typeof TaskRequestSchema>;

/** Per-call options that are not data: cancellation and streaming callbacks. */
export interface RunOptions {
  signal?: AbortSignal;
  /** Called with each piece of text as it arrives (streamed requests). */
  onDelta?: (text: string) => void;
  /** Id to use for this request (the ledger and audit log carry it); generated when absent. */
  requestId?: string;
  /** Budget warnings, throttling, fallbacks and waits the user should hear about. */
  onNotice?: (notice: Notice) => void;
  /**
   * Whether the caller could use an answer. Only a usable answer is stored in the cache, and a
   * cached one that is not usable is passed over for a fresh one: an answer the command could
   * not read must not come back on Retry.
   */
  usable?: AnswerCheck;
  /** When secrets were redacted: the placeholders and their values, to restore them in what comes back. */
  onRedactions?: (redactions: SentRedactions) => void;
}

/**
 * What the secret guard hands back when it sent placeholders instead of secrets: it puts the
 * values back into text that returns (secrets/redactions.ts). Memory only, never serialised.
 */
export interface SentRedactions {
  readonly size: number;
  /** The text with every placeholder this request sent replaced by its value; `unknown`: placeholders it did not send. */
  restore(text: string): { text: string; unknown: string[] };
}

/** Judges an answer's text (and why it ended) for the caller; see RunOptions.usable. */
export type AnswerCheck = (answer: { content: string; finishReason: FinishReason }) => boolean;

export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative(),
  /** Tokens a reasoning model spent thinking, when the server said; included in completionTokens. */
  reasoningTokens: z.number().int().nonnegative().optional(),
  /** True when the server reported no usage and the numbers come from our tokenizer. */
  estimated: z.boolean(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const FinishReasonSchema = z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'unknown']);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

/**
 * What a request returns. The core builds it itself, so it is typed rather than parsed on the
 * way out; the schema is for whoever receives it across a boundary (a CLI's JSON output, tests).
 */
export const TaskResultSchema = z.object({
  requestId: z.string().min(1),
  content: z.string(),
  /** The model that actually answered (after fallback). */
  model: z.string().min(1),
  provider: ProviderIdSchema,
  usage: TokenUsageSchema,
  latencyMs: z.number().nonnegative(),
  /** Time to first token, for streamed requests. */
  ttftMs: z.number().nonnegative().optional(),
  finishReason: FinishReasonSchema,
  /** 0 when the first model of the chain answered. */
  fallbackDepth: z.number().int().nonnegative(),
  cached: z.boolean(),
  /** Estimated cost in USD, or null when the model's price is unknown (never shown as $0). */
  costUsd: z.number().nonnegative().nullable(),
  /** `provider` when the provider said what the request cost (OpenRouter, LiteLLM); `estimate` from prices. */
  costSource: z.enum(['provider', 'estimate']).optional(),
});
export type TaskResult = z.infer<typeof TaskResultSchema>;
