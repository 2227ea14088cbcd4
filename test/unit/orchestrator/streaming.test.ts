import assert from 'node:assert/strict';
import type { UsageRecord } from '../../../src/core/pipeline';
import { countTokens } from '../../../src/core/tokens';
import { reply } from '../../fake-server';
import { failure, type Harness, startHarness } from './harness';

const streamed = { task: 'explain' as const, prompt: 'tell me', model: 'openai/gpt-4o-mini', stream: true };

describe('orchestrator: streaming', () => {
  let h: Harness;
  let records: UsageRecord[];
  beforeEach(async () => {
    records = [];
    h = await startHarness({ deps: { recorders: [{ record: async (r) => void records.push(r) }] } });
  });
  afterEach(() => h.close());

  it('delivers deltas as they arrive and takes usage from the last chunk (include_usage)', async () => {
    h.server.script(reply.text('', { chunks: ['Hel', 'lo ', 'world'], usage: { prompt_tokens: 9, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } }));
    const deltas: string[] = [];
    const result = await h.orchestrator.run(streamed, { onDelta: (d) => deltas.push(d) });
    assert.deepEqual(deltas, ['Hel', 'lo ', 'world']);
    assert.equal(result.content, 'Hello world');
    assert.deepEqual(result.usage, { promptTokens: 9, completionTokens: 3, cachedTokens: 4, estimated: false });
    assert.equal(result.finishReason, 'stop');
    assert.equal(typeof result.ttftMs, 'number');
    const body = h.server.chatRequests[0]?.body as { stream: boolean; stream_options: unknown };
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('measures time to first token', async () => {
    // The fake clock moves only when told: 120 ms while the server "thinks", 40 ms per delta shown.
    h.server.handle(() => {
      h.timers.advance(120);
      return reply.text('', { chunks: ['a', 'b'] });
    });
    const result = await h.orchestrator.run(streamed, { onDelta: () => h.timers.advance(40) });
    assert.equal(result.ttftMs, 120);
    assert.equal(result.latencyMs, 200);
    assert.equal(records[0]?.ttftMs, 120);
  });

  it('estimates usage with the tokenizer when the server sends none, and marks it as estimated', async () => {
    h.server.script(reply.text('', { chunks: ['one ', 'two ', 'three'], usage: null }));
    const result = await h.orchestrator.run(streamed);
    assert.equal(result.usage.estimated, true);
    assert.equal(result.usage.completionTokens, countTokens('one two three'));
    assert.ok(result.usage.promptTokens > 0);
    assert.equal(records[0]?.tokensEstimated, true);
  });

  it('a stream that breaks after content ends with stream_broken carrying the partial text, never retried', async () => {
    h.server.script(reply.brokenStream(['partial ', 'answer']));
    const deltas: string[] = [];
    const e = await failure(h.orchestrator.run(streamed, { onDelta: (d) => deltas.push(d) }));
    assert.equal(e.kind, 'stream_broken');
    assert.equal(e.partialText, 'partial answer');
    assert.deepEqual(deltas, ['partial ', 'answer']);
    assert.match(e.message, /broke off after 14 characters/);
    assert.deepEqual(e.nextSteps, ['retry', 'viewLog']);
    assert.equal(h.server.chatRequests.length, 1, 'no retry: it would repeat text already shown');
    assert.equal(records[0]?.outcome, 'stream_broken');
    assert.equal(records[0]?.completionTokens, countTokens('partial answer'));
  });

  it('a broken stream does not fall back to the next model either', async () => {
    h.server.script(reply.brokenStream(['x']));
    await failure(h.orchestrator.run({ task: 'generate', prompt: 'p', stream: true }));
    assert.equal(h.server.chatRequests.length, 1);
  });

  it('a stream that stops without finishing is not a silent truncation', async () => {
    h.server.script(reply.text('', { chunks: ['cut ', 'short'], finishReason: null }));
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'stream_broken');
    assert.equal(e.partialText, 'cut short');
  });

  it('an error event in the stream before any text is retried like a 5xx', async () => {
    h.server.script(reply.streamError({ message: 'The server had an error while processing your request.', type: 'server_error' }), reply.text('', { chunks: ['recovered'] }));
    const result = await h.orchestrator.run(streamed);
    assert.equal(result.content, 'recovered');
    assert.equal(h.server.chatRequests.length, 2);
  });

  it('an error event in the stream that keeps coming is reported in the server’s words', async () => {
    h.server.handle(() => reply.streamError({ message: 'The server had an error while processing your request.', type: 'server_error' }));
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /GitHub Models reported an error while answering with openai\/gpt-4o-mini: "The server had an error while processing your request\."/);
    assert.match(e.message, /Aurelis tried 4 times/);
    assert.equal(h.server.chatRequests.length, 4);
  });

  it('an error event after some text is a broken stream keeping that text, never retried', async () => {
    h.server.script(reply.streamError({ message: 'upstream went away' }, ['half ', 'an answer']));
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'stream_broken');
    assert.equal(e.partialText, 'half an answer');
    assert.equal(h.server.chatRequests.length, 1);
  });

  it('a content filter event in the stream names the categories and is not retried', async () => {
    h.server.script(
      reply.streamError({
        code: 'content_filter',
        message: 'The response was filtered.',
        innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { violence: { filtered: true, severity: 'high' }, hate: { filtered: false, severity: 'safe' } } },
      }),
    );
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'content_filtered');
    assert.match(e.message, /content filter blocked this request \(violence\)/);
    assert.equal(h.server.chatRequests.length, 1);
  });

  it('a stream stopped by the content filter before any text is content_filtered, not retried nor passed on', async () => {
    h.server.script(reply.text('', { chunks: [], finishReason: 'content_filter' }));
    const e = await failure(h.orchestrator.run({ task: 'generate', prompt: 'p', stream: true }));
    assert.equal(e.kind, 'content_filtered');
    assert.match(e.message, /content filter blocked this request\. Rephrase/);
    assert.equal(h.server.chatRequests.length, 1, 'neither retried nor sent to the next model');
    assert.equal(records[0]?.outcome, 'content_filtered');
  });

  it('a stream that ends with no text and no finish reason is an invalid_response, not an empty answer', async () => {
    h.server.script(reply.text('', { chunks: [], finishReason: null }));
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'invalid_response');
    assert.match(e.message, /GitHub Models sent an answer Aurelis could not read from openai\/gpt-4o-mini: the stream ended before the answer began/);
    assert.equal(h.server.chatRequests.length, 1, 'not retried');
  });

  it('a stream that fails before any content is retried like a plain request', async () => {
    h.server.script(reply.brokenStream([]), reply.error(503), reply.text('', { chunks: ['fine'] }));
    const result = await h.orchestrator.run(streamed);
    assert.equal(result.content, 'fine');
    assert.equal(h.server.chatRequests.length, 3);
  });

  it('a stream that fails before any content falls back to the next model', async () => {
    h.server.script(reply.malformed(), reply.text('', { chunks: ['from gpt-4o'] }));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'p', stream: true });
    assert.equal(result.model, 'openai/gpt-4o');
    assert.equal(result.fallbackDepth, 1);
  });

  it('cancelling mid-stream closes the connection and keeps the partial text on the error', async () => {
    h.server.script(reply.text('', { chunks: ['a', 'b', 'c', 'd'], hangAfterChunks: 1 }));
    const abort = new AbortController();
    const e = await failure(h.orchestrator.run(streamed, { signal: abort.signal, onDelta: () => abort.abort() }));
    assert.equal(e.kind, 'cancelled');
    assert.equal(e.partialText, 'a');
    await h.server.chatRequests[0]?.done;
    assert.equal(h.server.chatRequests[0]?.clientClosed, true);
    assert.equal(records[0]?.outcome, 'cancelled');
  });
});
