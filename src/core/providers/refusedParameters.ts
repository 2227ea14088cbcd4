/**
 * A server that refuses one optional field of a request ("Unsupported parameter: 'temperature'",
 * pydantic's "Extra inputs are not permitted" for `max_completion_tokens`, a 500 from a local
 * server that cannot do `response_format`) would take the same request without it. This module
 * reads which field an error names, and remembers per model what was refused so later requests
 * leave it out from the start. Only fields Aurelis can do without are ever dropped; the model,
 * the messages and the stream flag never are.
 */

/** Fields a request can lose and still be the same question. */
export const OPTIONAL_FIELDS = [
  'temperature',
  'top_p',
  'response_format',
  'reasoning_effort',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'usage',
  'n',
  'logprobs',
  'seed',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(OPTIONAL_FIELDS);

/** Words servers use when a field, or a value of it, is not accepted at all (as opposed to out of range). */
const REFUSAL_WORDS =
  /unsupported|not supported|does not support|doesn't support|not allowed|not permitted|unrecognized|unrecognised|unknown (field|parameter|argument)|extra inputs|extra_forbidden|not (a )?valid (field|parameter)|is not available for this model|no longer supported/i;

/** OpenAI's codes for a field the model does not take. */
const REFUSAL_CODES = new Set(['unsupported_parameter', 'unsupported_value', 'extra_forbidden']);

/** The format fields' other names in error text ("json mode", "structured output"). */
const FORMAT_WORDS = /json_schema|json_object|structured output|json mode|response format/i;

export interface ErrorFacts {
  /** OpenAI's `param`, when the body has one. */
  param?: unknown;
  code?: unknown;
  /** Every piece of text the body carries (message, detail, msg), already redacted. */
  text: string;
  /** pydantic-style `loc` paths (FastAPI servers: vLLM, Mistral, LiteLLM). */
  locations: unknown[][];
}

/** The optional field an error says the server refused, or undefined. */
export function refusedField(facts: ErrorFacts): OptionalField | undefined {
  const refusal = REFUSAL_WORDS.test(facts.text) || (typeof facts.code === 'string' && REFUSAL_CODES.has(facts.code));
  if (!refusal) return undefined;
  if (typeof facts.param === 'string' && FIELD_SET.has(facts.param)) return facts.param as OptionalField;
  for (const loc of facts.locations) {
    const last = loc[loc.length - 1];
    if (typeof last === 'string' && FIELD_SET.has(last)) return last as OptionalField;
  }
  const named = OPTIONAL_FIELDS.filter((field) => new RegExp(`(^|[^a-z_])${field}($|[^a-z_])`, 'i').test(facts.text));
  // "Use 'max_completion_tokens' instead" names the field to use as well as the refused one.
  const instead = /use\s+['"`]?(max_completion_tokens|max_tokens)['"`]?\s+instead/i.exec(facts.text)?.[1];
  const refused = named.filter((field) => field !== instead);
  if (refused[0] !== undefined) return refused[0];
  if (FORMAT_WORDS.test(facts.text)) return 'response_format';
  return undefined;
}

/** What each model refused, so the next request leaves it out at once. Lives as long as the orchestrator. */
export class RefusedParameters {
  private readonly byModel = new Map<string, Set<OptionalField>>();

  of(modelKey: string): ReadonlySet<OptionalField> {
    return this.byModel.get(modelKey) ?? new Set();
  }

  remember(modelKey: string, field: OptionalField): void {
    let set = this.byModel.get(modelKey);
    if (!set) {
      set = new Set();
      this.byModel.set(modelKey, set);
    }
    set.add(field);
  }
}

/**
 * The body without the refused fields. A refused token parameter is sent under its other name
 * (OpenAI's reasoning models refuse `max_tokens` and ask for `max_completion_tokens`; Mistral
 * the reverse) unless that one was refused too.
 */
export function withoutRefused<T extends Record<string, unknown>>(body: T, refused: ReadonlySet<OptionalField>): T {
  const out: Record<string, unknown> = { ...body };
  for (const field of refused) {
    if (!(field in out)) continue;
    const value = out[field];
    delete out[field];
    const other = field === 'max_tokens' ? 'max_completion_tokens' : field === 'max_completion_tokens' ? 'max_tokens' : undefined;
    if (other && !refused.has(other) && !(other in out)) out[other] = value;
  }
  return out as T;
}
