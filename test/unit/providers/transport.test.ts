import assert from 'node:assert/strict';
import { ChunkText, providerFetch, streamSaidDone } from '../../../src/core/providers/transport';

const encoder = new TextEncoder();

/** An event stream in the pieces given (the marker may be cut anywhere). */
function eventStream(pieces: string[], options: { withoutIterator?: boolean } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  // Some fetch implementations hand out bodies that are not async-iterable.
  if (options.withoutIterator) Object.defineProperty(body, Symbol.asyncIterator, { value: undefined });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

async function readAsTheSdkDoes(response: Response): Promise<string> {
  const body = response.body as ReadableStream<Uint8Array> & Partial<AsyncIterable<Uint8Array>>;
  const decoder = new TextDecoder();
  let text = '';
  if (body[Symbol.asyncIterator]) for await (const chunk of body as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  else {
    const reader = body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value, { stream: true });
  }
  return text;
}

describe('providerFetch: a stream watched for data: [DONE]', () => {
  const chunk = 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n';
  for (const withoutIterator of [false, true]) {
    const how = withoutIterator ? 'a body without an async iterator (piped through a watch)' : 'the body read through its iterator';
    it(`${how}: sees the marker, also cut across two chunks, and passes every byte on`, async () => {
      const fetchOf = (pieces: string[]) => providerFetch(() => Promise.resolve(eventStream(pieces, { withoutIterator })))('http://127.0.0.1/v1/chat/completions');
      const whole = await fetchOf([chunk, 'data: [DONE]\n\n']);
      assert.equal(await readAsTheSdkDoes(whole), `${chunk}data: [DONE]\n\n`);
      assert.equal(streamSaidDone(whole), true);

      const cut = await fetchOf([chunk, 'data: [DO', 'NE]\n\n']);
      await readAsTheSdkDoes(cut);
      assert.equal(streamSaidDone(cut), true);

      const ended = await fetchOf([chunk, 'data: {"choices":[{"delta":{"content":"data: [DONE]"}}]}\n\n']);
      await readAsTheSdkDoes(ended);
      assert.equal(streamSaidDone(ended), false, 'the words inside an answer are not the marker');
    });
  }
});

describe('ChunkText: chunks as text, as a streaming decoder of their own would give them', () => {
  it('gives the same text however the bytes are cut, characters of 1 to 4 bytes cut anywhere, a BOM kept only past the start', () => {
    const pieces = ['data: ', 'é', '€', '😀', '\u00a0', '\ufeff', '[DONE]', '\n', 'abc', 'ß'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const text = (round % 3 === 0 ? '\ufeff' : '') + Array.from({ length: 1 + random(40) }, () => pieces[random(pieces.length)]).join('');
      const bytes = new TextEncoder().encode(text);
      const expected = new TextDecoder();
      const ours = new ChunkText();
      let want = '';
      let got = '';
      for (let at = 0; at < bytes.length; ) {
        const end = Math.min(bytes.length, at + 1 + random(6));
        const chunk = bytes.subarray(at, end);
        want += expected.decode(chunk, { stream: true });
        got += ours.decode(chunk);
        at = end;
      }
      want += expected.decode();
      assert.equal(got, want, `round ${round}: ${JSON.stringify(text)}`);
    }
  });
});
