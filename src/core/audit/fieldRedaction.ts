/**
 * The last line of defence before anything reaches the audit log: field-level redaction and
 * truncation, applied to every line whatever its type.
 * - A string under a field whose name says it holds a credential (token, key, secret,
 *   password, authorization, credential, cookie — at any depth, e.g. `context.headers.Authorization`)
 *   becomes `[REDACTED]`; so does every string inside an object or array under such a name.
 *   Numbers and booleans stay (`promptTokens: 120` carries no credential).
 * - Every other string is run through the secret scanner and `scrubSecrets`, then cut to a
 *   maximum length.
 */
import { scrubSecrets } from '../errors';
import { nameWords } from '../secrets/secretNames';
import type { SecretScanner } from '../secrets/secretScanner';

export const REDACTED_FIELD = '[REDACTED]';

const SENSITIVE_WORDS = new Set([
  'token', 'tokens', 'key', 'keys', 'apikey', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'pwd', 'passphrase',
  'authorization', 'auth', 'credential', 'credentials', 'creds', 'cookie', 'cookies',
]);
const SENSITIVE_ENDINGS = /(?:token|key|secret|password|passwd|authorization|credentials?)$/;

export function isSensitiveFieldName(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => SENSITIVE_WORDS.has(w)) || SENSITIVE_ENDINGS.test(words.join(''));
}

export function truncate(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  return { text: `${text.slice(0, maxChars)}…[truncated ${text.length - maxChars} characters]`, truncated: true };
}

export interface FieldRedactionOptions {
  scanner: SecretScanner;
  /** Longest string kept in any field. */
  maxChars: number;
}

/** A copy of `value` with sensitive fields redacted and long strings cut. */
export function redactFields(value: unknown, options: FieldRedactionOptions, name?: string): unknown {
  if (name !== undefined && isSensitiveFieldName(name)) return redactAllStrings(value);
  if (typeof value === 'string') return truncate(scrubSecrets(options.scanner.redactText(value)), options.maxChars).text;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, options));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactFields(v, options, k);
    return out;
  }
  return value;
}

function redactAllStrings(value: unknown): unknown {
  if (typeof value === 'string') return REDACTED_FIELD;
  if (Array.isArray(value)) return value.map(redactAllStrings);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAllStrings(v)]));
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
