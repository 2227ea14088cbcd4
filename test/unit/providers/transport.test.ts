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

/** A body in exactly these byte chunks (the marker, a character or a BOM may be cut anywhere). */
function byteStream(chunks: readonly Uint8Array[], withoutIterator: boolean): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  if (withoutIterator) Object.defineProperty(body, Symbol.asyncIterator, { value: undefined });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

/** Through providerFetch and read to the end as the SDK reads: what passed, and what the watch says. */
async function watched(chunks: readonly Uint8Array[], withoutIterator = false): Promise<{ text: string; said: boolean }> {
  const response = await providerFetch(() => Promise.resolve(byteStream(chunks, withoutIterator)))('http://127.0.0.1/v1/chat/completions');
  const text = await readAsTheSdkDoes(response);
  return { text, said: streamSaidDone(response) };
}

/**
 * The watch as it was before it became lazy, kept here as the reference: every chunk decoded as
 * it passed (a streaming decoder of its own gives the same text as ChunkText, tested below) and
 * the text since the last line start searched for the marker.
 */
function saidDoneAsBefore(chunks: readonly Uint8Array[]): boolean {
  const decoder = new TextDecoder();
  let tail = '';
  let said = false;
  for (const chunk of chunks) {
    const text = tail + decoder.decode(chunk, { stream: true });
    if (/(^|\n)data:\s*\[DONE\]/.test(text)) said = true;
    const lineStart = text.lastIndexOf('\n');
    tail = lineStart >= 0 ? text.slice(lineStart) : text.slice(-64);
  }
  return said;
}

function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

/** The bytes of `text` cut at random: mostly tiny pieces (down to single bytes), some larger. */
function cutAtRandom(text: string, random: (n: number) => number): Uint8Array[] {
  const bytes = encoder.encode(text);
  const chunks: Uint8Array[] = [];
  const most = [1, 2, 3, 7, 16, 64, 400][random(7)] as number;
  for (let at = 0; at < bytes.length; ) {
    const end = Math.min(bytes.length, at + 1 + random(most));
    chunks.push(bytes.slice(at, end));
    at = end;
  }
  return chunks;
}

const event = (content: string): string => `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const finish = `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
const many = (n: number): string => Array.from({ length: n }, (_, i) => event(`word ${i} `)).join('');

/** Event streams as servers send them, each with the answer the watch must give. */
const BODIES: ReadonlyArray<{ name: string; body: string; said: boolean }> = [
  { name: 'an answer ending with the marker', body: `${event('Hi')}${event(' there')}${finish}data: [DONE]\n\n`, said: true },
  { name: 'an answer that simply stops', body: `${event('Hi')}${event(' there')}`, said: false },
  { name: 'the marker only inside the words of the answer', body: `${event('data: [DONE]')}${event('say\ndata: [DONE]')}${event('[DONE]')}`, said: false },
  { name: 'the marker inside the answer, then for real', body: `${event('data: [DONE]')}${finish}data: [DONE]\n\n`, said: true },
  { name: 'CRLF line ends', body: crlf(`${event('Hi')}${finish}data: [DONE]\n\n`), said: true },
  { name: 'CRLF, the marker only inside the answer', body: crlf(`${event('x\r\ndata: [DONE]')}${finish}`), said: false },
  { name: 'no space after data:', body: `${event('Hi')}data:[DONE]\n\n`, said: true },
  { name: 'a tab, two spaces, a no-break space, a BOM after data:', body: `${event('Hi')}data:\t[DONE]\n\ndata:  [DONE]\n\ndata:\u00a0[DONE]\n\ndata:\ufeff[DONE]\n\n`, said: true },
  { name: 'a no-break space after data: alone', body: `${event('é')}data:\u00a0[DONE]\n\n`, said: true },
  { name: 'a BOM, then the marker as the first line', body: '\ufeffdata: [DONE]\n\n', said: true },
  { name: 'a BOM, then an answer and the marker', body: `\ufeff${event('Hi')}data: [DONE]\n\n`, said: true },
  { name: 'a BOM at the start of a later line is not a line start', body: `${event('Hi')}\ufeffdata: [DONE]\n\n`, said: false },
  { name: 'characters of 2, 3 and 4 bytes around the marker', body: `${event('é€😀ß')}data: [DONE]\n\n${event('😀')}`, said: true },
  { name: 'a comment and blank lines after the marker', body: `${event('Hi')}data: [DONE]\n\n: stream ends\n\n\n\n`, said: true },
  { name: 'more events after the marker (it counts anywhere)', body: `${event('Hi')}data: [DONE]\n\n${event('late')}${many(80)}`, said: true },
  { name: 'the marker after more chunks than are kept unlooked', body: `${many(150)}data: [DONE]\n\n`, said: true },
  { name: 'the marker as an event with a name', body: `${event('Hi')}event: done\ndata: [DONE]\n\n`, said: true },
  { name: 'keep-alive comments first', body: `: keep-alive\n\n${event('Hi')}data: [DONE]\n\n`, said: true },
  { name: 'a marker that never closes', body: `${event('Hi')}data: [DONE`, said: false },
  { name: 'a marker cut short at the very end', body: `${event('Hi')}data: [DON`, said: false },
  { name: 'a marker in lower case', body: `${event('Hi')}data: [done]\n\n`, said: false },
  { name: 'a marker indented', body: `${event('Hi')} data: [DONE]\n\n`, said: false },
  { name: 'a marker after a field of another name', body: `${event('Hi')}event: data: [DONE]\n\n`, said: false },
  { name: 'an empty body', body: '', said: false },
];

describe('streamSaidDone: data: [DONE] found however the body is cut', () => {
  for (const { name, body, said } of BODIES) {
    it(`${name}: ${said ? 'said' : 'not said'}, however the body is cut, read through its iterator or piped`, async () => {
      const random = seeded(body.length + 17);
      // Long bodies cut into single bytes take long to read: fewer rounds for them.
      const rounds = body.length > 2000 ? 10 : 40;
      for (let round = 0; round < rounds; round++) {
        const chunks = round === 0 ? [encoder.encode(body)] : round === 1 ? cutAtRandom(body, () => 0) : cutAtRandom(body, random);
        const withoutIterator = round % 4 === 3;
        const got = await watched(chunks, withoutIterator);
        assert.equal(got.text, body.replace(/^\ufeff/, ''), `round ${round}: every byte passes on`);
        assert.equal(got.said, said, `round ${round}, cut into ${chunks.length}${withoutIterator ? ', piped' : ''}`);
      }
    });
  }

  it('the marker cut into three tiny chunks, and into single bytes', async () => {
    for (const pieces of [['data: [D', 'ON', 'E]\n\n'], ['d', 'ata: [DONE', ']'], ['data:', ' ', '[DONE]']]) {
      assert.equal((await watched(pieces.map((p) => encoder.encode(p)))).said, true, JSON.stringify(pieces));
    }
    assert.equal((await watched(cutAtRandom('\ufeffdata: [DONE]', () => 0))).said, true, 'one byte at a time, the BOM cut too');
  });

  it('a character or a BOM cut where the watch stops and later goes on looking, single bytes after lines of every length', async () => {
    for (let filler = 0; filler < 150; filler++) {
      const comment = `:${'x'.repeat(filler)}\n`;
      const nbsp = await watched(cutAtRandom(`${comment}data:\u00a0[DONE]\n\n`, () => 0));
      assert.equal(nbsp.said, true, `a no-break space after ${filler}`);
      const bom = await watched(cutAtRandom(`${comment}\ufeffdata: [DONE]\n\n`, () => 0));
      assert.equal(bom.said, false, `a BOM after ${filler}`);
      assert.equal(bom.text, `${comment}\ufeffdata: [DONE]\n\n`);
    }
  });

  it('answers as the watch that decoded every chunk did, for many random cuts of many bodies', async () => {
    const random = seeded(2024);
    const lines = [
      event('Hi'),
      event('data: [DONE]'),
      event('x\ndata: [DONE]'),
      event('é€😀'),
      event('[DONE]'),
      finish,
      'data: [DONE]\n\n',
      'data:[DONE]\n\n',
      'data:\u00a0[DONE]\n\n',
      'data: [DON\n\n',
      ': keep-alive\n\n',
      '\n',
      'event: done\n',
      'id: 7\n',
    ];
    let said = 0;
    for (let body = 0; body < 1000; body++) {
      const lineEnd = random(3) === 0 ? '\r\n' : '\n';
      const text = (random(5) === 0 ? '\ufeff' : '') + Array.from({ length: 1 + random(8) }, () => lines[random(lines.length)] as string).join('').replace(/\n/g, lineEnd);
      const chunks = cutAtRandom(text, random);
      const before = saidDoneAsBefore(chunks);
      const got = await watched(chunks, body % 5 === 4);
      assert.equal(got.said, before, `body ${body}: ${JSON.stringify(text)} cut into ${chunks.length}`);
      if (before) said++;
    }
    assert.ok(said > 200 && said < 800, `both answers are tried (${said} of 1000 said)`);
  });

  it('answers as the watch that decoded every chunk did, had that watch seen each body whole (where its answer depended on the cut)', async () => {
    const inner = `data: [DONE]${' words of the answer go on and on'.repeat(3)}`;
    const bodies = [
      // Its last 64 characters, kept while no line had ended, could begin with a marker inside the answer.
      `${event(inner)}${event('Hi')}`,
      // Lines ended by CR alone: no line start the watch counts, however cut.
      `data: {"choices":[]}\r\rdata: [DONE]\r\r`,
      // Whitespace after data: that runs over a line end.
      `${event('Hi')}data:\n[DONE]\n\n`,
      `${event('Hi')}data: \r\n\r\n[DONE]\n\n`,
    ];
    const random = seeded(99);
    for (const body of bodies) {
      const whole = saidDoneAsBefore([encoder.encode(body)]);
      for (let round = 0; round < 100; round++) {
        const chunks = cutAtRandom(body, random);
        assert.equal((await watched(chunks)).said, whole, `${JSON.stringify(body)} cut into ${chunks.length}`);
      }
    }
    const at = event(inner).indexOf(inner);
    const cut = [encoder.encode(event(inner).slice(0, at + 64)), encoder.encode(event(inner).slice(at + 64))];
    assert.equal(saidDoneAsBefore(cut), true, 'the watch before took the words of the answer for the marker here');
    assert.equal((await watched(cut)).said, false);
  });

  it('answers while the body is still being read: not yet, then once the marker has passed', async () => {
    const chunks = [event('Hi'), 'data: [DO', 'NE]\n\n', ': more to come\n\n'].map((t) => encoder.encode(t));
    const response = await providerFetch(() => Promise.resolve(byteStream(chunks, false)))('http://127.0.0.1/v1/chat/completions');
    assert.equal(streamSaidDone(response), false, 'nothing read yet');
    const reading = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await reading.next();
    await reading.next();
    assert.equal(streamSaidDone(response), false, 'half the marker has passed');
    await reading.next();
    assert.equal(streamSaidDone(response), true, 'the marker has passed, the body is not read to its end');
    await reading.return?.();
  });

  it('a response that is not a watched stream has not said it', async () => {
    assert.equal(streamSaidDone(new Response('data: [DONE]\n\n', { headers: { 'content-type': 'text/event-stream' } })), false);
    const json = await providerFetch(() => Promise.resolve(new Response('{"choices":[]}', { headers: { 'content-type': 'application/json' } })))('http://127.0.0.1/v1/chat/completions');
    assert.equal(streamSaidDone(json), false);
    assert.equal(await json.text(), '{"choices":[]}');
  });

  it('a stream that breaks passes its error on, and says only what passed before', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(encoder.encode(event('Hi')));
        else controller.error(new Error('connection reset'));
      },
    });
    const response = await providerFetch(() => Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } })))('http://127.0.0.1/v1/chat/completions');
    await assert.rejects(readAsTheSdkDoes(response), /connection reset/);
    assert.equal(streamSaidDone(response), false);
  });

  it('a reader that stops early releases the stream (the user cancelled)', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode(event('Hi')));
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled';
      },
    });
    const response = await providerFetch(() => Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } })))('http://127.0.0.1/v1/chat/completions');
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      assert.ok(chunk.length > 0);
      break;
    }
    assert.notEqual(cancelled, undefined, 'the source heard the cancel');
    assert.equal(streamSaidDone(response), false);
  });
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
