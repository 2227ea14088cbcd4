import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { reply } from '../../fake-server';
import { failure, settingsFrom, startHarness, type Harness } from './harness';

/** What third-party servers do at the edges of the protocol, imitated by the fake server. */
describe('orchestrator: stream and error edge cases', () => {
  let h: Harness;
  const MODEL = 'local-coder';
  const ask = { task: 'explain' as const, prompt: 'q' };
  const streamed = { ...ask, stream: true };
  const breaker = () => h.orchestrator.breakerStates().find((s) => s.target.model === MODEL);

  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
    await h.keys.set('custom', 'gw-key');
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { explain: [MODEL] }, breaker: { failureThreshold: 2 } });
  });
  afterEach(() => h.close());

  it('a stream that ends with [DONE] but never sends a finish reason is a complete answer', async () => {
    h.server.script(reply.text('', { chunks: ['all ', 'there'], finishReason: null, done: true }));
    const result = await h.orchestrator.run(streamed);
    assert.equal(result.content, 'all there');
    assert.equal(result.finishReason, 'stop');
  });

  it('keep-alive blank lines and SSE comments before the first chunk are ignored (DeepSeek while queued)', async () => {
    h.server.script(reply.text('', { chunks: ['fine'], keepAlive: true }));
    assert.equal((await h.orchestrator.run(streamed)).content, 'fine');
  });

  it('an auth error inside a stream is an auth error, never retried', async () => {
    h.server.handle(() => reply.streamError({ message: 'Incorrect API key provided: gw-k***.', type: 'invalid_request_error', code: 'invalid_api_key' }));
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'auth');
    assert.deepEqual(e.nextSteps, ['setApiKey', 'selectProvider']);
    assert.equal(h.server.chatRequests.length, 1);
    assert.equal(breaker()?.failures ?? 0, 0, 'a key problem says nothing about the model');
  });

  it('a rate limit inside a stream is a rate limit (retried), with its status from the event', async () => {
    h.server.script(reply.streamError({ message: 'Rate limit reached', code: 429 }), reply.text('', { chunks: ['ok'] }));
    assert.equal((await h.orchestrator.run(streamed)).content, 'ok');
    assert.equal(h.server.chatRequests.length, 2);
  });

  it('a connection the server accepted and then dropped is not "Could not reach"', async () => {
    h.server.handle(() => reply.drop());
    const e = await failure(h.orchestrator.run(ask));
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /The connection to Custom endpoint dropped after the server took the request to local-coder/);
    assert.doesNotMatch(e.message, /Could not reach/);
    assert.match(e.message, /Aurelis tried 4 times/);
  });

  it('a server nobody listens on is "Could not reach"', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: `http://127.0.0.1:${port}/v1` }, models: { explain: [MODEL] }, retry: { maxAttempts: 1 } });
    const e = await failure(h.orchestrator.run(ask));
    assert.match(e.message, /^Could not reach Custom endpoint at http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED\)/);
  });

  it('the breaker counts one failed request once, not each of its retries', async () => {
    h.server.handle(() => reply.error(503));
    await failure(h.orchestrator.run(ask));
    assert.equal(h.server.chatRequests.length, 4);
    assert.deepEqual({ state: breaker()?.state, failures: breaker()?.failures }, { state: 'closed', failures: 1 });
    await failure(h.orchestrator.run({ ...ask, prompt: 'again' }));
    assert.equal(breaker()?.state, 'open', 'the second failed request opens it (threshold 2)');
    const e = await failure(h.orchestrator.run({ ...ask, prompt: 'third' }));
    assert.match(e.message, /paused after 2 failures in a row/);
    assert.equal(h.server.chatRequests.length, 8, 'nothing is sent while it is open');
  });

  const overflows: Array<[string, ReturnType<typeof reply.error>]> = [
    ['OpenAI / vLLM', reply.error(400, { error: { message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } })],
    ['llama.cpp', reply.error(400, { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 5000, n_ctx: 4096 } })],
    ['Ollama', reply.error(500, { error: 'input length exceeds the context length' })],
    ['FastAPI {"detail"}', reply.error(400, { detail: 'Prompt is too long: 5000 tokens > 4096 maximum' })],
  ];
  for (const [server, refusal] of overflows) {
    it(`a context overflow in ${server}'s words is "too large", never retried, never counted by the breaker`, async () => {
      h.server.script(refusal, refusal);
      const e = await failure(h.orchestrator.run(ask));
      assert.equal(e.kind, 'too_large');
      assert.match(e.message, /too large for local-coder's context/);
      assert.equal(h.server.chatRequests.length, 1);
      assert.equal(breaker()?.failures ?? 0, 0);
    });
  }

  it('a context overflow inside a stream (LM Studio) is "too large" too', async () => {
    h.server.script(reply.streamError({ message: 'Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough.' }));
    const e = await failure(h.orchestrator.run(streamed));
    assert.equal(e.kind, 'too_large');
    assert.equal(h.server.chatRequests.length, 1);
  });

  it('an error body in another shape ({"detail": …}) is read and classified by its status', async () => {
    h.server.script(reply.error(401, { detail: 'Not authenticated' }));
    const e = await failure(h.orchestrator.run(ask));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /The server said: "Not authenticated"/);
  });

  it('a 5xx whose body says a request field is not accepted is a refused field (asked again without it), not an outage', async () => {
    h.server.script(reply.error(500, { detail: 'response_format is not supported by this backend' }));
    const result = await h.orchestrator.run({ ...ask, responseFormat: { type: 'json_object' } });
    assert.equal(result.content, 'Answer from local-coder.');
    assert.equal(h.server.chatRequests.length, 2);
    assert.equal((h.server.chatRequests[1]?.body as Record<string, unknown>)['response_format'], undefined);
    assert.equal(breaker()?.failures, 0);
  });

  it('server text is cut to the sentence that matters: no stack frames, no file paths', async () => {
    const trace = 'Traceback (most recent call last):\n  File "/srv/llm/app/server.py", line 812, in chat\n    out = engine.generate(req)\n  File "/srv/llm/app/engine.py", line 77, in generate\n    raise RuntimeError("CUDA out of memory while loading /models/coder.gguf")\nRuntimeError: CUDA out of memory while loading /models/coder.gguf';
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { explain: [MODEL] }, retry: { maxAttempts: 1 } });
    h.server.script(reply.error(500, { error: { message: trace } }));
    const e = await failure(h.orchestrator.run(ask));
    assert.match(e.message, /The server said: "RuntimeError: CUDA out of memory while loading …"/);
    assert.doesNotMatch(e.message, /server\.py|\/srv|\/models|line 812|Traceback/);
  });
});
