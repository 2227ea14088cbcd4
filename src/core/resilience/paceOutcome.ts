/**
 * What one attempt's outcome tells the pacer: the limits announced on the answer (or on the
 * refusal), and whether it was a 429, a capacity failure (the server could not keep up: a 5xx,
 * an error event in a stream, a timeout) or anything else.
 */
import type { ProviderFailure } from '../providers/providerErrors';
import type { HeaderSource } from './backoff';
import type { PaceOutcome } from './modelPacer';
import { readRateHeaders } from './rateHeaders';

export function answeredOutcome(headers: HeaderSource | undefined, now: number): PaceOutcome {
  const announced = readRateHeaders(headers, now);
  return { result: 'ok', ...(announced ? { announced } : {}) };
}

export function failedOutcome(failure: ProviderFailure, now: number): PaceOutcome {
  const announced = readRateHeaders(failure.headers, now);
  const { kind, status } = failure.error;
  const overloaded = failure.retryable && (kind === 'timeout' || (kind === 'unavailable' && ((status !== undefined && status >= 500) || (status === undefined && failure.headers !== undefined))));
  return {
    result: kind === 'rate_limited' ? 'rate_limited' : overloaded ? 'overloaded' : 'other',
    ...(announced ? { announced } : {}),
    ...(failure.serverWaitMs === undefined ? {} : { waitMs: failure.serverWaitMs }),
  };
}
