import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import type { Settings } from '../../../src/core/settings';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { FakeTimers, githubSettings, T0 } from '../orchestrator/harness';
import { startMember, useRedis, type Member } from './teamHarness';

/** `prompt` with no model set runs on openai/gpt-4o-mini, a `low` tier model on GitHub Models. */
const quick = (n: number) => ({ task: 'prompt' as const, prompt: `question ${n}` });
const MINI = 'openai/gpt-4o-mini';
const windowKey = `aurelis:acme:pace:github-models:${MINI}:window`;

describe('team mode: pacing windows shared through Redis', function () {
  this.timeout(30_000);
  const r = useRedis();
  let server: FakeOpenAIServer;
  let timers: FakeTimers;
  let members: Member[];

  beforeEach(async () => {
    timers = new FakeTimers(T0);
    members = [];
  });
  afterEach(async () => {
    await Promise.all(members.map((m) => m.close()));
    await server.stop();
  });

  function teamSettings(extra: Record<string, unknown> = {}): Settings {
    return githubSettings(server, {
      retry: { maxAttempts: 1 },
      cache: { enabled: false },
      rateLimits: { overrides: { low: { requestsPerMinute: 6, concurrent: 3 } } },
      team: { redisUrl: r.server.url, name: 'acme' },
      ...extra,
    });
  }

  async function member(settings: Settings, options: { operationTimeoutMs?: number } = {}): Promise<Member> {
    const m = await startMember({ settings: () => settings, timers, ...options });
    members.push(m);
    return m;
  }

  it('two members together stay under the model limit the server enforces: no 429s', async () => {
    server = await FakeOpenAIServer.start({ clock: timers, limits: { requestsPerMinute: 6, concurrent: 3 } });
    const settings = teamSettings();
    const [a, b] = [await member(settings), await member(settings)];
    assert.ok(a.team.shared && b.team.shared, 'both members joined the team');
    const results = await Promise.all([a.orchestrator.runBatch(Array.from({ length: 9 }, (_, i) => quick(i))), b.orchestrator.runBatch(Array.from({ length: 9 }, (_, i) => quick(100 + i)))]);
    assert.equal(results.flat().filter(isAurelisError).length, 0);
    assert.equal(server.rateLimited, 0);
    assert.equal(server.chatRequests.length, 18);
    assert.ok(server.maxConcurrent <= 3);
    // Every 60 s window of arrivals holds at most 6.
    const arrivals = server.chatRequests.map((r) => r.receivedAt).sort((x, y) => x - y);
    for (let i = 6; i < arrivals.length; i++) assert.ok((arrivals[i] as number) - (arrivals[i - 6] as number) >= 60_000, `7 requests within a minute at ${i}`);
    assert.deepEqual([a.notices, b.notices], [[], []]);
  });

  it('(control) the same two members without Redis each pace alone and collect 429s together', async () => {
    server = await FakeOpenAIServer.start({ clock: timers, limits: { requestsPerMinute: 6, concurrent: 3 } });
    const settings = teamSettings({ team: { redisUrl: '' } });
    const [a, b] = [await member(settings), await member(settings)];
    const results = await Promise.all([a.orchestrator.runBatch(Array.from({ length: 9 }, (_, i) => quick(i))), b.orchestrator.runBatch(Array.from({ length: 9 }, (_, i) => quick(100 + i)))]);
    assert.ok(server.rateLimited > 0);
    assert.ok(results.flat().some((r) => isAurelisError(r) && r.kind === 'rate_limited'));
  });

  it('Redis killed mid-run: requests go on, paced locally, with one notice; Redis back: shared again', async () => {
    server = await FakeOpenAIServer.start({ clock: timers });
    server.handle(() => reply.text('ok'));
    const settings = teamSettings({ rateLimits: { overrides: { low: { requestsPerMinute: 4 } } } });
    const m = await member(settings);
    const inspect = await r.server.client();
    for (let i = 0; i < 3; i++) await m.orchestrator.run(quick(i));
    assert.equal(await inspect.zCard(windowKey), 3, 'the first three requests hold places in the shared window');
    await inspect.close();

    await r.server.kill();
    const sleepsBefore = timers.sleeps.length;
    const during = await m.orchestrator.runBatch(Array.from({ length: 6 }, (_, i) => quick(10 + i)));
    assert.equal(during.filter(isAurelisError).length, 0, 'no request failed because Redis was away');
    assert.equal(m.notices.length, 1, m.notices.map((n) => n.message).join('\n'));
    assert.equal(m.notices[0]?.kind, 'team_down');
    assert.match(m.notices[0]?.message ?? '', /Redis at 127\.0\.0\.1:\d+ \(.+\)\. Rate limits, team budgets and the cache are local until it is back/);
    // Locally paced: 6 requests at 4 a minute wait for the window.
    assert.ok(timers.sleeps.slice(sleepsBefore).some((ms) => ms >= 50_000), `no pacing wait: ${timers.sleeps.slice(sleepsBefore).join(', ')}`);

    const back = m.nextNotice();
    await r.server.restart();
    assert.equal((await back).kind, 'team_back');
    await m.orchestrator.run(quick(20));
    await m.orchestrator.run(quick(21));
    const again = await r.server.client();
    assert.equal(await again.zCard(windowKey), 2, 'requests after the rejoin are counted in Redis again');
    await again.close();
    assert.deepEqual(m.notices.map((n) => n.kind), ['team_down', 'team_back']);
  });

  it('a Redis that is slow (over the operation limit) counts as away: the request goes on locally, told once', async () => {
    server = await FakeOpenAIServer.start({ clock: timers });
    server.handle(() => reply.text('ok'));
    const m = await member(teamSettings(), { operationTimeoutMs: 50 });
    const blocker = await r.server.client();
    // DEBUG SLEEP blocks the whole server, as an overloaded or far-away Redis would.
    const blocked = blocker.sendCommand(['DEBUG', 'SLEEP', '1']);
    const result = await m.orchestrator.run(quick(1));
    assert.equal(result.content, 'ok');
    await blocked;
    await blocker.close();
    assert.equal(m.notices.length, 1);
    assert.match(m.notices[0]?.message ?? '', /took longer than 50 ms/);
  });

  it("a crashed member's slot expires: its lease runs out and the window frees up", async () => {
    server = await FakeOpenAIServer.start({ clock: timers });
    server.handle(() => reply.text('ok'));
    const settings = teamSettings({ rateLimits: { overrides: { low: { concurrent: 1 } } }, requestTimeoutSeconds: 30 });
    const m = await member(settings);
    // A member that took the only slot and crashed: its place is in Redis, its release never comes.
    const crashed = await r.server.client();
    const now = timers.now();
    await crashed.zAdd(`aurelis:acme:pace:github-models:${MINI}:flight`, { score: now + 90_000, value: 'crashed-member' });
    await crashed.zAdd(windowKey, { score: now + 150_000, value: 'crashed-member' });
    await crashed.close();
    const result = await m.orchestrator.run(quick(1));
    assert.equal(result.content, 'ok');
    assert.ok(timers.now() - now >= 90_000, 'the request waited for the lease to run out');
  });
});
