/** What the fake server can be told to answer. Plain data, so tests read like a script. */

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
  /** OpenRouter: what the request cost, in USD. */
  cost?: number;
}

export type FakeReply =
  /** A normal answer: JSON, or SSE chunks when the request asked to stream. */
  | {
      type: 'answer';
      content?: string;
      /** How a streamed answer is split (default: word by word). Ignored for JSON answers. */
      chunks?: string[];
      /** `null` sends no finish_reason at all (a stream that stops without finishing). */
      finishReason?: 'stop' | 'length' | 'content_filter' | 'tool_calls' | null;
      /** `null` leaves usage out (JSON) or sends no usage chunk (SSE). Default: computed. */
      usage?: FakeUsage | null;
      /** Real milliseconds before the headers. */
      delayMs?: number;
      /** Nothing is sent until this settles: a test decides when the answer comes, whatever the machine's load. */
      until?: Promise<unknown>;
      /** Real milliseconds between SSE content chunks (the first one goes at once). */
      chunkDelayMs?: number;
      /** Streamed: send this many content chunks, then nothing more (the connection stays open). */
      hangAfterChunks?: number;
      /** Streamed: end with `data: [DONE]` (default: when a finish reason was sent). */
      done?: boolean;
      /** Streamed: blank lines and SSE comments before the first chunk (DeepSeek while queued). */
      keepAlive?: boolean;
      /** Extra response headers (rate-limit headers, a gateway's cost header). */
      headers?: Record<string, string>;
    }
  /** An HTTP error: `body` is sent as JSON, `rawBody` as text (e.g. '' for GitHub's empty 403). */
  | { type: 'error'; status: number; body?: unknown; rawBody?: string; headers?: Record<string, string>; delayMs?: number }
  /**
   * Sends `chunks` as SSE content deltas, then an SSE event `{"error": error}` (how
   * OpenAI-compatible servers report a failure once the stream has begun), then ends the stream.
   * Always streams, like 'broken-stream'.
   */
  | { type: 'stream-error'; error: unknown; chunks?: string[] }
  /** Sends `chunks` as SSE content deltas, then destroys the connection. */
  | { type: 'broken-stream'; chunks: string[]; /** Real milliseconds between chunks. */ chunkDelayMs?: number }
  /** 200 with a body that is not valid JSON (or an SSE chunk that is not). */
  | { type: 'malformed'; delayMs?: number }
  /** Never answers; the connection stays open until the client gives up or the server stops. */
  | { type: 'hang' }
  /** Closes the connection without a response (a reset: a network error to the client). */
  | { type: 'drop' }
  /** Any JSON document with status 200 (a model list in a provider's own shape). */
  | { type: 'json'; body: unknown; headers?: Record<string, string> };

export const reply = {
  text(content: string, extra: Omit<Extract<FakeReply, { type: 'answer' }>, 'type' | 'content'> = {}): FakeReply {
    return { type: 'answer', content, ...extra };
  },
  error(status: number, body?: unknown, headers?: Record<string, string>): FakeReply {
    return { type: 'error', status, body: body ?? { error: { code: 'error', message: `HTTP ${status}` } }, ...(headers ? { headers } : {}) };
  },
  brokenStream(chunks: string[]): FakeReply {
    return { type: 'broken-stream', chunks };
  },
  streamError(error: unknown, chunks: string[] = []): FakeReply {
    return { type: 'stream-error', error, chunks };
  },
  malformed(): FakeReply {
    return { type: 'malformed' };
  },
  hang(): FakeReply {
    return { type: 'hang' };
  },
  drop(): FakeReply {
    return { type: 'drop' };
  },
  json(body: unknown, headers?: Record<string, string>): FakeReply {
    return { type: 'json', body, ...(headers ? { headers } : {}) };
  },
};
