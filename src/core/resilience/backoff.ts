/**
 * How long to wait before trying again: exponential backoff with full jitter (a random wait
 * between 0 and min(cap, base·2^attempt), which spreads retries from many clients apart), unless
 * the server said how long to wait.
 */

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** `attempt` counts from 0 (the wait after the first failure). `random` returns [0, 1). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The wait the server asked for, in ms, or undefined when it did not say. Reads, most precise
 * first: `retry-after-ms`, `x-ratelimit-timeremaining` (seconds; GitHub's own CLI prefers it),
 * `retry-after` (seconds or an HTTP date), and finally GitHub's 429 body text
 * "Please wait 5631 seconds before retrying."
 */
export function serverWaitMs(headers: HeaderSource | undefined, bodyText: string | undefined, now: number): number | undefined {
  const ms = numberHeader(headers, 'retry-after-ms');
  if (ms !== undefined) return ms;
  const remaining = numberHeader(headers, 'x-ratelimit-timeremaining');
  if (remaining !== undefined) return remaining * 1000;
  const retryAfter = headers?.get('retry-after')?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const fromBody = bodyText ? /wait (\d+(?:\.\d+)?) seconds/i.exec(bodyText) : null;
  if (fromBody?.[1] !== undefined) return Number(fromBody[1]) * 1000;
  return undefined;
}

function numberHeader(headers: HeaderSource | undefined, name: string): number | undefined {
  const raw = headers?.get(name)?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
