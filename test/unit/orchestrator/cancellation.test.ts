import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { reply } from '../../fake-server';
import { disposed, failure, githubSettings, type Harness, startHarness, HeldTimers } from './harness';
import { settles } from '../../support/waitFor';

const q = (n: number) => ({ task: 'explain' as const, prompt: `q${n}`, model: 'openai/gpt-4o-mini' });

describe('orchestrator: global concurrency, cancellation and timeouts', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('runs at most aurelis.maxConcurrentRequests at once', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { maxConcurrentRequests: 2 }) });
    h.server.handle(() => reply.text('ok', { delayMs: 10 }));
    const results = await h.orchestrator.runBatch(Array.from({ length: 6 }, (_, i) => q(i)));
    assert.equal(results.filter(isAurelisError).length, 0);
    assert.equal(h.server.maxConcurrent, 2);
  });

  it('queued requests go first come, first served', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { maxConcurrentRequests: 1 }) });
    h.server.handle(() => reply.text('ok', { delayMs: 5 }));
    await h.orchestrator.runBatch(Array.from({ length: 5 }, (_, i) => q(i)));
    assert.deepEqual(
      h.server.chatRequests.map((r) => (r.body as { messages: Array<{ content: string }> }).messages[0]?.content),
      ['q0', 'q1', 'q2', 'q3', 'q4'],
    );
  });

  it('runBatch keeps the input order, with errors in their places', async () => {
    h = await startHarness();
    h.server.handle((r) => {
      const prompt = (r.body as { messages: Array<{ content: string }> }).messages[0]?.content ?? '';
      // Later requests answer sooner, so completion order differs from input order.
      if (prompt === 'q1') return reply.error(404, { error: { code: 'unknown_model', message: 'Unknown model' } });
      return reply.text(`answer ${prompt}`, { delayMs: 40 - Number(prompt.slice(1)) * 10 });
    });
    const results = await h.orchestrator.runBatch([q(0), q(1), q(2), q(3)]);
    assert.equal((results[0] as { content: string }).content, 'answer q0');
    assert.ok(isAurelisError(results[1]) && results[1].kind === 'unknown_model');
    assert.equal((results[2] as { content: string }).content, 'answer q2');
    assert.equal((results[3] as { content: string }).content, 'answer q3');
  });

  it('aborting an in-flight request closes its connection and frees its slot', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { maxConcurrentRequests: 1 }) });
    h.server.script(reply.hang(), reply.text('next one'));
    const abort = new AbortController();
    const first = h.orchestrator.run(q(1), { signal: abort.signal });
    await h.server.waitForChatRequests(1);
    abort.abort();
    const e = await failure(first);
    assert.equal(e.kind, 'cancelled');
    assert.equal(e.message, 'The request was cancelled.');
    await h.server.chatRequests[0]?.done;
    assert.equal(h.server.chatRequests[0]?.clientClosed, true, 'the fake saw the client close the connection');
    const second = await h.orchestrator.run(q(2));
    assert.equal(second.content, 'next one', 'the slot was freed');
  });

  it('aborting a queued request removes it before it is sent; the running one is unaffected', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { maxConcurrentRequests: 1 }) });
    h.server.script(reply.text('first', { delayMs: 40 }));
    const first = h.orchestrator.run(q(1));
    await h.server.waitForChatRequests(1);
    const abort = new AbortController();
    const queued = h.orchestrator.run(q(2), { signal: abort.signal });
    abort.abort();
    assert.equal((await failure(queued)).kind, 'cancelled');
    assert.equal((await first).content, 'first');
    assert.equal(h.server.chatRequests.length, 1, 'the cancelled request never reached the server');
  });

  it('aborting a batch cancels queued and in-flight requests alike', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { maxConcurrentRequests: 2 }) });
    h.server.handle(() => reply.hang());
    const abort = new AbortController();
    const batch = h.orchestrator.runBatch([q(1), q(2), q(3), q(4)], { signal: abort.signal });
    await h.server.waitForChatRequests(2);
    abort.abort();
    const results = await batch;
    assert.deepEqual(results.map((r) => isAurelisError(r) && r.kind), ['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    await Promise.all(h.server.chatRequests.map((r) => r.done));
    assert.equal(h.server.chatRequests.length, 2);
    assert.ok(h.server.chatRequests.every((r) => r.clientClosed));
  });

  it('an abort during a backoff wait cancels at once, and no retry is sent', async () => {
    // Held timers: the 503's backoff (30 s: full jitter at random() = 0.5 of a 60 s base) never ends
    // on its own, so a request that settles was cut short by the abort.
    h = await startHarness({ settings: (s) => githubSettings(s, { retry: { maxAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 } }) });
    const timers = new HeldTimers();
    const orchestrator = h.restart({ timers });
    try {
      h.server.script(reply.error(503), reply.text('never asked for'));
      const abort = new AbortController();
      const sleeping = timers.nextSleep();
      const outcome = failure(orchestrator.run(q(1), { signal: abort.signal }));
      assert.equal(await settles('the backoff wait', sleeping), 30_000);
      assert.equal(h.server.chatRequests.length, 1, 'the abort comes while the loop sleeps, not while a request is in flight');
      abort.abort();
      const e = await settles('the cancelled request', outcome);
      assert.equal(e.kind, 'cancelled');
      assert.equal(h.server.chatRequests.length, 1, 'no retry reached the server');
    } finally {
      await disposed(orchestrator);
    }
  });

  it('dispose() cancels what is still running', async () => {
    h = await startHarness();
    h.server.script(reply.hang());
    const running = h.orchestrator.run(q(1));
    await h.server.waitForChatRequests(1);
    await h.orchestrator.dispose();
    assert.equal((await failure(running)).kind, 'cancelled');
  });

  it('a hung connection times out after aurelis.requestTimeoutSeconds, is retried, and names the setting', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { requestTimeoutSeconds: 1, retry: { maxAttempts: 2 } }) });
    h.server.handle(() => reply.hang());
    const outcome = failure(h.orchestrator.run(q(1)));
    // The fake timers fire a timeout only when told: once each attempt has reached the server.
    await h.server.waitForChatRequests(1);
    assert.equal(h.timers.fireTimeouts(), 1);
    await h.server.waitForChatRequests(2);
    assert.equal(h.timers.fireTimeouts(), 1);
    const e = await outcome;
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /openai\/gpt-4o-mini on GitHub Models did not answer within 1 s \(aurelis\.requestTimeoutSeconds\)/);
    assert.match(e.message, /Aurelis tried 2 times/);
    assert.equal(h.server.chatRequests.length, 2);
    await Promise.all(h.server.chatRequests.map((r) => r.done));
    assert.ok(h.server.chatRequests.every((r) => r.clientClosed), 'each timed-out connection was closed');
  });

  it('a stream that goes quiet mid-answer times out as a broken stream, keeping its text', async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { requestTimeoutSeconds: 1 }) });
    h.server.script(reply.text('', { chunks: ['slow ', 'answer'], hangAfterChunks: 1 }));
    const e = await failure(h.orchestrator.run({ ...q(1), stream: true }, { onDelta: () => h.timers.fireTimeouts() }));
    assert.equal(e.kind, 'stream_broken');
    assert.equal(e.partialText, 'slow ');
    assert.match(e.message, /no data for 1 s/);
    assert.equal(h.server.chatRequests.length, 1);
  });

  it("a streamed answer's timeout runs from its last chunk: a stream that keeps talking past it is not cut off", async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { requestTimeoutSeconds: 1 }) });
    h.server.script(reply.text('', { chunks: ['a ', 'steady ', 'answer'] }));
    const fired: number[] = [];
    const onDelta = (text: string): void => {
      // 600 ms pass before each chunk after the first; after the second, the timer set at the
      // start comes due (1 s after it was set, 400 ms after the last chunk) and must wait on.
      if (text === 'a ') h.timers.advance(600);
      if (text === 'steady ') fired.push(h.timers.fireTimeouts());
    };
    const result = await h.orchestrator.run({ ...q(1), stream: true }, { onDelta });
    assert.deepEqual(fired, [1]);
    assert.equal(result.content, 'a steady answer');
    assert.equal(result.finishReason, 'stop');
  });
});
