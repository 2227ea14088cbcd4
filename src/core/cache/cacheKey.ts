/**
 * The cache key: SHA-256 over everything that changes the answer — provider, model, task, the
 * prompt, system prompt and messages (whitespace normalised), temperature, max tokens, response
 * format, and the language, framework and style the request names. Everything else (streaming,
 * the file path, "regenerate", budget flags) leaves the answer alone and so is not in the key.
 */
import { createHash } from 'node:crypto';
import type { ModelTarget } from '../pipeline';
import type { TaskRequest } from '../types';

/** Bump when the key material changes meaning, so old entries simply stop matching. */
const KEY_VERSION = 1;

/**
 * Line endings become LF, trailing spaces go, runs of blank lines become one, and the text is
 * trimmed at both ends. Indentation stays: in Python, YAML or a Makefile it changes the code.
 */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

export function cacheKey(request: TaskRequest, target: ModelTarget): string {
  const text = (s: string | undefined) => (s === undefined ? null : normaliseWhitespace(s));
  const material = {
    v: KEY_VERSION,
    provider: target.provider,
    model: target.model,
    task: request.task,
    prompt: text(request.prompt),
    system: text(request.systemPrompt),
    messages: request.messages?.map((m) => [m.role, normaliseWhitespace(m.content)]) ?? null,
    temperature: request.temperature ?? null,
    maxTokens: request.maxTokens ?? null,
    topP: request.topP ?? null,
    responseFormat: request.responseFormat ?? null,
    language: request.metadata?.language ?? null,
    framework: request.metadata?.framework ?? null,
    style: request.metadata?.style ?? null,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
