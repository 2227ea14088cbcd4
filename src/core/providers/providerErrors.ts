/**
 * Turns whatever a provider call threw into an AurelisError a person can act on, plus what the
 * retry loop and the breaker need to know about it. Text from the provider has the connection's
 * own key and header values redacted first (a server may echo them, and an unprefixed key has no
 * shape to recognise), then passes through `scrubSecrets` (AurelisError does it again) and is cut
 * short; the SDK's error is kept as the cause only as a redacted copy. Keys never reach a message
 * or a log.
 */
import { APIConnectionError, APIError } from 'openai';
import { AurelisError, redactedCause, redactValues, scrubSecrets, type ErrorKind, type NextStep } from '../errors';
import { serverWaitMs, type HeaderSource } from '../resilience/backoff';
import { secretValues, type Connection } from './connection';
import { refusedField, type OptionalField } from './refusedParameters';
import { serverWords } from './serverText';

export interface FailureContext {
  /** With `apiKey` and `headers` when the call had them: their values are redacted from what the provider says. */
  connection: Pick<Connection, 'provider' | 'label' | 'baseUrl' | 'local'> & Partial<Pick<Connection, 'apiKey' | 'headers'>>;
  model: string;
  now: number;
}

/** Makes text from outside safe to show: known secret values out, then anything shaped like a key. */
type Redact = (text: string) => string;

/** A failed attempt, as the retry loop and the circuit breaker see it. */
export class ProviderFailure extends Error {
  /** The response's headers, when there was a response (the pacer reads the announced limits). */
  headers?: HeaderSource;

  constructor(
    readonly error: AurelisError,
    /** 429, 5xx, network errors and timeouts; never 4xx, content filters or broken streams. */
    readonly retryable: boolean,
    /** Says something about the model's health (opens the breaker when repeated). */
    readonly breakerFailure: boolean,
    /** The wait the server asked for, when it said. */
    readonly serverWaitMs?: number,
    /** The optional request field the server refused: the same request without it may succeed. */
    readonly refusedField?: OptionalField,
  ) {
    super(error.message);
    this.name = 'ProviderFailure';
  }
}

export const RETIRED_MESSAGE = 'GitHub Models was retired on 2026-07-30 — choose another provider (GitHub recommends Azure AI Foundry).';

export function classifyFailure(err: unknown, ctx: FailureContext): ProviderFailure {
  if (err instanceof ProviderFailure) return err;
  if (err instanceof AurelisError) return new ProviderFailure(err, false, false);
  // Our own error from inside the fetch (an unusable aurelis.network.caFile), wrapped by the SDK.
  if (err instanceof APIConnectionError && err.cause instanceof AurelisError) return new ProviderFailure(err.cause, false, false);
  const secrets = secretValues(ctx.connection);
  const redact: Redact = (text) => scrubSecrets(redactValues(text, secrets));
  if (err instanceof APIConnectionError) return networkFailure(err, ctx, redact);
  if (err instanceof APIError && err.status !== undefined) return statusFailure(err, err.status, ctx, redact);
  if (err instanceof APIError) return inStreamFailure(err, ctx, redact);
  if (err instanceof SyntaxError) return unreadable(ctx, 'its answer was not valid JSON');
  return networkFailure(err, ctx, redact);
}

function statusFailure(err: APIError, status: number, ctx: FailureContext, redact: Redact): ProviderFailure {
  const { label, provider } = ctx.connection;
  const model = ctx.model;
  const body = bodyOf(err, redact);
  const said = body.message ? ` The server said: "${body.message}"` : '';
  const cause = redactedCause(err, redact);
  const opts = (nextSteps?: NextStep[]) => ({ provider, model, status, cause, ...(nextSteps ? { nextSteps } : {}) });
  const fail = (kind: ErrorKind, message: string, nextSteps?: NextStep[]) => new ProviderFailure(new AurelisError(kind, message, opts(nextSteps)), false, false);

  if (body.code === 'content_filter' || body.innerCode === 'ResponsibleAIPolicyViolation') {
    return fail('content_filtered', contentFilterMessage(label, body.filtered));
  }
  if (body.overflow && status !== 429) return fail('too_large', overflowMessage(label, model, body.message), ['chooseModel']);
  if (body.refused && (status === 400 || status === 422 || status >= 500)) {
    // A 5xx that names a field is a server that cannot do that field, not an outage.
    const error = new AurelisError('bad_request', `${label} does not accept the request field "${body.refused}" for ${model} (HTTP ${status}).${said}`, opts(['chooseModel', 'viewLog']));
    return new ProviderFailure(error, false, false, undefined, body.refused);
  }
  switch (status) {
    case 401:
      return fail('auth', authMessage(ctx, 401, said));
    case 403:
      return fail('auth', authMessage(ctx, 403, said));
    case 404:
      return fail('unknown_model', unknownModelMessage(ctx), ['chooseModel', 'openSettings']);
    case 410:
      // GitHub Models answered 410 to everything once the service was retired; elsewhere a 410
      // means this one model is gone, so the chain may still try the provider's other models.
      return provider === 'github-models'
        ? fail('retired', RETIRED_MESSAGE, ['selectProvider'])
        : fail('unknown_model', `${label} says the model "${model}" is gone (HTTP 410). Choose another model or provider.`, ['chooseModel', 'selectProvider']);
    case 413:
      return fail('too_large', tooLargeByServerMessage(label, model, body.message), ['chooseModel']);
    case 429:
      return rateLimited(err, body, ctx, redact);
  }
  if (status >= 500) {
    const error = new AurelisError('unavailable', `${label} could not answer with ${model} (HTTP ${status}).${said} Try again later or choose another provider.`, opts());
    return new ProviderFailure(error, true, true, serverWaitMs(err.headers, undefined, ctx.now));
  }
  return fail('bad_request', `${label} refused the request to ${model} (HTTP ${status}).${said} Check the model's settings (aurelis.models) or choose another model.`, ['chooseModel', 'viewLog']);
}

function rateLimited(err: APIError, body: ErrorBody, ctx: FailureContext, redact: Redact): ProviderFailure {
  const wait = serverWaitMs(err.headers, body.message, ctx.now);
  const header = err.headers?.get('x-ratelimit-type')?.trim();
  const limitType = header ? clip(redact(header)) : undefined;
  const error = rateLimitedError(ctx.connection.label, ctx.connection.provider, ctx.model, ctx.now, wait === undefined ? undefined : ctx.now + wait, limitType, redactedCause(err, redact));
  return new ProviderFailure(error, true, false, wait);
}

export function rateLimitedError(
  label: string,
  provider: Connection['provider'],
  model: string,
  now: number,
  resetAt: number | undefined,
  limitType?: string,
  cause?: unknown,
): AurelisError {
  const which = limitType ? ` (${limitType})` : '';
  const when = resetAt === undefined ? 'It usually resets within a minute' : `It resets ${describeReset(resetAt, now)}`;
  return new AurelisError('rate_limited', `${label} rate limit reached for ${model}${which}. ${when}; wait, or choose another model or provider.`, {
    provider,
    model,
    status: 429,
    ...(resetAt === undefined ? {} : { resetAt }),
    nextSteps: ['chooseModel', 'selectProvider'],
    cause,
  });
}

/** "at 14:05 (in 1 h 34 min)" in the user's local time. */
export function describeReset(resetAt: number, now: number): string {
  const at = new Date(resetAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return `at ${at} (in ${describeDuration(resetAt - now)})`;
}

export function describeDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.ceil(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function authMessage(ctx: FailureContext, status: 401 | 403, said: string): string {
  const { label, provider } = ctx.connection;
  if (provider === 'github-models') {
    const refused = status === 401 ? 'GitHub Models did not accept the token (HTTP 401).' : `GitHub Models refused access to ${ctx.model} (HTTP 403).`;
    const extra = status === 403 ? ' Your organization must also have GitHub Models enabled, and some models are not available on every Copilot plan.' : '';
    return `${refused}${said} The token needs the \`models: read\` permission (fine-grained token or GitHub App; classic tokens work as they are).${extra} Run "Aurelis: Set API Key" with such a token.`;
  }
  const refused = status === 401 ? `${label} did not accept the API key (HTTP 401).` : `${label} refused access to ${ctx.model} (HTTP 403).`;
  return `${refused}${said} Check the key with "Aurelis: Set API Key", or that your account may use this model.`;
}

function unknownModelMessage(ctx: FailureContext): string {
  const { label, provider } = ctx.connection;
  const m = ctx.model;
  if (provider === 'ollama') return `Ollama has no model "${m}". Pull it first (ollama pull ${m}), or choose a model you have.`;
  if (provider === 'lmstudio') return `LM Studio has no model "${m}" loaded. Download and load it in LM Studio, or choose a model you have.`;
  return `${label} has no model "${m}" (unknown_model). Choose a model from the provider's catalog ("Aurelis: Models") or fix the id in aurelis.models.`;
}

function overflowMessage(label: string, model: string, serverMessage: string | undefined): string {
  const said = serverMessage ? ` The server said: "${serverMessage}"` : '';
  return `${label} refused the request as too large for ${model}'s context.${said} Send a smaller selection, lower aurelis.maxOutputTokens for this task, or choose a model with a larger context.`;
}

function tooLargeByServerMessage(label: string, model: string, serverMessage: string | undefined): string {
  const max = serverMessage ? /max size:\s*([\d,]+)\s*tokens/i.exec(serverMessage)?.[1] : undefined;
  const limit = max ? ` The limit is ${max} tokens per request.` : '';
  return `${label} refused the request as too large for ${model} (HTTP 413 tokens_limit_reached).${limit} Send a smaller selection or choose a model with a larger limit.`;
}

export function contentFilterMessage(label: string, categories: string[]): string {
  const which = categories.length > 0 ? ` (${categories.join(', ')})` : '';
  return `${label}'s content filter blocked this request${which}. Rephrase the prompt or leave out the flagged text; Aurelis does not retry filtered requests.`;
}

/**
 * Errors that mean no connection was ever made (nothing reached the server). Anything else
 * (a reset, "other side closed") happened on a connection the server had accepted, most often
 * after it took the request: "could not reach" would send the user to check a network that works.
 */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);

/** Certificate errors: the server answered, but with a certificate nobody here vouches for. */
const UNTRUSTED_CERTIFICATE = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

function networkFailure(err: unknown, ctx: FailureContext, redact: Redact): ProviderFailure {
  const { label, baseUrl, local } = ctx.connection;
  const tlsCode = certificateCode(err);
  if (tlsCode !== undefined) {
    // Retrying cannot change a certificate; the breaker learns nothing about the model.
    const error = new AurelisError(
      'unavailable',
      `${label} at ${baseUrl} presented a certificate Aurelis does not trust (${tlsCode}). If it comes from your company's certificate authority or is self-signed, point aurelis.network.caFile at that CA's PEM file.`,
      { provider: ctx.connection.provider, model: ctx.model, cause: redactedCause(err, redact), nextSteps: ['openSettings', 'viewLog'] },
    );
    return new ProviderFailure(error, false, false);
  }
  const code = errorCode(err);
  const why = code ? ` (${redact(code)})` : '';
  const opts = { provider: ctx.connection.provider, model: ctx.model, cause: redactedCause(err, redact) };
  if (code !== undefined && !NEVER_CONNECTED.has(code)) {
    const error = new AurelisError('unavailable', `The connection to ${label} dropped after the server took the request to ${ctx.model}${why}. The server may have stopped or restarted, or a proxy cut the connection; try again.`, opts);
    return new ProviderFailure(error, true, true);
  }
  const hint = local ? ` Is ${label} running?` : ' Check your network connection, proxy and aurelis.endpoints.';
  const error = new AurelisError('unavailable', `Could not reach ${label} at ${baseUrl}${why}.${hint}`, opts);
  return new ProviderFailure(error, true, true);
}

/**
 * An error event inside an SSE stream: no HTTP status on the response (it was 200), so the
 * event's own status or code says what kind of failure it is, exactly as a status would have.
 */
function inStreamFailure(err: APIError, ctx: FailureContext, redact: Redact): ProviderFailure {
  const status = streamedStatus(err.error);
  // Auth, rate limits, unknown models and refused fields are what they would be over HTTP;
  // a server error keeps the words below (there was no HTTP 5xx to name).
  if (status !== undefined && status < 500) return statusFailure(err, status, ctx, redact);
  const body = bodyOf(err, redact);
  const cause = redactedCause(err, redact);
  if (body.code === 'content_filter') {
    return new ProviderFailure(new AurelisError('content_filtered', contentFilterMessage(ctx.connection.label, body.filtered), { provider: ctx.connection.provider, model: ctx.model, cause }), false, false);
  }
  if (body.overflow) {
    return new ProviderFailure(new AurelisError('too_large', overflowMessage(ctx.connection.label, ctx.model, body.message), { provider: ctx.connection.provider, model: ctx.model, cause, nextSteps: ['chooseModel'] }), false, false);
  }
  const said = body.message ? `: "${body.message}"` : '';
  const error = new AurelisError('unavailable', `${ctx.connection.label} reported an error while answering with ${ctx.model}${said}. Try again or choose another model.`, {
    provider: ctx.connection.provider,
    model: ctx.model,
    cause,
  });
  return new ProviderFailure(error, true, true);
}

/** The HTTP status an in-stream error stands for: its own `status`/numeric `code`, else its code's usual status. */
const STATUS_OF_CODE: Record<string, number> = {
  invalid_api_key: 401,
  authentication_error: 401,
  unauthorized: 401,
  permission_error: 403,
  permission_denied: 403,
  forbidden: 403,
  model_not_found: 404,
  not_found_error: 404,
  rate_limit_exceeded: 429,
  rate_limit_error: 429,
  insufficient_quota: 429,
  overloaded_error: 503,
  server_error: 500,
  internal_error: 500,
  api_error: 500,
  service_unavailable: 503,
};

function streamedStatus(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const rec = raw as Record<string, unknown>;
  for (const key of ['status', 'status_code', 'code']) {
    const value = rec[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : undefined;
    if (n !== undefined && n >= 400 && n < 600) return n;
  }
  for (const key of ['code', 'type']) {
    const value = rec[key];
    if (typeof value === 'string' && STATUS_OF_CODE[value] !== undefined) return STATUS_OF_CODE[value];
  }
  return undefined;
}

export function unreadable(ctx: FailureContext, what: string): ProviderFailure {
  const error = new AurelisError('invalid_response', `${ctx.connection.label} sent an answer Aurelis could not read from ${ctx.model}: ${what}. Try again or choose another model.`, {
    provider: ctx.connection.provider,
    model: ctx.model,
    nextSteps: ['retry', 'chooseModel', 'viewLog'],
  });
  return new ProviderFailure(error, false, true);
}

interface ErrorBody {
  code?: string;
  innerCode?: string;
  message?: string;
  filtered: string[];
  /** The optional request field the server says it does not take. */
  refused?: OptionalField;
  /** The prompt (with the answer's allowance) is more than the model's context holds. */
  overflow?: boolean;
}

/**
 * A prompt longer than the model's context, in the words servers use: OpenAI and vLLM
 * ("maximum context length is 4096 tokens"), llama.cpp ("exceeds the available context size"),
 * LM Studio ("context the overflows"), Ollama ("input length exceeds the context length"),
 * Anthropic ("prompt is too long"), Gemini ("exceeds the maximum number of tokens").
 */
const CONTEXT_OVERFLOW =
  /maximum context length|context[_ ]length[_ ]exceeded|exceeds? (the )?(available |maximum )?context (size|length|window)|context (the )?overflows|prompt is too long|input (length|is too long|tokens? exceed)|exceeds the maximum number of (input )?tokens|too many (input )?tokens|reduce the length of the (messages|prompt)/i;

function bodyOf(err: APIError, redact: Redact): ErrorBody {
  const raw = err.error;
  const body: ErrorBody = { filtered: [] };
  if (typeof raw !== 'object' || raw === null) return body;
  const rec = raw as Record<string, unknown>;
  if (typeof rec['code'] === 'string') body.code = rec['code'];
  const texts: string[] = [];
  const locations: unknown[][] = [];
  collectText(rec, texts, locations, 0);
  const message = texts.find((t) => t.trim() !== '');
  if (message) body.message = serverWords(redact(message.trim()));
  body.overflow = rec['code'] === 'context_length_exceeded' || rec['type'] === 'exceed_context_size_error' || CONTEXT_OVERFLOW.test(texts.join(' '));
  const refused = refusedField({ param: rec['param'], code: rec['code'] ?? rec['type'], text: redact(texts.join(' ')), locations });
  if (refused) body.refused = refused;
  const inner = rec['innererror'] ?? rec['inner_error'];
  if (typeof inner === 'object' && inner !== null) {
    const innerRec = inner as Record<string, unknown>;
    if (typeof innerRec['code'] === 'string') body.innerCode = innerRec['code'];
    const result = innerRec['content_filter_result'];
    if (typeof result === 'object' && result !== null) {
      for (const [category, verdict] of Object.entries(result)) {
        if (typeof verdict === 'object' && verdict !== null && (verdict as Record<string, unknown>)['filtered'] === true) body.filtered.push(clip(redact(category).replace(/_/g, ' ')));
      }
    }
  }
  return body;
}

/**
 * The text of an error body in the shapes servers use: OpenAI's `message`, FastAPI's `detail`
 * (a string, or a list of `{msg, loc}`), Mistral's `message` that is itself such an object.
 */
function collectText(value: unknown, texts: string[], locations: unknown[][], depth: number): void {
  if (depth > 4) return;
  if (typeof value === 'string') {
    texts.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 10)) collectText(item, texts, locations, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const rec = value as Record<string, unknown>;
  if (Array.isArray(rec['loc'])) locations.push(rec['loc'] as unknown[]);
  for (const key of ['message', 'detail', 'msg', 'error']) if (key in rec) collectText(rec[key], texts, locations, depth + 1);
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

function certificateCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNTRUSTED_CERTIFICATE.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** ECONNREFUSED, ENOTFOUND, … from the error or its causes (fetch wraps them twice). */
function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
