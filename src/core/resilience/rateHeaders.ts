/**
 * The rate limits a server announces on its answers, read into one shape:
 * - OpenAI, Groq, LiteLLM, Together: `x-ratelimit-limit-requests`, `-remaining-requests`,
 *   `-reset-requests` (a duration such as `6m0s`, `1.5s` or `12ms`) and the same for `-tokens`;
 * - Anthropic: `anthropic-ratelimit-requests-limit`, `-remaining`, `-reset` (an RFC 3339 time),
 *   and the same for `-tokens` (or `-input-tokens` where only those are announced).
 * "Reset" is when the limit is back to full: the servers refill continuously, so the rate of
 * refill is (limit − remaining) / time to reset.
 */
import type { HeaderSource } from './backoff';

export interface AnnouncedLimit {
  limit: number;
  remaining: number;
  /** Milliseconds until `remaining` is back to `limit`; undefined when not said. */
  resetMs?: number;
}

export interface AnnouncedLimits {
  requests?: AnnouncedLimit;
  tokens?: AnnouncedLimit;
}

export function readRateHeaders(headers: HeaderSource | undefined, now: number): AnnouncedLimits | undefined {
  if (!headers) return undefined;
  const requests = openAIStyle(headers, 'requests') ?? anthropicStyle(headers, 'requests', now);
  const tokens = openAIStyle(headers, 'tokens') ?? anthropicStyle(headers, 'tokens', now) ?? anthropicStyle(headers, 'input-tokens', now);
  if (!requests && !tokens) return undefined;
  return { ...(requests ? { requests } : {}), ...(tokens ? { tokens } : {}) };
}

/*
 * Every answer is read, and most servers announce nothing: each style looks for its limit first
 * and reads the rest only when there is one (no limit, nothing announced).
 */

function openAIStyle(headers: HeaderSource, kind: 'requests' | 'tokens'): AnnouncedLimit | undefined {
  const limit = headers.get(OPENAI_LIMIT[kind]);
  if (limit === null) return undefined;
  return announced(limit, headers.get(`x-ratelimit-remaining-${kind}`), parseDuration(headers.get(`x-ratelimit-reset-${kind}`)));
}

function anthropicStyle(headers: HeaderSource, kind: 'requests' | 'tokens' | 'input-tokens', now: number): AnnouncedLimit | undefined {
  const limit = headers.get(ANTHROPIC_LIMIT[kind]);
  if (limit === null) return undefined;
  const reset = headers.get(`anthropic-ratelimit-${kind}-reset`)?.trim();
  const at = reset ? Date.parse(reset) : NaN;
  return announced(limit, headers.get(`anthropic-ratelimit-${kind}-remaining`), Number.isFinite(at) ? Math.max(0, at - now) : undefined);
}

const OPENAI_LIMIT = { requests: 'x-ratelimit-limit-requests', tokens: 'x-ratelimit-limit-tokens' } as const;
const ANTHROPIC_LIMIT = { requests: 'anthropic-ratelimit-requests-limit', tokens: 'anthropic-ratelimit-tokens-limit', 'input-tokens': 'anthropic-ratelimit-input-tokens-limit' } as const;

function announced(limitText: string | null, remainingText: string | null, resetMs: number | undefined): AnnouncedLimit | undefined {
  const limit = Number(limitText?.trim() || NaN);
  const remaining = Number(remainingText?.trim() || NaN);
  if (!Number.isFinite(limit) || limit <= 0 || !Number.isFinite(remaining) || remaining < 0) return undefined;
  return { limit, remaining: Math.min(remaining, limit), ...(resetMs === undefined ? {} : { resetMs }) };
}

/** `6m0s`, `1h2m3.5s`, `12ms`, `0.5s`, or a bare number of seconds. */
export function parseDuration(text: string | null | undefined): number | undefined {
  const raw = text?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(raw)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, value, , suffix] of raw.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) total += Number(value) * (unit[suffix as string] as number);
  return total;
}
