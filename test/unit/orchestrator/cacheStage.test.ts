/**
 * The response cache as the orchestrator uses it: a real TieredResponseCache (memory plus the
 * harness's temporary storage folder) behind a real Orchestrator talking to the fake server.
 * ../responseCache.test.ts covers keys, TTLs and bounds of the cache alone and stages.test.ts
 * the order of the stages with fakes; these show the contract end to end, where a wrong key,
 * a store on the wrong path or a lost disk write would only show up together.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TieredResponseCache } from '../../../src/core/cache/responseCache';
import { type AurelisError } from '../../../src/core/errors';
import type { UsageRecord } from '../../../src/core/pipeline';
import type { TaskRequest, TaskType } from '../../../src/core/types';
import { reply, type FakeReply, type RecordedRequest } from '../../fake-server';
import { failure, type Harness, startHarness } from './harness';

const MIN = 60_000;
/** A forced model: only the retry loop, not a chain of fallbacks, decides how many requests go out. */
const streamed: TaskRequest = { task: 'prompt', prompt: 'tell me', model: 'openai/gpt-4o-mini', stream: true };
const plain: TaskRequest = { ...streamed, stream: false };

describe('orchestrator: the response cache stage, with a real cache on disk', () => {
  let h: Harness;
  let cache: TieredResponseCache;
  let records: UsageRecord[];

  /** A new orchestrator and a new cache on the same storage folder: what a restart of VS Code gives. */
  function restart(): void {
    void h.orchestrator.dispose();
    cache = new TieredResponseCache({ storageDir: h.storageDir, settings: () => h.settings, clock: h.timers });
    h.orchestrator = h.restart({ cache, recorders: [{ record: async (r) => void records.push(r) }] });
  }

  /** Answers on disk; the folder only appears with the first write. */
  function filesOnDisk(): string[] {
    const dir = path.join(h.storageDir, 'cache');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  }

  beforeEach(async () => {
    records = [];
    h = await startHarness();
    restart();
  });
  afterEach(() => h.close());

  it('stores a streamed answer once complete; the identical request, streamed or not, is then a hit', async () => {
    h.server.script(reply.text('', { chunks: ['Hel', 'lo ', 'world'] }));
    const storedWhileStreaming: number[] = [];
    const first = await h.orchestrator.run(streamed, { onDelta: () => storedWhileStreaming.push(cache.stats().memoryEntries + filesOnDisk().length) });
    assert.equal(first.cached, false);
    assert.equal(first.content, 'Hello world');
    assert.deepEqual(storedWhileStreaming, [0, 0, 0], 'nothing is stored while the answer is still arriving');
    assert.equal(filesOnDisk().length, 1);

    const deltas: string[] = [];
    const again = await h.orchestrator.run(streamed, { onDelta: (d) => deltas.push(d) });
    assert.equal(again.cached, true);
    assert.equal(again.content, 'Hello world');
    assert.deepEqual(deltas, ['Hello world'], 'a streamed hit still hands its text to onDelta, or the view would stay empty');
    assert.deepEqual([again.provider, again.model, again.usage, again.costUsd], [first.provider, first.model, first.usage, 0]);

    // Streaming is not part of the key: it changes how the answer arrives, not the answer.
    const unstreamed = await h.orchestrator.run(plain);
    assert.equal(unstreamed.cached, true);
    assert.equal(unstreamed.content, 'Hello world');

    assert.equal(h.server.chatRequests.length, 1);
    assert.deepEqual(
      records.map((r) => r.cacheHit),
      [false, true, true],
    );
  });

  describe('failures and cancellations are never cached: the identical next request reaches the server', () => {
    const complete = reply.text('complete answer', { chunks: ['complete ', 'answer'] });
    const cases: Array<{ what: string; request: TaskRequest; replies: FakeReply[]; kind: AurelisError['kind']; sent: number; cancelOnDelta?: boolean }> = [
      { what: 'a 500 on every attempt, after the retries', request: plain, replies: Array.from({ length: 4 }, () => reply.error(500)), kind: 'unavailable', sent: 4 },
      { what: 'a 400', request: plain, replies: [reply.error(400)], kind: 'bad_request', sent: 1 },
      { what: 'a stream that breaks mid-way', request: streamed, replies: [reply.brokenStream(['partial ', 'answer'])], kind: 'stream_broken', sent: 1 },
      { what: 'a stream that stops without a finish reason', request: streamed, replies: [reply.text('', { chunks: ['cut ', 'short'], finishReason: null })], kind: 'stream_broken', sent: 1 },
      { what: 'a request cancelled mid-stream', request: streamed, replies: [reply.text('', { chunks: ['a', 'b', 'c'], hangAfterChunks: 1 })], kind: 'cancelled', sent: 1, cancelOnDelta: true },
    ];
    for (const c of cases) {
      it(c.what, async () => {
        h.server.script(...c.replies, complete);
        const abort = new AbortController();
        const e = await failure(h.orchestrator.run(c.request, { signal: abort.signal, ...(c.cancelOnDelta ? { onDelta: () => abort.abort() } : {}) }));
        assert.equal(e.kind, c.kind);
        assert.equal(h.server.chatRequests.length, c.sent);
        assert.equal(cache.stats().memoryEntries, 0);
        assert.deepEqual(filesOnDisk(), []);

        const next = await h.orchestrator.run(c.request);
        assert.equal(next.cached, false);
        assert.equal(next.content, 'complete answer');
        assert.equal(h.server.chatRequests.length, c.sent + 1);
        // The complete answer is a hit: the miss above was the failure not being kept, not a key that never matches.
        assert.equal((await h.orchestrator.run(c.request)).cached, true);
        assert.equal(h.server.chatRequests.length, c.sent + 1);
      });
    }
  });

  it('a cut-off answer (finish reason "length") is returned but not stored', async () => {
    h.server.script(reply.text('half an ans', { finishReason: 'length' }), reply.text('whole answer'));
    const cut = await h.orchestrator.run(plain);
    assert.equal(cut.finishReason, 'length');
    assert.deepEqual(filesOnDisk(), []);
    const next = await h.orchestrator.run(plain);
    assert.equal(next.cached, false);
    assert.equal(next.content, 'whole answer');
  });

  describe('only answers the caller could use are stored (RunOptions.usable)', () => {
    const usable = (answer: { content: string }) => answer.content.startsWith('```');

    it('an answer the caller calls unusable is returned but not stored; the next run asks the model', async () => {
      h.server.script(reply.text('Sorry, I cannot help with that.'), reply.text('```js\nok()\n```'));
      const unusable = await h.orchestrator.run(plain, { usable });
      assert.equal(unusable.content, 'Sorry, I cannot help with that.', 'the caller still gets it, to say what went wrong');
      assert.deepEqual(filesOnDisk(), []);
      assert.equal(cache.stats().memoryEntries, 0);
      const next = await h.orchestrator.run(plain, { usable });
      assert.equal(next.cached, false);
      assert.equal(h.server.chatRequests.length, 2);
      assert.equal((await h.orchestrator.run(plain, { usable })).cached, true, 'the usable answer was stored');
      assert.equal(h.server.chatRequests.length, 2);
    });

    it('a cached answer the caller cannot use is passed over for a fresh one', async () => {
      h.server.script(reply.text('plain words'), reply.text('```js\nfresh()\n```'));
      await h.orchestrator.run(plain);
      assert.equal(filesOnDisk().length, 1, 'stored by a caller that did not judge it');
      const result = await h.orchestrator.run(plain, { usable });
      assert.equal(result.cached, false);
      assert.equal(result.content, '```js\nfresh()\n```');
      assert.equal(h.server.chatRequests.length, 2);
    });

    it('a check that throws keeps the answer out of the cache instead of failing the request', async () => {
      h.server.script(reply.text('anything'), reply.text('anything'));
      const result = await h.orchestrator.run(plain, {
        usable: () => {
          throw new Error('parser bug');
        },
      });
      assert.equal(result.content, 'anything');
      assert.deepEqual(filesOnDisk(), []);
    });

    it('runBatch checks each request with its own check: only the usable answers are stored', async () => {
      const other: TaskRequest = { ...plain, prompt: 'tell me more' };
      // The batch sends both at once, so the server answers by prompt, not by arrival order.
      const asksForMore = (r: RecordedRequest) => JSON.stringify(r.body).includes('tell me more');
      h.server.handle((r) => (asksForMore(r) ? reply.text('no code here') : reply.text('```js\nfirst()\n```')));
      const outcomes = await h.orchestrator.runBatch([plain, other], {}, undefined, (index) => (index === 0 ? usable : () => false));
      assert.equal(outcomes.length, 2);
      assert.equal(h.server.chatRequests.length, 2);
      h.server.handle((r) => (asksForMore(r) ? reply.text('asked again') : reply.text('not asked: cached')));
      const again = await h.orchestrator.runBatch([plain, other], {}, undefined, (index) => (index === 0 ? usable : () => false));
      assert.deepEqual(
        again.map((o) => ('cached' in o ? o.cached : o.kind)),
        [true, false],
        'the usable answer came from the cache, the unusable one was asked again',
      );
      assert.equal(h.server.chatRequests.length, 3);
    });

    it('bypassCache (Regenerate) asks the model although the answer is cached, and stores the fresh one', async () => {
      h.server.script(reply.text('first'), reply.text('second'));
      await h.orchestrator.run(plain);
      const fresh = await h.orchestrator.run({ ...plain, bypassCache: true });
      assert.equal(fresh.cached, false);
      assert.equal(fresh.content, 'second');
      const after = await h.orchestrator.run(plain);
      assert.equal(after.cached, true);
      assert.equal(after.content, 'second', 'the regenerated answer replaced the old one');
      assert.equal(h.server.chatRequests.length, 2);
    });
  });

  it('answers from disk after a restart: new orchestrator, new cache, same storage folder', async () => {
    h.server.script(reply.text('remembered'));
    const first = await h.orchestrator.run(plain);
    assert.equal(first.cached, false);
    restart();
    const result = await h.orchestrator.run(plain);
    assert.equal(result.cached, true);
    assert.equal(result.content, 'remembered');
    assert.equal(h.server.chatRequests.length, 1);
    assert.deepEqual([cache.stats().diskHits, cache.stats().memoryHits], [1, 0], 'the new cache started empty in memory');
    assert.equal(records[records.length - 1]?.cacheHit, true);
  });

  describe('default TTLs (aurelis.cache.ttlMinutes), on the orchestrator’s clock', () => {
    // explain is listed at 60; review and prompt are not listed, so they take "default" (60).
    const defaults: Array<[TaskType, number]> = [
      ['explain', 60],
      ['review', 60],
      ['prompt', 60],
      ['generate', 30],
      ['document', 120],
    ];
    for (const [task, minutes] of defaults) {
      it(`${task}: a hit ${minutes - 1} minutes after it was stored, a miss at ${minutes}`, async () => {
        const request: TaskRequest = { task, prompt: 'what does this do?', model: 'openai/gpt-4o-mini' };
        await h.orchestrator.run(request);
        assert.deepEqual(h.timers.sleeps, [], 'nothing moved the clock: the answer was stored at T0');
        h.timers.advance((minutes - 1) * MIN);
        assert.equal((await h.orchestrator.run(request)).cached, true);
        h.timers.advance(MIN);
        const expired = await h.orchestrator.run(request);
        assert.equal(expired.cached, false);
        assert.equal(h.server.chatRequests.length, 2);
      });
    }
  });
});
