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

/** The same stream, watched for `data: [DONE]` as it passes (the marker may straddle two chunks). */
function watchedStream(response: Response): Response {
  const decoder = new TextDecoder();
  let tail = '';
  const seen = { response: undefined as Response | undefined };
  const watch = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const text = tail + decoder.decode(chunk, { stream: true });
      if (seen.response && /(^|\n)data:\s*\[DONE\]/.test(text)) doneSeen.add(seen.response);
      const lineStart = text.lastIndexOf('\n');
      tail = lineStart >= 0 ? text.slice(lineStart) : text.slice(-64);
      controller.enqueue(chunk);
    },
  });
  const body = (response.body as ReadableStream<Uint8Array>).pipeThrough(watch);
  seen.response = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  return seen.response;
}
