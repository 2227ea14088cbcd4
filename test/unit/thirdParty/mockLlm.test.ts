import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failure, settingsFrom, startHarness, type Harness } from '../orchestrator/harness';
import { StopWaiting, waitFor } from '../../support/waitFor';

/**
 * Aurelis against @dwmkerr/mock-llm, an OpenAI-compatible mock server from the npm registry
 * that nobody here wrote (rules matched with JMESPath, answers from templates). Started by the
 * test as its own process on 127.0.0.1, as a user would run it.
 *
 * What it does differently from OpenAI: no `usage` at all (JSON or streamed), so Aurelis
 * estimates tokens; stream chunks of 50 characters 50 ms apart, ending with [DONE]; errors in a
 * stream come as a 200 with a `data: {"error": …}` event; its own failures answer
 * `{"error": "<name>", "message": …, "status": …}` (error as a string); it ignores the key.
 */
const CONFIG = `
streaming:
  chunkSize: 50
  chunkIntervalMs: 5
rules:
  - path: /v1/chat/completions
    method: POST
    match: '@'
    response:
      status: 200
      content: |
        {"id": "chatcmpl-{{timestamp}}", "object": "chat.completion", "model": "{{jmes request body.model}}",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Echo: {{jmes request body.messages[-1].content}}"}, "finish_reason": "stop"}]}
  - path: /v1/chat/completions
    method: POST
    match: "contains(body.messages[-1].content, 'bad key')"
    response:
      status: 401
      content: '{"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}}'
  - path: /v1/chat/completions
    method: POST
    match: "contains(body.messages[-1].content, 'too long')"
    response:
      status: 400
      content: '{"error": {"message": "This model''s maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}'
  - path: /v1/models
    method: GET
    response:
      status: 200
      content: '{"object": "list", "data": [{"id": "mock-coder", "object": "model", "owned_by": "mock-llm"}]}'
`;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  await waitFor(`mock-llm to answer ${url}/health`, async () => {
    if (child.exitCode !== null) throw new StopWaiting(`mock-llm exited with ${child.exitCode}`);
    return (await fetch(`${url}/health`)).ok;
  });
}

describe('third-party server: @dwmkerr/mock-llm', function () {
  this.timeout(30_000);
  let child: ChildProcess;
  let dir: string;
  let url: string;
  let h: Harness;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'aurelis-mock-llm-'));
    writeFileSync(path.join(dir, 'mock-llm.yaml'), CONFIG);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [require.resolve('@dwmkerr/mock-llm/dist/main.js'), '--config', path.join(dir, 'mock-llm.yaml')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: 'ignore',
    });
    await waitUntilReady(url, child);
  });

  after(() => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
    await h.keys.set('custom', 'sk-mock');
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: `${url}/v1` }, models: { explain: ['mock-coder'] }, retry: { maxAttempts: 2 } });
  });
  afterEach(() => h.close());

  it('answers a plain request; with no usage from the server, tokens are estimated and marked so', async () => {
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'hello there' });
    assert.equal(result.content, 'Echo: hello there');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage.estimated, true);
    assert.ok(result.usage.completionTokens > 0);
  });

  it('streams: 50-character chunks put back together, ended by [DONE]', async () => {
    const prompt = 'a streamed question that is long enough to arrive in more than one chunk of fifty characters';
    const deltas: string[] = [];
    const result = await h.orchestrator.run({ task: 'explain', prompt, stream: true }, { onDelta: (d) => deltas.push(d) });
    assert.equal(result.content, `Echo: ${prompt}`);
    assert.ok(deltas.length >= 2, `${deltas.length} deltas`);
    assert.equal(result.usage.estimated, true);
  });

  it('reads its model list', async () => {
    const models = await h.orchestrator.listModels('custom');
    assert.deepEqual(models.map((m) => m.id), ['mock-coder']);
  });

  it('an auth error, plain or inside a stream (a 200 with an error event), is an auth error and never retried', async () => {
    const plain = await failure(h.orchestrator.run({ task: 'explain', prompt: 'bad key' }));
    assert.equal(plain.kind, 'auth');
    const streamed = await failure(h.orchestrator.run({ task: 'explain', prompt: 'bad key', stream: true }));
    assert.equal(streamed.kind, 'auth');
    assert.match(streamed.message, /Incorrect API key provided/);
  });

  it('a context overflow, plain and streamed, is too large and not retried', async () => {
    for (const stream of [false, true]) {
      const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'too long', stream }));
      assert.equal(e.kind, 'too_large', `stream: ${stream}`);
    }
  });

  it('a prompt its template cannot hold (a double quote breaks its JSON) is its 500 in its own error shape, read and quoted', async () => {
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'say "hi"' }));
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /HTTP 500\)\. The server said: "[^"]*JSON[^"]*"/);
    assert.match(e.message, /Aurelis tried 2 times/);
  });
});
