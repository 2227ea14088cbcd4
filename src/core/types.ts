/**
 * The request and result shapes every stage of the pipeline speaks.
 * Validated with zod where they enter the core (TaskRequestSchema.parse); trusted inside.
 */
import * as z from '../shared/zodMini';
import { ProviderIdSchema, TaskTypeSchema } from '../shared/idSchemas';
import type { Notice } from './pipeline';

// Defined where the browser can read them too (the analytics panel); the core speaks them from here.
export { PROVIDER_IDS, type ProviderId } from '../shared/providerIds';
export { TASK_TYPES, type TaskType } from '../shared/taskTypes';
export { ProviderIdSchema, TaskTypeSchema } from '../shared/idSchemas';

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
    name: z.string().check(z.minLength(1)),
    schema: z.record(z.string(), z.unknown()),
    strict: z.optional(z.boolean()),
  }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

/** Facts about the code that change the answer (and so are part of the cache key). */
export const RequestMetadataSchema = z.object({
  language: z.optional(z.string()),
  framework: z.optional(z.string()),
  style: z.optional(z.string()),
  /** The prompt file a `prompt` request comes from (its name), for the log and the audit trail. */
  prompt: z.optional(z.string()),
  /** Path relative to the workspace; never an absolute path. */
  file: z.optional(z.string()),
});

/**
 * A model reference: `"<model>"` uses the active provider; `"<provider>:<model>"` names
 * another provider, so a chain can fall back from a hosted model to a local one
 * (e.g. `"ollama:qwen2.5-coder"`).
 */
export const ModelRefSchema = z.string().check(z.minLength(1));

export const TaskRequestSchema = z
  .object({
    task: TaskTypeSchema,
    prompt: z.optional(z.string()),
    systemPrompt: z.optional(z.string()),
    messages: z.optional(z.array(ChatMessageSchema)),
    temperature: z.optional(z.number().check(z.gte(0), z.lte(2))),
    maxTokens: z.optional(z.int().check(z.positive())),
    /** Nucleus sampling (a prompt file's modelParameters.topP). */
    topP: z.optional(z.number().check(z.gte(0), z.lte(1))),
    responseFormat: z.optional(ResponseFormatSchema),
    metadata: z.optional(RequestMetadataSchema),
    /** Force one model (skips the task's chain). */
    model: z.optional(ModelRefSchema),
    stream: z.optional(z.boolean()),
    /** "Regenerate": skip the cache lookup (the fresh result is still stored). */
    bypassCache: z.optional(z.boolean()),
    /** The user chose "Allow once" on a budget refusal; recorded in the ledger and audit log. */
    budgetOverride: z.optional(z.boolean()),
  })
  .check(
    z.refine((r) => (r.prompt !== undefined && r.prompt.length > 0) || (r.messages !== undefined && r.messages.length > 0), {
      message: 'A request needs a prompt or at least one message.',
    }),
  );
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
  promptTokens: z.int().check(z.nonnegative()),
  completionTokens: z.int().check(z.nonnegative()),
  cachedTokens: z.int().check(z.nonnegative()),
  /** Tokens a reasoning model spent thinking, when the server said; included in completionTokens. */
  reasoningTokens: z.optional(z.int().check(z.nonnegative())),
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
  requestId: z.string().check(z.minLength(1)),
  content: z.string(),
  /** The model that actually answered (after fallback). */
  model: z.string().check(z.minLength(1)),
  provider: ProviderIdSchema,
  usage: TokenUsageSchema,
  latencyMs: z.number().check(z.nonnegative()),
  /** Time to first token, for streamed requests. */
  ttftMs: z.optional(z.number().check(z.nonnegative())),
  finishReason: FinishReasonSchema,
  /** 0 when the first model of the chain answered. */
  fallbackDepth: z.int().check(z.nonnegative()),
  cached: z.boolean(),
  /** Estimated cost in USD, or null when the model's price is unknown (never shown as $0). */
  costUsd: z.nullable(z.number().check(z.nonnegative())),
  /** `provider` when the provider said what the request cost (OpenRouter, LiteLLM); `estimate` from prices. */
  costSource: z.optional(z.enum(['provider', 'estimate'])),
});
export type TaskResult = z.infer<typeof TaskResultSchema>;
