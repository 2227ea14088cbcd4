import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { DEFAULT_CATALOG, reply, type GitHubCatalogEntry } from '../../fake-server';
import { githubSettings, settingsFrom, startHarness, type Harness } from './harness';

describe('orchestrator: model catalog, key check and probe', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const catalogRequests = () => h.server.requests.filter((r) => r.endpoint === 'catalog' || r.endpoint === 'models');

  it('reads GitHub’s /catalog/models: limits, rate tier, publisher', async () => {
    const models = await h.orchestrator.listModels('github-models');
    const mini = models.find((m) => m.id === 'openai/gpt-4o-mini');
    assert.deepEqual(mini, {
      provider: 'github-models',
      id: 'openai/gpt-4o-mini',
      name: 'OpenAI GPT-4o mini',
      publisher: 'OpenAI',
      summary: 'OpenAI GPT-4o mini (fake catalog entry)',
      maxInputTokens: 131072,
      maxOutputTokens: 4096,
      tier: 'low',
      capabilities: ['streaming', 'tool-calling'],
    });
    const [req] = catalogRequests();
    assert.equal(req?.path, '/catalog/models');
    assert.equal(req?.headers['authorization'], 'Bearer ghp_testtoken');
    assert.equal(req?.headers['x-github-api-version'], '2022-11-28');
  });

  it('keeps the catalog for an hour; refresh fetches again', async () => {
    await h.orchestrator.listModels();
    await h.orchestrator.listModels();
    assert.equal(catalogRequests().length, 1);
    await h.orchestrator.listModels('github-models', { refresh: true });
    assert.equal(catalogRequests().length, 2);
    h.timers.advance(60 * 60 * 1000);
    await h.orchestrator.listModels();
    assert.equal(catalogRequests().length, 3);
  });

  it('reads OpenAI’s GET /models and fills in known limits', async () => {
    await h.keys.set('openai', 'sk-test');
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url } });
    const models = await h.orchestrator.listModels('openai');
    assert.equal(catalogRequests()[0]?.path, '/v1/models');
    const gpt4o = models.find((m) => m.id === 'openai/gpt-4o');
    assert.equal(gpt4o?.publisher, 'OpenAI');
    assert.equal(gpt4o?.maxInputTokens, 128_000);
  });

  it('an unreadable catalog is an invalid_response error', async () => {
    h.server.scriptCatalog(reply.malformed());
    await assert.rejects(h.orchestrator.listModels('github-models'), (e: { kind?: string }) => e.kind === 'invalid_response');
  });

  it('with an organization, chat goes to /orgs/{org}/inference and the catalog stays at the root', async () => {
    h.settings = githubSettings(h.server, { githubModels: { organization: 'acme' } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    await h.orchestrator.listModels();
    assert.equal(h.server.chatRequests[0]?.path, '/orgs/acme/inference/chat/completions');
    assert.equal(catalogRequests()[0]?.path, '/catalog/models');
  });

  it('validateKey lists the models with the new key, before it is stored', async () => {
    const result = await h.orchestrator.validateKey('github-models', '  github_pat_new  ');
    assert.deepEqual(result, { ok: true, models: 6 });
    assert.equal(catalogRequests()[0]?.headers['authorization'], 'Bearer github_pat_new');
    assert.equal(await h.keys.get('github-models'), 'ghp_testtoken', 'nothing stored');
  });

  it('validateKey reports a refused key as an auth error', async () => {
    const strict = await startHarness({ server: { apiKey: 'the-right-one' } });
    try {
      const result = await strict.orchestrator.validateKey('github-models', 'the-wrong-one');
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, 'auth');
      assert.deepEqual(await strict.orchestrator.validateKey('github-models', 'the-right-one'), { ok: true, models: 6 });
    } finally {
      await strict.close();
    }
  });

  it('validateKey proves the key with a one-token request when the model list answers without any key', async () => {
    // A LiteLLM proxy or vLLM lists its models to anyone and checks the key only on chat.
    await h.keys.set('litellm', 'stored-before');
    h.settings = settingsFrom({ provider: 'litellm', endpoints: { litellm: h.server.v1Url }, models: { explain: ['gpt-4o-mini'] } });
    h.server.handle((r) => (r.headers['authorization'] === 'Bearer sk-right-key' ? reply.text('p') : reply.error(401, { error: { message: 'Authentication Error, Invalid proxy server token passed.', type: 'auth_error', code: '401' } })));
    const wrong = await h.orchestrator.validateKey('litellm', 'sk-wrong-key');
    assert.equal(!wrong.ok && wrong.error.kind, 'auth');
    const right = await h.orchestrator.validateKey('litellm', 'sk-right-key');
    assert.equal(right.ok, true);
    const probe = h.server.chatRequests[1]?.body as { max_tokens: number; model: string };
    assert.deepEqual([probe.model, probe.max_tokens], ['gpt-4o-mini', 1]);
    assert.equal(catalogRequests().filter((r) => r.headers['authorization'] === undefined).length, 2, 'the list was also asked for with no key');
  });

  it('validateKey sends no chat request when the model list itself checks the key', async () => {
    const strict = await startHarness({ server: { apiKey: 'the-right-one' } });
    try {
      assert.equal((await strict.orchestrator.validateKey('github-models', 'the-right-one')).ok, true);
      assert.equal(strict.server.chatRequests.length, 0);
    } finally {
      await strict.close();
    }
  });

  it('probe sends one tiny request and reports its latency', async () => {
    h.server.handle(() => {
      h.timers.advance(35);
      return reply.text('p');
    });
    const { latencyMs } = await h.orchestrator.probe({ provider: 'github-models', model: 'openai/gpt-4o' });
    assert.equal(latencyMs, 35);
    const body = h.server.chatRequests[0]?.body as { max_tokens: number; model: string };
    assert.equal(body.max_tokens, 1);
    assert.equal(body.model, 'openai/gpt-4o');
  });

  it('probe reports failures as typed errors without retrying', async () => {
    h.server.script(reply.error(503));
    await assert.rejects(h.orchestrator.probe({ provider: 'github-models', model: 'openai/gpt-4o' }), (e: { kind?: string }) => e.kind === 'unavailable');
    assert.equal(h.server.chatRequests.length, 1);
  });

  it('chainFor shows the chain the settings give, live', () => {
    assert.equal(h.orchestrator.chainFor('explain')[0]?.model, 'cohere/cohere-command-r-08-2024');
    h.settings = githubSettings(h.server, { models: { explain: ['lmstudio:local-model'] } });
    assert.deepEqual(h.orchestrator.chainFor('explain'), [{ provider: 'lmstudio', model: 'local-model' }]);
  });
});

describe('orchestrator: what the catalog says feeds the size check and pacing', () => {
  /** Unknown to the built-in tables: without the catalog it gets the `high` tier's 8,000-token cap. */
  const TINY: GitHubCatalogEntry = {
    id: 'acme/tiny-coder',
    name: 'Tiny Coder',
    publisher: 'Acme',
    capabilities: ['streaming'],
    limits: { max_input_tokens: 1000, max_output_tokens: 500 },
    rate_limit_tier: 'low',
  };
  /** By its name gpt-4o-mini is `low` tier (15 a minute); this catalog puts it in `high` (10 a minute). */
  const MINI_AS_HIGH = { ...(DEFAULT_CATALOG.find((m) => m.id === 'openai/gpt-4o-mini') as GitHubCatalogEntry), rate_limit_tier: 'high' };

  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ server: { catalog: [TINY, MINI_AS_HIGH] } });
  });
  afterEach(() => h.close());

  it('a model’s input limit from the catalog refuses a prompt the built-in limits let through', async () => {
    const prompt = 'word '.repeat(2000);
    await h.orchestrator.run({ task: 'explain', prompt, model: TINY.id });
    assert.equal(h.server.chatRequests.length, 1, 'before the catalog is read, the prompt fits');

    await h.orchestrator.listModels();
    let kind: string | undefined;
    let message = '';
    try {
      await h.orchestrator.run({ task: 'explain', prompt, model: TINY.id });
    } catch (e) {
      if (!isAurelisError(e)) throw e;
      kind = e.kind;
      message = e.message;
    }
    assert.equal(kind, 'too_large');
    assert.match(message, /accepts: 1,000 tokens \(the context window of acme\/tiny-coder\)/);
    assert.equal(h.server.chatRequests.length, 1, 'refused before sending');
  });

  it('a model’s rate tier from the catalog sets its pacing', async () => {
    const quick = (n: number) => ({ task: 'explain' as const, prompt: `q${n}`, model: MINI_AS_HIGH.id });
    for (let i = 0; i < 11; i++) await h.orchestrator.run(quick(i));
    assert.deepEqual(h.timers.sleeps, [], 'by its name (low tier) 11 a minute go without waiting');

    h.timers.advance(61_000);
    await h.orchestrator.listModels();
    for (let i = 0; i < 11; i++) await h.orchestrator.run(quick(i));
    assert.equal(h.timers.sleeps.length, 1, 'the catalog’s high tier lets 10 a minute through, the 11th waits');
    assert.ok((h.timers.sleeps[0] ?? 0) > 59_000);
  });
});
