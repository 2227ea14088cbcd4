import assert from 'node:assert/strict';
import { AurelisError, isAurelisError } from '../../../src/core/errors';
import type { BudgetCheck, BudgetDecision, CachedAnswer, GuardContext, ModelTarget, Notice, UsageRecord } from '../../../src/core/pipeline';
import { countMessageTokens } from '../../../src/core/tokens';
import type { TaskRequest } from '../../../src/core/types';
import { githubErrors, reply } from '../../fake-server';
import { startHarness, T0, type Harness } from './harness';

/** Fake stages that write what they were asked into one shared log. */
function stages(log: string[], options: { decision?: BudgetDecision; refuse?: boolean; hit?: CachedAnswer; cacheThrows?: boolean } = {}) {
  const seen = { guard: [] as GuardContext[], budget: [] as BudgetCheck[], cacheSet: [] as Array<{ target: ModelTarget; answer: CachedAnswer }>, records: [] as UsageRecord[] };
  return {
    seen,
    deps: {
      guard: {
        inspect: async (request: TaskRequest, context: GuardContext) => {
          log.push('guard');
          seen.guard.push(context);
          return { ...request, prompt: request.prompt?.replace('hunter2', '[secret]') };
        },
      },
      budget: {
        check: async (check: BudgetCheck): Promise<BudgetDecision> => {
          log.push('budget');
          seen.budget.push(check);
          if (options.refuse) throw new AurelisError('budget_exceeded', 'The daily budget of $1.00 is used up.');
          return options.decision ?? { action: 'allow' };
        },
      },
      cache: {
        get: async () => {
          log.push('cache.get');
          if (options.cacheThrows) throw new Error('disk on fire');
          return options.hit;
        },
        set: async (_request: TaskRequest, target: ModelTarget, answer: CachedAnswer) => {
          log.push('cache.set');
          seen.cacheSet.push({ target, answer });
        },
      },
      prices: { cost: (t: ModelTarget, u: { promptTokens: number; completionTokens: number }) => (t.model === 'openai/gpt-4o-mini' ? (u.promptTokens + u.completionTokens) / 1000 : null) },
      recorders: [
        {
          record: async (r: UsageRecord) => {
            log.push('record');
            seen.records.push(r);
          },
        },
      ],
      workspaceHash: 'f'.repeat(64),
    },
  };
}

describe('orchestrator: the pipeline stages, in order', () => {
  let h: Harness;
  let log: string[];
  afterEach(() => h.close());

  async function setup(options: Parameters<typeof stages>[1] = {}) {
    log = [];
    const s = stages(log, options);
    h = await startHarness({ deps: s.deps });
    h.server.handle(() => {
      log.push('provider');
      return reply.text('answer', { usage: { prompt_tokens: 100, completion_tokens: 20 } });
    });
    return s.seen;
  }

  it('guard → cache lookup → budget → provider → cache store → record', async () => {
    const seen = await setup();
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'my password is hunter2' }, { requestId: 'req-42' });
    assert.deepEqual(log, ['guard', 'cache.get', 'budget', 'provider', 'cache.set', 'record']);

    assert.deepEqual(seen.guard[0]?.target, { provider: 'github-models', model: 'openai/gpt-4o-mini' });
    assert.equal(seen.guard[0]?.inputTokenLimit, 8000, 'the free tier’s per-request limit');
    assert.equal((h.server.chatRequests[0]?.body as { messages: Array<{ content: string }> }).messages[0]?.content, 'my password is [secret]', 'the guarded request is what is sent');

    assert.equal(seen.budget[0]?.promptTokens, countMessageTokens([{ role: 'user', content: 'my password is [secret]' }]));
    assert.equal(seen.budget[0]?.maxOutputTokens, 2000, 'the task’s output allowance (aurelis.maxOutputTokens.prompt) when the request sets none');
    assert.equal((h.server.chatRequests[0]?.body as { max_tokens?: number }).max_tokens, 2000, 'the allowance reserved is the maximum sent');
    assert.equal(seen.budget[0]?.override, false);

    assert.equal(result.costUsd, 0.12);
    assert.equal(seen.cacheSet[0]?.answer.content, 'answer');
    const record = seen.records[0];
    assert.deepEqual(record, {
      ts: T0,
      requestId: 'req-42',
      provider: 'github-models',
      model: 'openai/gpt-4o-mini',
      task: 'prompt',
      workspace: 'f'.repeat(64),
      promptTokens: 100,
      completionTokens: 20,
      cachedTokens: 0,
      tokensEstimated: false,
      costUsd: 0.12,
      costSource: 'estimate',
      latencyMs: 0,
      outcome: 'ok',
      cacheHit: false,
      fallbackDepth: 0,
    });
  });

  it('a cache hit answers without the provider, costs nothing, and is still recorded', async () => {
    const hit: CachedAnswer = { content: 'cached answer', provider: 'github-models', model: 'openai/gpt-4o-mini', usage: { promptTokens: 7, completionTokens: 3, cachedTokens: 0, estimated: false }, finishReason: 'stop', storedAt: T0 - 1000 };
    const seen = await setup({ hit });
    const deltas: string[] = [];
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'q', stream: true }, { onDelta: (d) => deltas.push(d) });
    assert.deepEqual(log, ['guard', 'cache.get', 'record'], 'a cached answer costs nothing: the budget is not consulted');
    assert.equal(result.cached, true);
    assert.equal(result.content, 'cached answer');
    assert.equal(result.costUsd, 0);
    assert.deepEqual(deltas, ['cached answer'], 'a streamed request still hears the text');
    assert.equal(seen.records[0]?.cacheHit, true);
    assert.equal(seen.records[0]?.outcome, 'ok');
  });

  it('bypassCache skips the lookup but stores the fresh answer', async () => {
    await setup({ hit: { content: 'stale', provider: 'github-models', model: 'm', usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, estimated: false }, finishReason: 'stop', storedAt: T0 } });
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'q', bypassCache: true });
    assert.equal(result.content, 'answer');
    assert.deepEqual(log, ['guard', 'budget', 'provider', 'cache.set', 'record']);
  });

  it('a failing cache lookup is a miss, not a failure', async () => {
    await setup({ cacheThrows: true });
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'q' });
    assert.equal(result.content, 'answer');
  });

  it('only complete answers are cached: a cut-off one is not', async () => {
    await setup();
    h.server.handle(() => reply.text('half', { finishReason: 'length' }));
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'q' });
    assert.equal(result.finishReason, 'length');
    assert.ok(!log.includes('cache.set'));
  });

  it('a budget refusal stops before the provider and is recorded', async () => {
    const seen = await setup({ refuse: true });
    const e = await h.orchestrator.run({ task: 'prompt', prompt: 'q' }).catch((err: unknown) => err);
    assert.ok(isAurelisError(e) && e.kind === 'budget_exceeded');
    assert.deepEqual(e.nextSteps, ['raiseBudget', 'allowOnce']);
    assert.deepEqual(log, ['guard', 'cache.get', 'budget', 'record']);
    assert.equal(seen.records[0]?.outcome, 'budget_exceeded');
    assert.equal(seen.records[0]?.errorMessage, 'The daily budget of $1.00 is used up.');
    assert.equal(h.server.chatRequests.length, 0);
  });

  it('"Allow once" reaches the gate and the record', async () => {
    const seen = await setup();
    await h.orchestrator.run({ task: 'prompt', prompt: 'q', budgetOverride: true });
    assert.equal(seen.budget[0]?.override, true);
    assert.equal(seen.records[0]?.budgetOverride, true);
  });

  it('a warning is passed on as a notice and the request goes ahead', async () => {
    await setup({ decision: { action: 'warn', message: '80% of the daily budget is used.' } });
    const notices: Notice[] = [];
    await h.orchestrator.run({ task: 'prompt', prompt: 'q' }, { onNotice: (n) => notices.push(n) });
    assert.deepEqual(notices, [{ kind: 'budget_warn', message: '80% of the daily budget is used.' }]);
  });

  it('a throttle routes to the cheapest model of the chain', async () => {
    await setup({ decision: { action: 'throttle', message: '95% used: cheaper models only.' } });
    h.settings = { ...h.settings, models: { ...h.settings.models, review: ['openai/gpt-4o', 'openai/gpt-4o-mini'] } };
    const notices: Notice[] = [];
    const result = await h.orchestrator.run({ task: 'review', prompt: 'q' }, { onNotice: (n) => notices.push(n) });
    assert.equal(result.model, 'openai/gpt-4o-mini');
    assert.equal(notices[0]?.kind, 'budget_throttle');
  });

  it('every failure is recorded with its kind, no tokens and no cost', async () => {
    const seen = await setup();
    h.server.handle(() => githubErrors.unknownModel('openai/gpt-4o-mini'));
    await h.orchestrator.run({ task: 'prompt', prompt: 'q' }).catch(() => undefined);
    const r = seen.records[0];
    assert.equal(r?.outcome, 'unknown_model');
    assert.match(r?.errorMessage ?? '', /has no model/);
    assert.equal(r?.promptTokens, 0);
    assert.equal(r?.costUsd, 0);
  });

  it('a guard that blocks a secret stops the request, and it is recorded', async () => {
    log = [];
    const s = stages(log);
    s.deps.guard.inspect = async () => {
      log.push('guard');
      throw new AurelisError('secret_blocked', 'The prompt contains an AWS key.');
    };
    h = await startHarness({ deps: s.deps });
    const e = await h.orchestrator.run({ task: 'prompt', prompt: 'q' }).catch((err: unknown) => err);
    assert.ok(isAurelisError(e) && e.kind === 'secret_blocked');
    assert.deepEqual(log, ['guard', 'record']);
    assert.equal(s.seen.records[0]?.outcome, 'secret_blocked');
  });

  it('a recorder that fails does not fail the request', async () => {
    log = [];
    const s = stages(log);
    h = await startHarness({ deps: { ...s.deps, recorders: [{ record: async () => Promise.reject(new Error('disk full')) }] } });
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'q' });
    assert.equal(result.cached, false);
  });

  it('without a PriceBook the cost is null (unknown), never $0', async () => {
    h = await startHarness();
    const result = await h.orchestrator.run({ task: 'prompt', prompt: 'q' });
    assert.equal(result.costUsd, null);
  });
});
