import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Notice } from '../../../src/core/pipeline';
import { FakeOpenAIServer, githubErrors, reply } from '../../fake-server';
import { failure, githubSettings, type Harness, startHarness, T0 } from './harness';

const CODESTRAL = 'mistral-ai/codestral-2501';
const GPT4O = 'openai/gpt-4o';
const LLAMA = 'meta/llama-3.3-70b-instruct';

describe('orchestrator: fallback along the chain', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const models = () => h.server.chatRequests.map((r) => r.model);

  it('moves to the next model when one stays unavailable, in chain order, and says so', async () => {
    h.server.handle((r) => (r.model === CODESTRAL ? reply.error(503) : reply.text(`from ${r.model}`)));
    const notices: Notice[] = [];
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'x' }, { onNotice: (n) => notices.push(n) });
    assert.equal(result.model, GPT4O);
    assert.equal(result.fallbackDepth, 1);
    assert.deepEqual(models(), [CODESTRAL, CODESTRAL, CODESTRAL, CODESTRAL, GPT4O]);
    const fallback = notices.find((n) => n.kind === 'fallback');
    assert.match(fallback?.message ?? '', /codestral-2501 could not answer \(unavailable\); trying openai\/gpt-4o on GitHub Models/);
  });

  it('falls back across providers: a hosted model, then a local one (no key, no Authorization header)', async () => {
    const local = await FakeOpenAIServer.start({ clock: h.timers });
    try {
      h.settings = githubSettings(h.server, {
        endpoints: { 'github-models': h.server.inferenceUrl, ollama: local.v1Url },
        models: { review: [GPT4O, 'ollama:qwen2.5-coder'] },
      });
      h.server.handle(() => reply.error(500));
      local.script(reply.text('local review'));
      const result = await h.orchestrator.run({ task: 'review', prompt: 'check this' });
      assert.equal(result.provider, 'ollama');
      assert.equal(result.model, 'qwen2.5-coder');
      assert.equal(result.content, 'local review');
      assert.equal(result.fallbackDepth, 1);
      const sent = local.chatRequests[0];
      assert.equal(sent?.path, '/v1/chat/completions');
      assert.equal(sent?.headers['authorization'], undefined);
    } finally {
      await local.stop();
    }
  });

  it('an auth failure skips the rest of that provider and tries the next provider', async () => {
    const openai = await FakeOpenAIServer.start({ clock: h.timers });
    try {
      await h.keys.set('openai', 'sk-test');
      h.settings = githubSettings(h.server, {
        endpoints: { 'github-models': h.server.inferenceUrl, openai: openai.v1Url },
        models: { explain: [GPT4O, 'openai/gpt-4o-mini', 'openai:gpt-4o-mini'] },
      });
      h.server.handle(() => githubErrors.unauthorized());
      const result = await h.orchestrator.run({ task: 'explain', prompt: 'x' });
      assert.equal(result.provider, 'openai');
      assert.equal(result.fallbackDepth, 2);
      assert.equal(h.server.chatRequests.length, 1, 'the second GitHub model was not tried with the same token');
      assert.equal(openai.chatRequests[0]?.headers['authorization'], 'Bearer sk-test');
    } finally {
      await openai.stop();
    }
  });

  it('a server wait longer than retry.maxServerWaitSeconds moves on at once and remembers when the quota resets', async () => {
    h.server.handle((r) => (r.model === CODESTRAL ? githubErrors.rateLimited({ type: 'UserByModelByDay', limit: 50, waitSeconds: 5631 }) : reply.text('ok')));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'x' });
    assert.equal(result.model, GPT4O);
    assert.deepEqual(h.timers.sleeps, [], 'no waiting for a daily limit');
    assert.deepEqual(models(), [CODESTRAL, GPT4O]);

    await h.orchestrator.run({ task: 'generate', prompt: 'y' });
    assert.deepEqual(models(), [CODESTRAL, GPT4O, GPT4O], 'the spent model is skipped without a request');

    const saved = JSON.parse(readFileSync(path.join(h.storageDir, 'ratelimits.json'), 'utf8')) as { blockedUntil: Record<string, number> };
    assert.equal(saved.blockedUntil[`github-models:${CODESTRAL}`], T0 + 5_631_000);

    const restarted = h.restart();
    await restarted.run({ task: 'generate', prompt: 'z' });
    assert.deepEqual(models(), [CODESTRAL, GPT4O, GPT4O, GPT4O], 'a restart still knows');
    await restarted.dispose();

    h.timers.advance(5_631_000);
    await h.orchestrator.run({ task: 'generate', prompt: 'w' });
    assert.deepEqual(models().slice(4), [CODESTRAL, GPT4O], 'tried again once the quota reset (and still spent)');
  });

  it('a short server wait is waited out on the same model', async () => {
    h.server.script(githubErrors.rateLimited({ type: 'UserByModelByMinute', waitSeconds: 30 }), reply.text('ok'));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'x' });
    assert.equal(result.model, CODESTRAL);
    assert.deepEqual(h.timers.sleeps, [30_000]);
  });

  it('when no model can answer, the error is the first model’s and names the others', async () => {
    h.server.handle((r) => (r.model === CODESTRAL ? githubErrors.unknownModel(CODESTRAL) : reply.error(503)));
    const e = await failure(h.orchestrator.run({ task: 'generate', prompt: 'x' }));
    assert.equal(e.kind, 'unknown_model');
    assert.match(e.message, /GitHub Models has no model "mistral-ai\/codestral-2501"/);
    assert.match(e.message, /Also tried: openai\/gpt-4o \(unavailable\), meta\/llama-3\.3-70b-instruct \(unavailable\)\./);
  });

  it('when every model is rate limited, it says which frees up first', async () => {
    const waits: Record<string, number> = { [CODESTRAL]: 5000, [GPT4O]: 700, [LLAMA]: 9000 };
    h.server.handle((r) => githubErrors.rateLimited({ waitSeconds: waits[r.model ?? ''] ?? 1 }));
    const e = await failure(h.orchestrator.run({ task: 'generate', prompt: 'x' }));
    assert.equal(e.kind, 'rate_limited');
    assert.equal(e.resetAt, T0 + 700_000);
    assert.match(e.message, /Every model of the chain is rate limited/);
    assert.match(e.message, /The first frees up at .+ \(in 12 min\)/);
  });

  it('a content filter ends the request: no other model is asked', async () => {
    h.server.script(githubErrors.contentFilter());
    const e = await failure(h.orchestrator.run({ task: 'generate', prompt: 'x' }));
    assert.equal(e.kind, 'content_filtered');
    assert.deepEqual(models(), [CODESTRAL]);
  });

  it('a malformed answer falls back to the next model without a retry', async () => {
    h.server.script(reply.malformed(), reply.text('fine'));
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'x' });
    assert.equal(result.content, 'fine');
    assert.deepEqual(models(), [CODESTRAL, GPT4O]);
  });

  it('prefers the cheapest model of the chain when the budget gate throttles', async () => {
    const prices = { cost: (t: { model: string }) => ({ [CODESTRAL]: 0.5, [GPT4O]: 2, [LLAMA]: 0.1 })[t.model] ?? null };
    const budget = { check: async () => ({ action: 'throttle' as const, message: 'With this request you will have used 95% of your daily budget.' }) };
    const orchestrator = h.restart({ prices, budget });
    const result = await orchestrator.run({ task: 'generate', prompt: 'x' });
    assert.equal(result.model, LLAMA);
    await orchestrator.dispose();
  });
});

describe('orchestrator: circuit breaker in the chain', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ settings: (s) => githubSettings(s, { retry: { maxAttempts: 1 } }) });
  });
  afterEach(() => h.close());

  it('opens after 5 failures in a row, skips the model while open, tries it half-open after 60 s, closes on success', async () => {
    let codestralUp = false;
    h.server.handle((r) => (r.model === CODESTRAL && !codestralUp ? reply.error(500) : reply.text(`from ${r.model}`)));
    for (let i = 0; i < 5; i++) await h.orchestrator.run({ task: 'generate', prompt: `x${i}` });
    const state = () => h.orchestrator.breakerStates().find((s) => s.target.model === CODESTRAL);
    assert.deepEqual(state(), { target: { provider: 'github-models', model: CODESTRAL }, state: 'open', failures: 5, openedAt: T0 });

    const before = h.server.chatRequests.length;
    const skipped = await h.orchestrator.run({ task: 'generate', prompt: 'open' });
    assert.equal(skipped.model, GPT4O);
    assert.equal(skipped.fallbackDepth, 1);
    assert.deepEqual(h.server.chatRequests.slice(before).map((r) => r.model), [GPT4O], 'an open breaker sends nothing');

    h.timers.advance(60_000);
    assert.equal(state()?.state, 'half-open');
    codestralUp = true;
    const trial = await h.orchestrator.run({ task: 'generate', prompt: 'trial' });
    assert.equal(trial.model, CODESTRAL);
    assert.equal(state()?.state, 'closed');
  });

  it('takes its thresholds from aurelis.breaker: failureThreshold 2 opens after 2, cooldownSeconds 10 half-opens after 10 s', async () => {
    h.settings = githubSettings(h.server, { retry: { maxAttempts: 1 }, breaker: { failureThreshold: 2, cooldownSeconds: 10 } });
    h.server.handle(() => reply.error(500));
    const forced = { task: 'explain' as const, prompt: 'x', model: CODESTRAL };
    const state = () => h.orchestrator.breakerStates().find((s) => s.target.model === CODESTRAL);
    await failure(h.orchestrator.run(forced));
    assert.equal(state()?.state, 'closed', 'one failure is not enough');
    await failure(h.orchestrator.run(forced));
    assert.deepEqual(state(), { target: { provider: 'github-models', model: CODESTRAL }, state: 'open', failures: 2, openedAt: T0 });
    const e = await failure(h.orchestrator.run(forced));
    assert.match(e.message, /paused after 2 failures in a row; Aurelis tries it again in 10 s/);
    assert.equal(h.server.chatRequests.length, 2, 'the open breaker sent nothing');
    h.timers.advance(10_000);
    assert.equal(state()?.state, 'half-open');
  });

  it('a 429 never trips the breaker, however many come in a row (pacing and the quota handle those)', async () => {
    h.settings = githubSettings(h.server, { retry: { maxAttempts: 1 }, breaker: { failureThreshold: 2 } });
    h.server.handle(() => githubErrors.rateLimited({ type: 'UserByModelByMinute', limit: 15, waitSeconds: 1 }));
    const forced = { task: 'explain' as const, prompt: 'x', model: CODESTRAL };
    for (let i = 0; i < 4; i++) assert.equal((await failure(h.orchestrator.run(forced))).kind, 'rate_limited');
    assert.equal(h.server.chatRequests.length, 4, 'every request was sent: the breaker never skipped the model');
    assert.deepEqual(h.orchestrator.breakerStates().find((s) => s.target.model === CODESTRAL), { target: { provider: 'github-models', model: CODESTRAL }, state: 'closed', failures: 0 });
  });

  it('4xx answers never open the breaker', async () => {
    h.server.handle(() => githubErrors.unknownModel(CODESTRAL));
    for (let i = 0; i < 6; i++) await failure(h.orchestrator.run({ task: 'explain', prompt: 'x', model: CODESTRAL }));
    assert.equal(h.orchestrator.breakerStates().find((s) => s.target.model === CODESTRAL)?.state, 'closed');
  });

  it('a breaker-skipped forced model explains when it will be tried again', async () => {
    h.server.handle(() => reply.error(500));
    for (let i = 0; i < 5; i++) await failure(h.orchestrator.run({ task: 'explain', prompt: 'x', model: CODESTRAL }));
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'x', model: CODESTRAL }));
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /paused after 5 failures in a row; Aurelis tries it again in 1 min/);
    assert.equal(h.server.chatRequests.length, 5);
  });
});
