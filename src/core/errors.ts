/**
 * Typed errors. Each carries a message a person can act on and the next steps the editor
 * offers as buttons. Messages never contain API keys: build them only from our own words and
 * from provider text passed through `redactValues` (the connection's own key and header values)
 * and `scrubSecrets` (anything shaped like a key); a `cause` from outside goes through
 * `redactedCause` first.
 */

import type { ErrorKind } from '../shared/errorKinds';
export { ERROR_KINDS, type ErrorKind } from '../shared/errorKinds';

/** Buttons the editor can show next to an error. */
export type NextStep = 'setApiKey' | 'selectProvider' | 'openSettings' | 'raiseBudget' | 'allowOnce' | 'viewLog' | 'retry' | 'retryLarger' | 'chooseModel';

export interface AurelisErrorOptions {
  nextSteps?: NextStep[];
  provider?: string;
  model?: string;
  status?: number;
  /** When a rate limit resets (epoch ms). */
  resetAt?: number;
  /** Text a broken stream had already delivered. */
  partialText?: string;
  cause?: unknown;
}

export class AurelisError extends Error {
  readonly kind: ErrorKind;
  readonly nextSteps: NextStep[];
  readonly provider?: string;
  readonly model?: string;
  readonly status?: number;
  readonly resetAt?: number;
  readonly partialText?: string;

  constructor(kind: ErrorKind, message: string, options: AurelisErrorOptions = {}) {
    super(scrubSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AurelisError';
    this.kind = kind;
    this.nextSteps = options.nextSteps ?? defaultNextSteps(kind);
    this.provider = options.provider;
    this.model = options.model;
    this.status = options.status;
    this.resetAt = options.resetAt;
    this.partialText = options.partialText;
  }
}

export function isAurelisError(e: unknown): e is AurelisError {
  return e instanceof AurelisError;
}

function defaultNextSteps(kind: ErrorKind): NextStep[] {
  switch (kind) {
    case 'auth':
    case 'no_key':
      return ['setApiKey', 'selectProvider'];
    case 'retired':
      return ['selectProvider'];
    case 'unknown_model':
      return ['chooseModel', 'openSettings'];
    case 'budget_exceeded':
      return ['raiseBudget', 'allowOnce'];
    case 'config':
      return ['openSettings'];
    case 'cancelled':
      return [];
    case 'unavailable':
    case 'timeout':
    case 'stream_broken':
      return ['retry', 'viewLog'];
    default:
      return ['viewLog'];
  }
}

/**
 * Removes anything that looks like a credential from text that may have come from outside
 * (SDK errors echo request headers; providers echo keys in 401 bodies).
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/(authorization|api[-_]?key|x-api-key)(["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',}]+/gi, '$1$2$3[redacted]')
    .replace(/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]')
    .replace(/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[redacted]')
    .replace(/\bsk-[A-Za-z0-9_-]{16,}\b/g, '[redacted]');
}

/**
 * Values shorter than this are not credentials (a version, a flag, an organization name), and
 * redacting them would garble the words and URLs of a message.
 */
const MIN_REDACTED_LENGTH = 8;

/**
 * Removes known secret values (the connection's key, custom header values) from `text`, also in
 * the escaped forms a server or library may echo them in. `scrubSecrets` only recognises keys by
 * their shape; an unprefixed token, an Azure key (32 hex digits) or a gateway's own key has
 * none, so the value itself is what gives it away. Run it before anything that cuts or rewrites
 * the text, or part of a key could survive.
 */
export function redactValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const form of secretForms(values)) out = out.split(form).join('[redacted]');
  return out;
}

/** Each value as written, URL-encoded and JSON-escaped, longest first so no form leaves part of another. */
function secretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_REDACTED_LENGTH) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** How deep a cause chain is copied (fetch wraps a socket error twice). */
const MAX_CAUSE_DEPTH = 5;

/**
 * A copy of an error from outside (SDK, fetch) that is safe to keep as an AurelisError's
 * `cause`: the original carries the server's whole body (`error`), its headers and a message
 * that may echo the key, and anything that logs the cause chain would write them out. The copy
 * keeps what helps in a log (name, message, stack, code, status, the causes below it) with every
 * text passed through `redact` and `scrubSecrets`; non-error values become their redacted text.
 */
export function redactedCause(err: unknown, redact: (text: string) => string, depth = 0): unknown {
  const clean = (text: string): string => scrubSecrets(redact(text));
  if (err === undefined || err === null || typeof err === 'number' || typeof err === 'boolean') return err;
  if (!(err instanceof Error)) return clean(typeof err === 'string' ? err : safeJson(err));
  const below = depth + 1 < MAX_CAUSE_DEPTH && err.cause !== undefined ? { cause: redactedCause(err.cause, redact, depth + 1) } : undefined;
  const copy = new Error(clean(err.message), below);
  copy.name = err.name;
  copy.stack = err.stack === undefined ? `${copy.name}: ${copy.message}` : clean(err.stack);
  const { code, status } = err as { code?: unknown; status?: unknown };
  if (typeof code === 'string') Object.assign(copy, { code: clean(code) });
  else if (typeof code === 'number') Object.assign(copy, { code });
  if (typeof status === 'number') Object.assign(copy, { status });
  return copy;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
