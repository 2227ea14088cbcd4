import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { PROVIDER_PRESETS } from '../../../src/core/providers/presets';
import { githubErrors } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from './harness';

type Body = Record<string, unknown>;

describe('orchestrator: provider presets over one protocol', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
  });
  afterEach(() => h.close());

  const sent = () => h.server.chatRequests[0];

  it('preset base URLs are the documented ones', () => {
    assert.equal(PROVIDER_PRESETS['github-models'].baseUrl, 'https://models.github.ai/inference');
    assert.equal(PROVIDER_PRESETS.ollama.baseUrl, 'http://localhost:11434/v1');
    assert.equal(PROVIDER_PRESETS.lmstudio.baseUrl, 'http://localhost:1234/v1');
    assert.equal(PROVIDER_PRESETS.openai.baseUrl, 'https://api.openai.com/v1');
    assert.equal(PROVIDER_PRESETS.openrouter.baseUrl, 'https://openrouter.ai/api/v1');
    assert.equal(PROVIDER_PRESETS['azure-ai-foundry'].baseUrl, undefined);
    assert.equal(PROVIDER_PRESETS.custom.baseUrl, undefined);
  });

  it('openai: its own default chain, bearer key, max_completion_tokens, JSON schema output', async () => {
    await h.keys.set('openai', 'sk-live');
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url } });
    await h.orchestrator.run({
      task: 'review',
      prompt: 'review',
      maxTokens: 300,
      temperature: 0.2,
      responseFormat: { type: 'json_schema', name: 'findings', schema: { type: 'object' }, strict: true },
    });
    const body = sent()?.body as Body;
    assert.equal(sent()?.path, '/v1/chat/completions');
    assert.equal(sent()?.headers['authorization'], 'Bearer sk-live');
    assert.equal(body['model'], 'gpt-4.1');
    assert.equal(body['max_completion_tokens'], 300);
    assert.equal(body['max_tokens'], undefined);
    assert.equal(body['temperature'], 0.2);
    assert.deepEqual(body['response_format'], { type: 'json_schema', json_schema: { name: 'findings', schema: { type: 'object' }, strict: true } });
  });

  it('github-models sends max_tokens (what its API reads)', async () => {
    await h.keys.set('github-models', 'ghp_x');
    h.settings = settingsFrom({ provider: 'github-models', endpoints: { 'github-models': h.server.inferenceUrl } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q', maxTokens: 50, responseFormat: { type: 'json_object' } });
    const body = sent()?.body as Body;
    assert.equal(body['max_tokens'], 50);
    assert.deepEqual(body['response_format'], { type: 'json_object' });
  });

  it('ollama: no key needed and no Authorization header sent', async () => {
    h.settings = settingsFrom({ provider: 'ollama', endpoints: { ollama: h.server.v1Url } });
    const result = await h.orchestrator.run({ task: 'generate', prompt: 'q' });
    assert.equal(result.model, 'qwen2.5-coder');
    assert.equal(sent()?.headers['authorization'], undefined);
  });

  it('ollama: a model that is not pulled says how to pull it or choose another', async () => {
    h.settings = settingsFrom({ provider: 'ollama', endpoints: { ollama: h.server.v1Url } });
    h.server.script(githubErrors.unknownModel('qwen2.5-coder'));
    const e = await h.orchestrator.run({ task: 'generate', prompt: 'q' }).catch((err: unknown) => err);
    assert.ok(isAurelisError(e));
    assert.equal(e.kind, 'unknown_model');
    assert.match(e.message, /Ollama has no model "qwen2\.5-coder"\. Pull it first \(ollama pull qwen2\.5-coder\), or choose a model you have\./);
    assert.deepEqual(e.nextSteps, ['chooseModel', 'openSettings']);
  });

  it('lmstudio: keyless, its own default model', async () => {
    h.settings = settingsFrom({ provider: 'lmstudio', endpoints: { lmstudio: h.server.v1Url } });
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.model, 'qwen2.5-coder-7b-instruct');
    assert.equal(sent()?.headers['authorization'], undefined);
  });

  it('custom: the configured base URL and extra headers; a key only when one is stored', async () => {
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: `${h.server.baseUrl}/gateway/v1` }, customHeaders: { 'X-Team': 'platform' }, models: { explain: ['my-model'] } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(sent()?.path, '/gateway/v1/chat/completions');
    assert.equal(sent()?.headers['x-team'], 'platform');
    assert.equal(sent()?.headers['authorization'], undefined);
    await h.keys.set('custom', 'gateway-key');
    await h.orchestrator.run({ task: 'explain', prompt: 'q2' });
    assert.equal(h.server.chatRequests[1]?.headers['authorization'], 'Bearer gateway-key');
  });

  it('azure-ai-foundry: the endpoint from settings, the key as api-key and bearer', async () => {
    await h.keys.set('azure-ai-foundry', 'azure-key');
    h.settings = settingsFrom({ provider: 'azure-ai-foundry', endpoints: { 'azure-ai-foundry': `${h.server.baseUrl}/openai/v1` } });
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.model, 'gpt-4o-mini');
    assert.equal(sent()?.path, '/openai/v1/chat/completions');
    assert.equal(sent()?.headers['api-key'], 'azure-key');
    assert.equal(sent()?.headers['authorization'], 'Bearer azure-key');
  });

  it('openrouter: publisher/model ids and its attribution header', async () => {
    await h.keys.set('openrouter', 'or-key');
    h.settings = settingsFrom({ provider: 'openrouter', endpoints: { openrouter: h.server.v1Url } });
    await h.orchestrator.run({ task: 'generate', prompt: 'q' });
    assert.equal((sent()?.body as Body)['model'], 'mistralai/codestral-2501');
    assert.equal(sent()?.headers['x-title'], 'Aurelis');
  });

  it('never sends OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment to another provider', async () => {
    process.env['OPENAI_ORG_ID'] = 'org-leak';
    process.env['OPENAI_PROJECT_ID'] = 'proj-leak';
    try {
      await h.keys.set('github-models', 'ghp_x');
      h.settings = settingsFrom({ provider: 'github-models', endpoints: { 'github-models': h.server.inferenceUrl } });
      await h.orchestrator.run({ task: 'explain', prompt: 'q' });
      assert.equal(sent()?.headers['openai-organization'], undefined);
      assert.equal(sent()?.headers['openai-project'], undefined);
    } finally {
      delete process.env['OPENAI_ORG_ID'];
      delete process.env['OPENAI_PROJECT_ID'];
    }
  });
});
