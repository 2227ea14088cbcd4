/**
 * Typed errors. Each carries a message a person can act on and the next steps the editor
 * offers as buttons. Messages never contain API keys: build them only from our own words and
 * from provider text passed through `scrubSecrets`.
 */

export const ERROR_KINDS = [
  'auth',
  'no_key',
  'unknown_model',
  'retired',
  'too_large',
  'rate_limited',
  'content_filtered',
  'unavailable',
  'timeout',
  'cancelled',
  'stream_broken',
  'bad_request',
  'invalid_response',
  'budget_exceeded',
  'secret_blocked',
  'restricted_mode',
  'config',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Buttons the editor can show next to an error. */
export type NextStep = 'setApiKey' | 'selectProvider' | 'openSettings' | 'raiseBudget' | 'allowOnce' | 'viewLog' | 'retry' | 'chooseModel';

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
