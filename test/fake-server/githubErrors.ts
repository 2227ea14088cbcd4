/**
 * GitHub Models' error answers, byte for byte as the wire notes record them
 * (../shared/design/github-models-wire.md), ready to hand to `FakeOpenAIServer.script()`.
 */
import type { FakeReply } from './replies';

export type GitHubLimitType = 'UserByModelByMinute' | 'UserByModelByDay' | 'UserByMinute' | 'UserConcurrentRequests';

export interface RateLimitOptions {
  type?: GitHubLimitType;
  /** The limit named in the message ("Rate limit of 50 per 86400s"). */
  limit?: number;
  windowSeconds?: number;
  /** Seconds the message and headers ask the client to wait. */
  waitSeconds?: number;
  /** Leave out headers to test the fall-backs (body text, defaults). */
  omitHeaders?: Array<'retry-after' | 'x-ratelimit-timeremaining' | 'x-ratelimit-type' | 'x-ms-error-code'>;
  /** Extra headers, e.g. `retry-after-ms`. */
  headers?: Record<string, string>;
}

export function rateLimitMessage(o: Required<Pick<RateLimitOptions, 'type' | 'limit' | 'windowSeconds' | 'waitSeconds'>>): string {
  return `Rate limit of ${o.limit} per ${o.windowSeconds}s exceeded for ${o.type}. Please wait ${o.waitSeconds} seconds before retrying.`;
}

export const githubErrors = {
  /** 429 RateLimitReached; defaults to the daily limit from the wire notes (wait 5631 s). */
  rateLimited(options: RateLimitOptions = {}): FakeReply {
    const type = options.type ?? 'UserByModelByDay';
    const limit = options.limit ?? 50;
    const windowSeconds = options.windowSeconds ?? (type === 'UserByModelByDay' ? 86400 : 60);
    const waitSeconds = options.waitSeconds ?? (type === 'UserConcurrentRequests' ? 0 : 5631);
    const message = rateLimitMessage({ type, limit, windowSeconds, waitSeconds });
    const headers: Record<string, string> = {
      'retry-after': String(waitSeconds),
      'x-ratelimit-timeremaining': String(waitSeconds),
      'x-ratelimit-type': type,
      'x-ms-error-code': 'RateLimitReached',
    };
    for (const name of options.omitHeaders ?? []) delete headers[name];
    return { type: 'error', status: 429, headers: { ...headers, ...options.headers }, body: { error: { code: 'RateLimitReached', message, details: message } } };
  },

  unauthorized(): FakeReply {
    const message = 'The `models` permission is required to access this endpoint';
    return { type: 'error', status: 401, body: { error: { code: 'unauthorized', message, details: message } } };
  },

  /** 403 with an empty body (an organization without Models; o-series models). */
  forbidden(): FakeReply {
    return { type: 'error', status: 403, rawBody: '' };
  },

  unknownModel(model: string): FakeReply {
    const message = `Unknown model: ${model}`;
    return { type: 'error', status: 404, body: { error: { code: 'unknown_model', message, details: message } } };
  },

  tokensLimitReached(model = 'gpt-4o', maxTokens = 8000): FakeReply {
    const message = `Request body too large for ${model} model. Max size: ${maxTokens} tokens.`;
    return { type: 'error', status: 413, body: { error: { code: 'tokens_limit_reached', message, details: message } } };
  },

  /** 400 content_filter with Azure's ResponsibleAIPolicyViolation inner error. */
  contentFilter(filtered: Array<'hate' | 'jailbreak' | 'self_harm' | 'sexual' | 'violence'> = ['violence']): FakeReply {
    const categories = ['hate', 'jailbreak', 'self_harm', 'sexual', 'violence'] as const;
    const content_filter_result = Object.fromEntries(
      categories.map((c) => [c, c === 'jailbreak' ? { filtered: filtered.includes(c), detected: filtered.includes(c) } : { filtered: filtered.includes(c), severity: filtered.includes(c) ? 'high' : 'safe' }]),
    );
    return {
      type: 'error',
      status: 400,
      body: {
        error: {
          code: 'content_filter',
          message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
          param: 'prompt',
          status: 400,
          innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result },
        },
      },
    };
  },

  /** 410 Gone, as observed after the retirement on 2026-07-30. */
  retired(): FakeReply {
    return { type: 'error', status: 410, rawBody: 'Gone' };
  },
};
