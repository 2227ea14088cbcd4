import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import type { Settings } from '../../../src/core/settings';
import { SharedWindows } from '../../../src/core/team/sharedPacing';
import { FakeOpenAIServer, githubErrors, reply } from '../../fake-server';
import { FakeTimers, githubSettings, T0 } from '../orchestrator/harness';
import { waitFor } from '../../support/waitFor';
import { startMember, useRedis, type Member } from './teamHarness';

/** `prompt` runs on openai/gpt-4o-mini, a `low` tier model on GitHub Models. */
const quick = (n: number) => ({ task: 'prompt' as const, prompt: `question ${n}` });
const MODEL = 'github-models:openai/gpt-4o-mini';
const learnedKey = `aurelis:acme:pace:${MODEL}:learned`;

describe('team mode: limits learned from rate-limit headers, tokens and the daily quota shared through Redis', function () {
  this.timeout(30_000);
  const r = useRedis();
  let server: FakeOpenAIServer | undefined;
  let timers: FakeTimers;
  let members: Member[];

  beforeEach(() => {
    timers = new FakeTimers(T0);
    members = [];
    server = undefined;
  });
  afterEach(async () => {
    await Promise.all(members.map((m) => m.close()));
    await server?.stop();
  });

  function teamSettings(s: FakeOpenAIServer, extra: Record<string, unknown> = {}): Settings {
    return githubSettings(s, { retry: { maxAttempts: 1 }, cache: { enabled: false }, team: { redisUrl: r.server.url, name: 'acme' }, ...extra });
  }

  async function member(settings: Settings): Promise<Member> {
    const m = await startMember({ settings: () => settings, timers });
    members.push(m);
    return m;
  }

  /** Arrivals at the server, in order: every 60 s span holds at most `limit`. */
  function assertWindow(s: FakeOpenAIServer, limit: number): void {
    const arrivals = s.chatRequests.map((q) => q.receivedAt).sort((x, y) => x - y);
    for (let i = limit; i < arrivals.length; i++) assert.ok((arrivals[i] as number) - (arrivals[i - limit] as number) >= 60_000, `${limit + 1} requests within a minute at ${i}`);
  }

  for (const announce of ['openai', 'anthropic'] as const) {
    it(`a limit one member learned from ${announce} headers paces the whole team: no 429s`, async () => {
      const s = (server = await FakeOpenAIServer.start({ clock: timers, bucket: { requests: 6, windowMs: 60_000, announce } }));
      s.handle(() => reply.text('ok'));
      // No override: Aurelis knows only GitHub's published tier (15 a minute) and what the server says.
      const settings = teamSettings(s);
      const [a, b] = [await member(settings), await member(settings)];
      assert.equal((await a.orchestrator.run(quick(0))).content, 'ok');
      assert.equal(await learnedLimit(), '6', 'the limit the server announced is in Redis for every member');
      const results = await Promise.all([a.orchestrator.runBatch(Array.from({ length: 8 }, (_, i) => quick(1 + i))), b.orchestrator.runBatch(Array.from({ length: 8 }, (_, i) => quick(100 + i)))]);
      assert.deepEqual(results.flat().filter(isAurelisError).map((e) => e.message), []);
      assert.equal(s.rateLimited, 0);
      assert.equal(s.chatRequests.length, 17);
      assertWindow(s, 6);
    });
  }

  it('(control) without Redis the member that learned nothing yet bursts into the limit and collects 429s', async () => {
    const s = (server = await FakeOpenAIServer.start({ clock: timers, bucket: { requests: 6, windowMs: 60_000, announce: 'openai' } }));
    s.handle(() => reply.text('ok'));
    const settings = teamSettings(s, { team: { redisUrl: '' } });
    const [a, b] = [await member(settings), await member(settings)];
    await a.orchestrator.run(quick(0));
    await Promise.all([a.orchestrator.runBatch(Array.from({ length: 8 }, (_, i) => quick(1 + i))), b.orchestrator.runBatch(Array.from({ length: 8 }, (_, i) => quick(100 + i)))]);
    assert.ok(s.rateLimited > 0, 'each member paced alone: together they went over');
  });

  it("one member's 429 with retry-after pauses every member for as long as the server asked", async () => {
    const s = (server = await FakeOpenAIServer.start({ clock: timers }));
    let first = true;
    s.handle(() => {
      if (!first) return reply.text('ok');
      first = false;
      return githubErrors.rateLimited({ type: 'UserByModelByMinute', limit: 15, windowSeconds: 60, waitSeconds: 30 });
    });
    const settings = teamSettings(s);
    const [a, b] = [await member(settings), await member(settings)];
    const refused = await a.orchestrator.runBatch([quick(1)]);
    assert.ok(isAurelisError(refused[0]) && refused[0].kind === 'rate_limited');
    assert.equal((await b.orchestrator.run(quick(2))).content, 'ok');
    const [at429, atNext] = s.chatRequests.map((q) => q.receivedAt) as [number, number];
    assert.ok(atNext - at429 >= 30_000, `the other member went ${atNext - at429} ms after the 429`);
  });

  it('a tokens-per-minute limit is one window for the team: what one member sent counts for the other', async () => {
    const [a, b] = [await member(teamSettings(await startIdle())), await member(teamSettings(await startIdle()))];
    const windowsOf = (m: Member) => new SharedWindows(m.team, () => 'acme', () => 120_000, timers);
    const [wa, wb] = [windowsOf(a), windowsOf(b)];
    await wa.learn(MODEL, { result: 'ok', announced: { tokens: { limit: 1000, remaining: 1000, resetMs: 60_000 } } });
    const request = { tokens: 600, retry: false, learned: true };
    assert.deepEqual(await wa.tryAcquire(MODEL, {}, request, 'a-1'), { kind: 'granted' });
    // 600 of 1,000 tokens are held by a request still in flight: only its release can help.
    assert.deepEqual(await wb.tryAcquire(MODEL, {}, request, 'b-1'), { kind: 'wait', waitMs: 100, exact: false });
    assert.deepEqual(await wb.tryAcquire(MODEL, {}, { ...request, tokens: 400 }, 'b-2'), { kind: 'granted' });
    timers.advance(5_000);
    await wa.release(MODEL, 'a-1', 600);
    // Finished: its tokens count for one more window from now.
    assert.deepEqual(await wb.tryAcquire(MODEL, {}, request, 'b-3'), { kind: 'wait', waitMs: 60_000, exact: true });
    // A member that paces by the told limits only (the user's override) is not held by it.
    assert.deepEqual(await wb.tryAcquire(MODEL, {}, { ...request, learned: false }, 'b-4'), { kind: 'granted' });
  });

  it("\"nothing remaining\" in one member's answer holds the others until a request's worth is back", async () => {
    const a = await member(teamSettings(await startIdle()));
    const windows = new SharedWindows(a.team, () => 'acme', () => 120_000, timers);
    await windows.learn(MODEL, { result: 'ok', announced: { requests: { limit: 10, remaining: 0, resetMs: 30_000 } } });
    assert.deepEqual(await windows.tryAcquire(MODEL, {}, { tokens: 0, retry: false, learned: true }, 'x'), { kind: 'wait', waitMs: 3_000, exact: true });
  });

  it('a 429 asking for hours (a spent daily quota) holds teammates for at most a minute, not the hours', async () => {
    const a = await member(teamSettings(await startIdle()));
    const windows = new SharedWindows(a.team, () => 'acme', () => 120_000, timers);
    await windows.learn(MODEL, { result: 'rate_limited', waitMs: 5_631_000 });
    assert.deepEqual(await windows.tryAcquire(MODEL, {}, { tokens: 0, retry: false, learned: true }, 'x'), { kind: 'wait', waitMs: 60_000, exact: true });
  });

  it("the daily request quota is the team's: once the members together used it, the next request is refused in team words", async () => {
    const s = (server = await FakeOpenAIServer.start({ clock: timers }));
    s.handle(() => reply.text('ok'));
    const settings = teamSettings(s, { rateLimits: { overrides: { low: { requestsPerDay: 4 } } } });
    const [a, b] = [await member(settings), await member(settings)];
    for (const m of [a, b, a, b]) assert.equal((await m.orchestrator.run(quick(members.indexOf(m)))).content, 'ok');
    const [refused] = await a.orchestrator.runBatch([quick(9)]);
    assert.ok(isAurelisError(refused), 'the fifth request of the team is refused');
    assert.equal(refused.kind, 'rate_limited');
    assert.match(refused.message, /daily quota of openai\/gpt-4o-mini on GitHub Models \(4 requests a day, shared by team "acme"\) is spent; it resets at .+\. Choose another model or provider, or wait\./);
    assert.equal(s.chatRequests.length, 4, 'the refused request never reached the server');
    // A new UTC day: the count starts again.
    timers.advance(24 * 3600_000);
    assert.equal((await b.orchestrator.run(quick(10))).content, 'ok');
  });

  /** The team's learned requests-per-minute, once the member's report (sent after its answer) has landed. */
  async function learnedLimit(): Promise<string> {
    const inspect = await r.server.client();
    try {
      return await waitFor('the learned limit in Redis', () => inspect.hGet(learnedKey, 'rpm'));
    } finally {
      await inspect.close();
    }
  }

  /** A server no request reaches (tests that talk to the shared windows directly). */
  async function startIdle(): Promise<FakeOpenAIServer> {
    server ??= await FakeOpenAIServer.start({ clock: timers });
    return server;
  }
});
