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

/**
 * A watched body's watch is carried by what the response already leads to: the function the
 * body hands out its chunks through (or, piped, the body itself). A table of responses would cost
 * every streamed answer more, before its first token, than the whole watch.
 */
const WATCH = Symbol('the watch for data: [DONE]');
type WatchedChunksOf = (() => AsyncIterableIterator<Uint8Array>) & { [WATCH]?: DoneWatch };
type WatchedBody = ReadableStream<Uint8Array> & { readonly [Symbol.asyncIterator]?: WatchedChunksOf; readonly [WATCH]?: DoneWatch };

/** True once the body of this (streamed) response has carried `data: [DONE]`. */
export function streamSaidDone(response: Response): boolean {
  const body = response.body as WatchedBody | null;
  const watch = body?.[Symbol.asyncIterator]?.[WATCH] ?? body?.[WATCH];
  return watch?.saidDone() ?? false;
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
 * converter for every response the watch looks at (several microseconds). A shared
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

/*
 * The marker is `data:`, any whitespace (line ends too, as always), then `[DONE]`, at the start
 * of a line: inside a JSON string an answer's words cannot start a line, as a newline there is
 * written `\n`. The text the watch looks at puts a newline where the stream began, so one
 * pattern covers both.
 */
const MARKER = /\ndata:\s*\[DONE\]/;

/** Any beginning of the marker at the very end of the text: what the next chunks may finish. */
const MARKER_BEGUN = new RegExp(`\\n${['d', 'a', 't', 'a', ':\\s*', '\\[', 'D', 'O', 'N', 'E'].reduceRight((rest, part) => `(?:${part}${rest})?`, '')}$`);

/** Chunks not yet looked at are looked at once this many have gathered (memory stays bounded). */
const LOOK_AFTER_CHUNKS = 64;
const LOOK_AFTER_BYTES = 64 * 1024;

/**
 * Watches a body for the `data: [DONE]` marker. Chunks pass untouched and are only kept: the
 * watch looks at them when asked, or once many have gathered, never on a streamed answer's way
 * to its first token. It answers as if it had seen the whole body at once, however it was cut:
 * the marker may straddle chunks, and a character may be cut between them. Chunks are kept as
 * they are, not copied: a stream hands each one out once and nothing writes into it afterwards
 * (the SDK copies what it reads).
 */
class DoneWatch {
  private said = false;
  private unread: Uint8Array[] = [];
  private unreadBytes = 0;
  /** The end of the text looked at so far that may still grow into the marker; '' if none. */
  private begun = '\n';
  private text: ChunkText | undefined;

  /** Keeps the chunk of a step of the body's reading, and hands the step on as it was. */
  readonly see = (step: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (step.done !== true) this.keep(step.value);
    return step;
  };

  keep(chunk: Uint8Array): void {
    if (this.said) return;
    this.unread.push(chunk);
    this.unreadBytes += chunk.length;
    if (this.unread.length >= LOOK_AFTER_CHUNKS || this.unreadBytes >= LOOK_AFTER_BYTES) this.look();
  }

  saidDone(): boolean {
    if (!this.said && this.unread.length > 0) this.look();
    return this.said;
  }

  private look(): void {
    const bytes = this.unread.length === 1 ? (this.unread[0] as Uint8Array) : joined(this.unread, this.unreadBytes);
    this.unread = [];
    this.unreadBytes = 0;
    const text = this.begun + (this.text ??= new ChunkText()).decode(bytes);
    this.said = MARKER.test(text);
    const begun = this.said ? null : MARKER_BEGUN.exec(text);
    this.begun = begun ? text.slice(begun.index) : '';
  }
}

function joined(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * The same response, its body watched for `data: [DONE]` as the SDK reads it. The SDK reads a
 * body through its async iterator when it has one, so the watch sits on that iterator of the
 * very stream: no second stream and no pipe, which cost a streamed answer more than anything
 * else on its way to the first token. A body without an iterator is piped through a watch.
 */
function watchedStream(response: Response): Response {
  const body = response.body as ReadableStream<Uint8Array> & Partial<AsyncIterable<Uint8Array>>;
  const watch = new DoneWatch();
  const iterate = body[Symbol.asyncIterator];
  if (typeof iterate === 'function') {
    const chunks: WatchedChunksOf = () => new WatchedChunks(iterate.call(body), watch);
    chunks[WATCH] = watch;
    // One property on the body and no more: each one the stream does not usually have slows
    // every step the stream's own code takes while reading it.
    Object.defineProperty(body, Symbol.asyncIterator, { configurable: true, value: chunks });
    return response;
  }
  const piped = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        watch.keep(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  Object.defineProperty(piped, WATCH, { value: watch });
  return new Response(piped, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The body's own chunks, each step handed on by a plain reaction to the source's promise: no
 * async function of its own between the stream and the SDK.
 */
class WatchedChunks implements AsyncIterableIterator<Uint8Array> {
  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private readonly watch: DoneWatch,
  ) {}

  next(): Promise<IteratorResult<Uint8Array>> {
    return this.source.next().then(this.watch.see);
  }

  // An SDK that stops reading (the user cancelled) releases the stream through these.
  return(value?: unknown): Promise<IteratorResult<Uint8Array>> {
    return this.source.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
  }

  throw(err?: unknown): Promise<IteratorResult<Uint8Array>> {
    return this.source.throw?.(err) ?? Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }
}
