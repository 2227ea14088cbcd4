/** What went wrong, in the words the panel and the ledger use. Browser-safe. */
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
