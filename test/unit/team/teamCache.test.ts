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
});
