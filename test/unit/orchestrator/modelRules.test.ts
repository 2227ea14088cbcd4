import assert from 'node:assert/strict';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { reply } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from './harness';

type Body = Record<string, unknown>;

describe('orchestrator: what each model accepts', () => {
  let h: Harness;
  const bodies = () => h.server.chatRequests.map((r) => r.body as Body);

  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
    await h.keys.set('openai', 'sk-test');
    await h.keys.set('openrouter', 'or-key');
    await h.keys.set('custom', 'gw-key');
  });
  afterEach(() => h.close());

  it('a reasoning model gets no temperature, max_completion_tokens with room to think, and the task’s reasoning effort', async () => {
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { review: ['o3'], explain: ['gpt-5-mini'] }, reasoningEffort: { review: 'high', default: 'low' } });
    await h.orchestrator.run({ task: 'review', prompt: 'r', temperature: 0 });
    await h.orchestrator.run({ task: 'explain', prompt: 'e', temperature: 0.3 });
    const [review, explain] = bodies();
    assert.equal('temperature' in (review as Body), false, 'o3 refuses any temperature but its default');
    assert.equal(review?.['max_tokens'], undefined);
    assert.equal(review?.['max_completion_tokens'], 2000 + 16_000, 'the review allowance plus room for high effort');
    assert.equal(review?.['reasoning_effort'], 'high');
    assert.equal('temperature' in (explain as Body), false);
    assert.equal(explain?.['reasoning_effort'], 'low', 'the default effort for tasks without their own');
    assert.equal(explain?.['max_completion_tokens'], 1000 + 4_000);
  });

  it('an ordinary model keeps its temperature and gets no reasoning effort', async () => {
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { explain: ['gpt-4.1-mini'] }, reasoningEffort: { default: 'high' } });
    await h.orchestrator.run({ task: 'explain', prompt: 'e', temperature: 0.3 });
    const [body] = bodies();
    assert.equal(body?.['temperature'], 0.3);
    assert.equal(body?.['reasoning_effort'], undefined);
    assert.equal(body?.['max_completion_tokens'], 1000);
  });

  it('recognises a reasoning model behind a publisher prefix (OpenRouter), whose usual parameter is max_tokens', async () => {
    h.settings = settingsFrom({ provider: 'openrouter', endpoints: { openrouter: h.server.v1Url }, models: { explain: ['openai/o4-mini'] } });
    await h.orchestrator.run({ task: 'explain', prompt: 'q', temperature: 0.2 });
    const [body] = bodies();
    assert.equal('temperature' in (body as Body), false);
    assert.equal(body?.['max_completion_tokens'], 1000 + 8_000, 'medium effort when none is set');
    assert.equal(body?.['max_tokens'], undefined);
  });

  it('a 400 naming an unsupported parameter is asked again once without it, and the model is not sent it again', async () => {
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { explain: ['house-reasoner'] } });
    h.server.script(
      reply.error(400, { error: { message: "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } }),
      reply.text('first'),
      reply.text('second'),
    );
    const first = await h.orchestrator.run({ task: 'explain', prompt: 'q', temperature: 0.2 });
    assert.equal(first.content, 'first');
    const [refused, again] = bodies();
    assert.equal(refused?.['temperature'], 0.2);
    assert.equal('temperature' in (again as Body), false);
    assert.deepEqual(again?.['messages'], refused?.['messages']);
    await h.orchestrator.run({ task: 'explain', prompt: 'q2', temperature: 0.2 });
    assert.equal(h.server.chatRequests.length, 3, 'remembered: no refused request the second time');
    assert.equal('temperature' in (bodies()[2] as Body), false);
  });

  it('a refused max_tokens is sent again as max_completion_tokens', async () => {
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { explain: ['new-model'] } });
    h.server.script(reply.error(400, { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } }));
    await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    const [refused, again] = bodies();
    assert.equal(refused?.['max_tokens'], 1000);
    assert.equal(again?.['max_tokens'], undefined);
    assert.equal(again?.['max_completion_tokens'], 1000);
  });

  it('a body in pydantic’s shape ({"detail": [...]}) is read too', async () => {
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { explain: ['strict-server'] } });
    h.server.script(reply.error(422, { detail: [{ type: 'extra_forbidden', loc: ['body', 'temperature'], msg: 'Extra inputs are not permitted', input: 0.2 }] }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q', temperature: 0.2 });
    assert.equal(result.content, 'Answer from strict-server.');
    assert.equal('temperature' in (bodies()[1] as Body), false);
  });

  it('the same field refused again is an error, not a loop', async () => {
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { explain: ['odd-model'] } });
    const refusal = reply.error(400, { error: { message: "Unsupported parameter: 'response_format' is not supported with this model.", param: 'response_format' } });
    h.server.script(refusal, refusal);
    await assert.rejects(h.orchestrator.run({ task: 'explain', prompt: 'q', responseFormat: { type: 'json_object' } }), /does not accept the request field "response_format"/);
    assert.equal(h.server.chatRequests.length, 2);
  });

  it('reasoning tokens are counted, recorded, and priced as output', async () => {
    const records: unknown[] = [];
    h.orchestrator = h.restart({ prices: new ModelPrices(() => h.settings), recorders: [{ record: (r) => Promise.resolve(void records.push(r)) }] });
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { explain: ['o3'] } });
    h.server.script(reply.text('42', { usage: { prompt_tokens: 1000, completion_tokens: 1500, completion_tokens_details: { reasoning_tokens: 1400 } } }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.usage.completionTokens, 1500);
    assert.equal(result.usage.reasoningTokens, 1400);
    // o3: $2 in, $8 out per million.
    assert.equal(result.costUsd, (1000 * 2 + 1500 * 8) / 1_000_000);
    assert.equal((records[0] as { reasoningTokens?: number }).reasoningTokens, 1400);
  });

  it('a server that reports reasoning tokens apart from completion tokens is billed for both', async () => {
    h.orchestrator = h.restart({ prices: new ModelPrices(() => h.settings) });
    h.settings = settingsFrom({ provider: 'openai', endpoints: { openai: h.server.v1Url }, models: { explain: ['o3'] } });
    h.server.script(reply.text('42', { usage: { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 300 } } }));
    const result = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    assert.equal(result.usage.completionTokens, 305);
  });
});
