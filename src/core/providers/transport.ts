/**
 * The `fetch` the SDK sends every provider request through. It changes nothing on the wire; it
 * reads two things the SDK throws away:
 * - error bodies in shapes other than OpenAI's `{"error": {…}}` (FastAPI's `{"detail": …}`,
 *   Mistral's `{"message": {"detail": […]}}`, a bare `{"error": "text"}`): the SDK keeps only the
 *   `error` member, so they are wrapped into one before it sees them, and the server's words
 *   reach the user and the classifier;
 * - whether a stream ended with `data: [DONE]`: the SDK ends its iteration the same way whether
 *   the server finished or the connection simply ended, and only the first is a complete answer.
 */

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const doneSeen = new WeakSet<Response>();

/** True once the body of this (streamed) response has carried `data: [DONE]`. */
export function streamSaidDone(response: Response): boolean {
  return doneSeen.has(response);
}

export function providerFetch(base: FetchLike): FetchLike {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.ok) return withOpenAIErrorShape(response);
    if (response.body && /text\/event-stream/i.test(response.headers.get('content-type') ?? '')) return watchedStream(response);
    return response;
  };
}

async function withOpenAIErrorShape(response: Response): Promise<Response> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return rebuilt(response, text);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return rebuilt(response, text);
  const rec = parsed as Record<string, unknown>;
  const error = rec['error'];
  if (typeof error === 'object' && error !== null && !Array.isArray(error)) return rebuilt(response, text);
  // `{"error": "text", …}` or a body with no `error` at all: the whole body becomes the error.
  const wrapped = typeof error === 'string' ? { ...rec, message: typeof rec['message'] === 'string' ? rec['message'] : error, error: undefined } : rec;
  return rebuilt(response, JSON.stringify({ error: wrapped }));
}

function rebuilt(response: Response, body: string): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/*
 * Chunks are decoded without a streaming TextDecoder of their own: making one sets up an ICU
 * converter for every response (several microseconds on the way to the first token). A shared
 * decoder decodes each chunk whole, and the bytes of a character cut off at a chunk's end are
 * carried to the next, which is what a streaming decoder does. Only the stream's first chunk
 * loses a byte-order mark, as it would in a decoder of its own.
 */
const FIRST_CHUNK = new TextDecoder();
const LATER_CHUNKS = new TextDecoder('utf-8', { ignoreBOM: true });

/** How many bytes at the end of `bytes` begin a UTF-8 character that the next chunk finishes. */
function unfinishedCharacter(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** A stream's chunks as text, chunk by chunk: what a streaming TextDecoder of its own would give. */
export class ChunkText {
  private first = true;
  /** The start of a character the last chunk cut off. */
  private carry: Uint8Array | undefined;

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
    }
    const cut = unfinishedCharacter(bytes);
    this.carry = cut > 0 ? bytes.slice(bytes.length - cut) : undefined;
    const decoder = this.first ? FIRST_CHUNK : LATER_CHUNKS;
    // A first chunk that is only the start of a character has not begun the text yet.
    if (bytes.length > cut) this.first = false;
    return decoder.decode(cut > 0 ? bytes.subarray(0, bytes.length - cut) : bytes);
  }
}

/** Watches the `data: [DONE]` marker as the text passes (it may straddle two chunks). */
class DoneWatch {
  private tail = '';
  private readonly text = new ChunkText();

  /** `saw` hears when the marker passes. */
  constructor(private readonly saw: () => void) {}

  see(chunk: Uint8Array): void {
    const text = this.tail + this.text.decode(chunk);
    if (/(^|\n)data:\s*\[DONE\]/.test(text)) this.saw();
    const lineStart = text.lastIndexOf('\n');
    this.tail = lineStart >= 0 ? text.slice(lineStart) : text.slice(-64);
  }
}

/**
 * The same response, its body watched for `data: [DONE]` as the SDK reads it. The SDK reads a
 * body through its async iterator when it has one, so the watch sits on that iterator of the
 * very stream: no second stream and no pipe, which cost a streamed answer more than anything
 * else on its way to the first token. A body without an iterator is piped through a watch.
 */
function watchedStream(response: Response): Response {
  const body = response.body as ReadableStream<Uint8Array> & Partial<AsyncIterable<Uint8Array>>;
  const iterate = body[Symbol.asyncIterator];
  if (typeof iterate === 'function') {
    const watch = new DoneWatch(() => doneSeen.add(response));
    Object.defineProperty(body, Symbol.asyncIterator, { configurable: true, value: () => watchedChunks(iterate.call(body), watch) });
    return response;
  }
  // The SDK hands back the response it was given: the rebuilt one is the one asked about.
  const rebuilt: { response?: Response } = {};
  const watch = new DoneWatch(() => rebuilt.response && doneSeen.add(rebuilt.response));
  const piped = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        watch.see(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  rebuilt.response = new Response(piped, { status: response.status, statusText: response.statusText, headers: response.headers });
  return rebuilt.response;
}

function watchedChunks(source: AsyncIterator<Uint8Array>, watch: DoneWatch): AsyncIterableIterator<Uint8Array> {
  const chunks: AsyncIterableIterator<Uint8Array> = {
    async next() {
      const step = await source.next();
      if (step.done !== true) watch.see(step.value);
      return step;
    },
    // An SDK that stops reading (the user cancelled) releases the stream through these.
    return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    throw: (err?: unknown) => source.throw?.(err) ?? Promise.reject(err instanceof Error ? err : new Error(String(err))),
    [Symbol.asyncIterator]: () => chunks,
  };
  return chunks;
}
