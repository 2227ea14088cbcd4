import assert from 'node:assert/strict';
import type { Settings } from '../../../src/core/settings';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { FakeTimers, githubSettings, T0 } from '../orchestrator/harness';
import { startMember, useRedis, type Member } from './teamHarness';

const explain = { task: 'explain' as const, prompt: 'What does this do?\n\nconst answer = 6 * 7;' };

describe('team mode: the Redis cache level', function () {
  this.timeout(30_000);
  const r = useRedis();
  let server: FakeOpenAIServer;
  let timers: FakeTimers;
  let members: Member[];
  let settings: Settings;

  beforeEach(async () => {
    timers = new FakeTimers(T0);
    server = await FakeOpenAIServer.start({ clock: timers });
    server.handle(() => reply.text('It multiplies six by seven.'));
    settings = githubSettings(server, { team: { redisUrl: r.server.url, name: 'acme' } });
    members = [await startMember({ settings: () => settings, timers }), await startMember({ settings: () => settings, timers })];
  });
  afterEach(async () => {
    await Promise.all(members.map((m) => m.close()));
    await server.stop();
  });

  it("a teammate's answer to the same request is a hit: one request reaches the model", async () => {
    const [a, b] = members as [Member, Member];
    const first = await a.orchestrator.run(explain);
    const second = await b.orchestrator.run(explain);
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(second.content, 'It multiplies six by seven.');
    assert.equal(server.chatRequests.length, 1);
    assert.equal(b.cache.stats().sharedHits, 1);
    // Now in b's memory too: the next lookup does not ask Redis.
    await b.orchestrator.run(explain);
    assert.equal(b.cache.stats().memoryHits, 1);
  });

  it("keeps the task's TTL: Redis drops the answer when it expires", async () => {
    const [a] = members as [Member, Member];
    await a.orchestrator.run(explain);
    const client = await r.server.client();
    const keys = await client.keys('aurelis:acme:cache:answer:*');
    assert.equal(keys.length, 1);
    const ttl = await client.pTTL(keys[0] as string);
    await client.close();
    // explain: 60 minutes by default.
    assert.ok(ttl > 59 * 60_000 && ttl <= 60 * 60_000, `TTL ${ttl}`);
  });

  it('keeps the team cache within aurelis.team.cacheMaxMB, oldest out first', async () => {
    const [a, b] = members as [Member, Member];
    // About 3 answers of ~100 kB fit in 0.3 MB.
    settings = { ...settings, team: { ...settings.team, cacheMaxMB: 0.3 } };
    server.handle((r) => reply.text(`${JSON.stringify(r.body).length}:${'x'.repeat(100_000)}`));
    for (let i = 0; i < 6; i++) await a.orchestrator.run({ ...explain, prompt: `question ${i}` });
    const client = await r.server.client();
    const keys = await client.keys('aurelis:acme:cache:answer:*');
    const bytes = Number(await client.get('aurelis:acme:cache:bytes'));
    await client.close();
    assert.ok(keys.length >= 2 && keys.length <= 3, `${keys.length} answers kept`);
    assert.ok(bytes <= 0.3 * 1024 * 1024, `${bytes} bytes`);
    // The newest is still shared; the oldest is not.
    assert.equal((await b.orchestrator.run({ ...explain, prompt: 'question 5' })).cached, true);
    assert.equal((await b.orchestrator.run({ ...explain, prompt: 'question 0' })).cached, false);
  });

  it('bad data in Redis is a miss, never an error', async () => {
    const [a, b] = members as [Member, Member];
    await a.orchestrator.run(explain);
    const client = await r.server.client();
    const [key] = await client.keys('aurelis:acme:cache:answer:*');
    await client.set(key as string, '{"v":1,"key":"not what was asked","answer":{"content":42}}');
    await client.close();
    const result = await b.orchestrator.run(explain);
    assert.equal(result.cached, false);
    assert.equal(server.chatRequests.length, 2);
  });

  it('Clear Team Cache removes every member\'s answers from Redis, in batches, with a running count', async () => {
    const [a, b] = members as [Member, Member];
    // More answers than one batch (200): the count runs up across batches.
    const client = await r.server.client();
    for (let i = 0; i < 3; i++) await a.orchestrator.run({ ...explain, prompt: `question ${i}` });
    await b.orchestrator.run({ ...explain, prompt: 'question b' });
    for (let i = 0; i < 250; i++) await client.zAdd('aurelis:acme:cache:order', { score: i, value: `gone-${i}` });
    const liveBytes = (await Promise.all((await client.keys('aurelis:acme:cache:answer:*')).map((k) => client.strLen(k)))).reduce((x, y) => x + y, 0);
    const progress: Array<[number, number]> = [];
    const cleared = await b.team.clearCache((removed, left) => progress.push([removed, left]));
    assert.deepEqual(cleared, { entries: 4, bytes: liveBytes }, 'answers whose TTL had run out are not counted');
    assert.equal(progress.length, 2);
    assert.deepEqual(progress[progress.length - 1], [4, 0]);
    assert.deepEqual(await client.keys('aurelis:acme:cache:*'), []);
    await client.close();
    // A member that had not seen the answer asks the model again; a's own cache still has it.
    const c = await startMember({ settings: () => settings, timers });
    members.push(c);
    const sent = server.chatRequests.length;
    assert.equal((await c.orchestrator.run({ ...explain, prompt: 'question 0' })).cached, false);
    assert.equal((await a.orchestrator.run({ ...explain, prompt: 'question 1' })).cached, true);
    assert.equal(server.chatRequests.length, sent + 1);
    // c's answer went to Redis: one answer left to clear.
    const size = await sizeOfOne();
    assert.ok(size > 0);
    assert.deepEqual(await b.team.clearCache(), { entries: 1, bytes: size });
  });

  it('Clear Team Cache: refused in team words when team mode is off, or when Redis does not answer', async () => {
    const off = await startMember({ settings: () => ({ ...settings, team: { ...settings.team, redisUrl: '' } }), timers });
    members.push(off);
    await assert.rejects(off.team.clearCache(), (e: Error & { kind?: string }) => e.kind === 'config' && /Team mode is off \(aurelis\.team\.redisUrl is not set\), so there is no team cache to clear\./.test(e.message));
    await r.server.kill();
    try {
      await assert.rejects((members[0] as Member).team.clearCache(), (e: Error & { kind?: string }) => e.kind === 'unavailable' && /^The team cache was not cleared: Redis at 127\.0\.0\.1:\d+ did not answer\. The log says why; try again when team mode is back\.$/.test(e.message));
    } finally {
      await r.server.restart();
    }
  });

  /** The size of the one answer in the team cache now. */
  async function sizeOfOne(): Promise<number> {
    const client = await r.server.client();
    const keys = await client.keys('aurelis:acme:cache:answer:*');
    const size = keys.length === 1 ? await client.strLen(keys[0] as string) : -1;
    await client.close();
    return size;
  }
});
