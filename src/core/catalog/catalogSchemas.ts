/**
 * The two catalog shapes Aurelis reads: GitHub Models' `GET /catalog/models` (a bare array with
 * limits and a rate-limit tier) and OpenAI's `GET /models` (`{ data: [{ id }] }`, which some
 * providers extend, e.g. OpenRouter's `context_length`). Unknown fields are ignored; an entry
 * without an id is dropped rather than failing the whole list.
 */
import { z } from 'zod';
import type { ProviderId } from '../types';

/** One model as the Models picker, the size check and pacing see it. */
export interface CatalogModel {
  provider: ProviderId;
  id: string;
  name?: string;
  publisher?: string;
  summary?: string;
  maxInputTokens?: number;
  maxOutputTokens?: number;
  /** Rate-limit tier (`low`, `high`, …) when the provider publishes one. */
  tier?: string;
  capabilities?: string[];
}

const count = z.number().int().positive();

const GitHubEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().optional().catch(undefined),
  publisher: z.string().optional().catch(undefined),
  summary: z.string().optional().catch(undefined),
  capabilities: z.array(z.string()).optional().catch(undefined),
  limits: z
    .object({ max_input_tokens: count.nullish().catch(undefined), max_output_tokens: count.nullish().catch(undefined) })
    .nullish()
    .catch(undefined),
  rate_limit_tier: z.string().optional().catch(undefined),
});

const OpenAIEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().optional().catch(undefined),
  /** Anthropic's and Together's name for the human-readable name. */
  display_name: z.string().optional().catch(undefined),
  owned_by: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  context_length: count.nullish().catch(undefined),
  /** vLLM's context window. */
  max_model_len: count.nullish().catch(undefined),
  top_provider: z.object({ max_completion_tokens: count.nullish().catch(undefined) }).nullish().catch(undefined),
});

export class CatalogShapeError extends Error {}

export function parseGitHubCatalog(raw: unknown, provider: ProviderId): CatalogModel[] {
  if (!Array.isArray(raw)) throw new CatalogShapeError('the catalog was not a list of models');
  return raw.flatMap((entry) => {
    const parsed = GitHubEntrySchema.safeParse(entry);
    if (!parsed.success) return [];
    const e = parsed.data;
    return [
      compact({
        provider,
        id: e.id,
        name: e.name,
        publisher: e.publisher,
        summary: e.summary,
        maxInputTokens: e.limits?.max_input_tokens ?? undefined,
        maxOutputTokens: e.limits?.max_output_tokens ?? undefined,
        tier: e.rate_limit_tier,
        capabilities: e.capabilities,
      }),
    ];
  });
}

/**
 * OpenAI's `{ data: [...] }`, or the bare list Together answers with. `idPrefix` is removed from
 * ids (Gemini lists `models/gemini-2.5-pro` and takes `gemini-2.5-pro`).
 */
export function parseOpenAIModels(raw: unknown, provider: ProviderId, idPrefix = ''): CatalogModel[] {
  const data = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? (raw as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new CatalogShapeError('the model list had no "data" array');
  return data.flatMap((entry) => {
    const parsed = OpenAIEntrySchema.safeParse(entry);
    if (!parsed.success) return [];
    const e = parsed.data;
    return [
      compact({
        provider,
        id: idPrefix !== '' && e.id.startsWith(idPrefix) ? e.id.slice(idPrefix.length) : e.id,
        name: e.name ?? e.display_name,
        publisher: e.owned_by,
        summary: e.description,
        maxInputTokens: e.context_length ?? e.max_model_len ?? undefined,
        maxOutputTokens: e.top_provider?.max_completion_tokens ?? undefined,
      }),
    ];
  });
}

/** Drops undefined fields so results compare and serialise cleanly. */
function compact(model: CatalogModel): CatalogModel {
  return Object.fromEntries(Object.entries(model).filter(([, v]) => v !== undefined)) as unknown as CatalogModel;
}
