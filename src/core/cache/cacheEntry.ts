/** What one cached answer looks like on disk, validated on every read (files are an edge). */
import { z } from 'zod';
import type { CachedAnswer } from '../pipeline';
import { ProviderIdSchema, TaskTypeSchema, type TaskType } from '../types';

export const CACHE_FORMAT_VERSION = 1;

const count = z.number().int().nonnegative();

const CachedAnswerSchema = z.object({
  content: z.string(),
  provider: ProviderIdSchema,
  model: z.string().min(1),
  usage: z.object({ promptTokens: count, completionTokens: count, cachedTokens: count, estimated: z.boolean() }),
  finishReason: z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'unknown']),
  storedAt: z.number().finite(),
});

export const CacheEntrySchema = z.object({
  v: z.literal(CACHE_FORMAT_VERSION),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  task: TaskTypeSchema,
  answer: CachedAnswerSchema,
});

export interface CacheEntry {
  v: typeof CACHE_FORMAT_VERSION;
  key: string;
  /** The task decides how long the entry lives (aurelis.cache.ttlMinutes). */
  task: TaskType;
  answer: CachedAnswer;
}

// The schema and the pipeline's CachedAnswer must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof CacheEntrySchema>, CacheEntry> = true;
void schemaMatchesInterface;
