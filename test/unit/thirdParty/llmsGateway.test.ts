import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { failure, settingsFrom, startHarness, type Harness } from '../orchestrator/harness';
import { StopWaiting, waitFor } from '../../support/waitFor';

/**
 * Aurelis against @musistudio/llms, an LLM API gateway from the npm registry that nobody here
 * wrote (the one behind claude-code-router), started by the test as its own process on
 * 127.0.0.1, in front of the fake server as its upstream provider. Models are named
 * "<provider>,<model>"; it replaces the key with the provider's own. What it revealed: it
 * relays an upstream error with the upstream's status but wraps the body into its own message
 * followed by a Node stack trace with the paths of its files, and it drops the upstream's
 * rate-limit and retry-after headers (so a 429 through it says nothing about when to retry).
 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  await waitFor(`the gateway to listen on port ${port}`, () => {
    if (child.exitCode !== null) throw new StopWaiting(`the gateway exited with ${child.exitCode}`);
    return new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  });
}

describe('third-party server: @musistudio/llms gateway', function () {
  this.timeout(30_000);
  let child: ChildProcess;
  let upstream: FakeOpenAIServer;
  let gateway: string;
  let h: Harness;
  const MODEL = 'upstream,fake-coder';

  before(async () => {
    upstream = await FakeOpenAIServer.start();
    const port = await freePort();
    gateway = `http://127.0.0.1:${port}/v1`;
    child = spawn(process.execPath, [path.join(__dirname, '../../support/startLlmsGateway.cjs'), upstream.baseUrl, String(port)], { stdio: 'ignore' });
    await listening(port, child);
  });

  after(async () => {
    child.kill();
    await upstream.stop();
  });

  beforeEach(async () => {
    upstream.reset();
    h = await startHarness({ githubKey: null });
    await h.keys.set('custom', 'sk-client-key');
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: gateway }, models: { explain: [MODEL] }, retry: { maxAttempts: 2 } });
  });
  afterEach(() => h.close());

  it('passes a plain request through with its usage; the upstream sees its own key and the bare model id', async () => {
    upstream.script(reply.text('def f(): pass', { usage: { prompt_tokens: 12, completion_tokens: 5 } }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'write f', temperature: 0.2 });
    assert.equal(result.content, 'def f(): pass');
    assert.deepEqual([result.usage.promptTokens, result.usage.completionTokens, result.usage.estimated], [12, 5, false]);
    const seen = upstream.chatRequests[0];
    assert.equal((seen?.body as { model: string }).model, 'fake-coder');
    assert.equal(seen?.headers['authorization'], 'Bearer sk-upstream-key');
    assert.equal((seen?.body as { max_tokens: number }).max_tokens, 1000);
  });

  it('streams through it, usage chunk included', async () => {
    upstream.script(reply.text('', { chunks: ['def ', 'f(): ', 'pass'], usage: { prompt_tokens: 12, completion_tokens: 5 } }));
    const deltas: string[] = [];
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'write f', stream: true }, { onDelta: (d) => deltas.push(d) });
    assert.equal(result.content, 'def f(): pass');
    assert.deepEqual(deltas, ['def ', 'f(): ', 'pass']);
    assert.equal(result.usage.estimated, false);
    assert.deepEqual((upstream.chatRequests[0]?.body as { stream_options?: unknown }).stream_options, { include_usage: true });
  });

  it('an upstream 401 reaches Aurelis as an auth error, not retried', async () => {
    upstream.script(reply.error(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'q' }));
    assert.equal(e.kind, 'auth');
    assert.equal(upstream.chatRequests.length, 1);
    assert.match(e.message, /Incorrect API key provided/);
    assert.doesNotMatch(e.message, /node_modules|server\.cjs|\bat \w+ \(/, 'its stack trace and file paths are not quoted');
  });

  it('an upstream 429 arrives without its retry-after (the gateway drops it): retried after a backoff of our own, then answered', async () => {
    upstream.script(reply.error(429, { error: { message: 'Rate limit reached.', code: 'rate_limit_exceeded' } }, { 'retry-after': '3' }), reply.text('later'));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.content, 'later');
    assert.equal(upstream.chatRequests.length, 2);
    assert.ok(!h.timers.sleeps.includes(3000), `waits: ${h.timers.sleeps.join(', ')}`);
  });

  it('an upstream context overflow is "too large", never retried', async () => {
    upstream.script(reply.error(400, { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' } }));
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'q' }));
    assert.equal(e.kind, 'too_large');
    assert.equal(upstream.chatRequests.length, 1);
  });

  it('an upstream refusal of response_format is asked again without it through the gateway', async () => {
    upstream.script(reply.error(400, { error: { message: "Invalid parameter: 'response_format' of type 'json_object' is not supported with this model.", param: 'response_format' } }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'json please', responseFormat: { type: 'json_object' } });
    assert.equal(result.content, 'Answer from fake-coder.');
    assert.equal((upstream.chatRequests[1]?.body as { response_format?: unknown }).response_format, undefined);
  });
});
