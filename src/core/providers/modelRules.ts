/**
 * What a model accepts in a chat-completions request, by model family: whether it takes a
 * temperature, which parameter carries the output limit, whether it reads `reasoning_effort`.
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5 and their successors) refuse any temperature
 * but the default and read only `max_completion_tokens`; the request builder asks this table
 * instead of each call site knowing model names. What the table does not know, a 400 naming the
 * parameter teaches at run time (refusedParameters.ts).
 */
import { TextMemo } from '../textMemo';

export type TokenParameter = 'max_tokens' | 'max_completion_tokens';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface ModelRules {
  /** False: the model accepts only its default temperature, so none is sent. */
  temperature: boolean;
  /** Which parameter carries the output limit; undefined: the provider's usual one. */
  tokenParameter?: TokenParameter;
  /** The model thinks before it answers, and its output limit counts the thinking. */
  reasoning: boolean;
  /** The model reads `reasoning_effort`. */
  effort: boolean;
}

const PLAIN: ModelRules = { temperature: true, reasoning: false, effort: false };
const OPENAI_REASONING: ModelRules = { temperature: false, tokenParameter: 'max_completion_tokens', reasoning: true, effort: true };

/**
 * Families by model id (publisher prefix removed, lower case). First match wins. `gpt-5-chat`
 * is the non-reasoning chat model of the gpt-5 family and takes a temperature.
 */
const FAMILIES: Array<[RegExp, ModelRules]> = [
  [/^gpt-5(\.\d+)?-chat/, { temperature: true, tokenParameter: 'max_completion_tokens', reasoning: false, effort: false }],
  [/^(o1|o3|o4)($|-)/, OPENAI_REASONING],
  [/^gpt-5($|[.-])/, OPENAI_REASONING],
  // Open-weight gpt-oss (Groq, Together, vLLM): thinks, reads the effort, takes a temperature.
  [/^gpt-oss/, { temperature: true, reasoning: true, effort: true }],
  // Gemini 2.5 thinks within its output limit; its compatibility layer maps the effort to a thinking budget.
  [/^gemini-2\.5/, { temperature: true, reasoning: true, effort: true }],
  // deepseek-reasoner's max_tokens includes its chain of thought; it ignores temperature and has no effort.
  [/^deepseek-(reasoner|r1)/, { temperature: false, reasoning: true, effort: false }],
  // grok-4 always reasons and refuses reasoning_effort; grok-3-mini reads it.
  [/^grok-4/, { temperature: true, reasoning: true, effort: false }],
  [/^grok-3-mini/, { temperature: true, reasoning: true, effort: true }],
];

/** The model id without an OpenRouter/GitHub publisher prefix or an Ollama tag. */
function familyId(model: string): string {
  const id = model.toLowerCase();
  return id.slice(id.lastIndexOf('/') + 1);
}

/** A request asks several times (body, output allowance, effort); a window uses a handful of models. */
const known = new TextMemo<ModelRules>(256, 300);

export function rulesFor(model: string): ModelRules {
  const remembered = known.get(model);
  if (remembered) return remembered;
  const id = familyId(model);
  for (const [pattern, rules] of FAMILIES) if (pattern.test(id)) return known.remember(model, rules);
  return known.remember(model, PLAIN);
}

/**
 * The token parameter for a request: what the model needs, else what the provider reads.
 * A provider that knows only one name (Mistral refuses `max_completion_tokens` as an unknown
 * field) gets that name whatever the model.
 */
export function tokenParameterFor(provider: { tokenParameter: TokenParameter; onlyTokenParameter?: boolean }, model: string): TokenParameter {
  if (provider.onlyTokenParameter === true) return provider.tokenParameter;
  return rulesFor(model).tokenParameter ?? provider.tokenParameter;
}

/**
 * Room for the thinking a reasoning model does before it answers: `max_completion_tokens`
 * counts those tokens too, so a limit sized for the visible answer alone would cut it off
 * while it is still thinking. Sized by effort (OpenAI's models think about this much on code
 * tasks at each effort); `medium` is what the models do when no effort is sent.
 */
export const REASONING_HEADROOM: Record<ReasoningEffort, number> = { minimal: 1_000, low: 4_000, medium: 8_000, high: 16_000 };
