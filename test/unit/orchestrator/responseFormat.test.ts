import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { reviewRequest } from '../../../src/core/tasks/requests';
import { answerOf } from '../../../src/core/tasks/answers/cutOff';
import { readReview } from '../../../src/core/tasks/answers/reviewAnswer';
import { reply } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from './harness';

type Body = Record<string, unknown>;

/** What an OpenAI-compatible server (vLLM, older Azure deployments) says to a format it cannot do. */
const REFUSAL = { error: { code: 'invalid_request_error', message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." } };
const FINDINGS = JSON.stringify({ findings: [{ severity: 'warning', startLine: 2, endLine: 2, category: 'correctness', message: 'Off by one.' }] });

describe('orchestrator: structured output where the model supports it', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ githubKey: null });
    await h.keys.set('custom', 'gw-key');
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, models: { review: ['local-coder'] } });
  });
  afterEach(() => h.close());

  const review = () => reviewRequest({ language: 'typescript', path: 'a.ts', code: 'const a = 1;\nconst b = a + 1;', firstLine: 1, scope: 'selection', diagnostics: [] });

  it('asks again without response_format when the model refuses it, and remembers that for the model', async () => {
    h.server.script(reply.error(400, REFUSAL), reply.text(`Here you go:\n${FINDINGS}`), reply.text(FINDINGS));
    const first = await h.orchestrator.run(review());
    const [refused, retried] = h.server.chatRequests.map((r) => r.body as Body);
    assert.equal((refused?.response_format as { type: string }).type, 'json_schema');
    assert.equal(retried?.response_format, undefined, 'the second request still asked for json_schema');
    assert.deepEqual(retried?.messages, refused?.messages, 'the prompt (which asks for JSON) is unchanged');
    assert.equal(readReview(answerOf(first), { code: 'const a = 1;\nconst b = a + 1;', firstLine: 1 }).findings.length, 1, 'the tolerant parse reads the prose-wrapped answer');

    await h.orchestrator.run({ ...review(), bypassCache: true });
    assert.equal(h.server.chatRequests.length, 3, 'the model was asked for the format again');
    assert.equal((h.server.chatRequests[2]?.body as Body).response_format, undefined);
  });

  it('any other 400 is still an error, asked once', async () => {
    h.server.script(reply.error(400, { error: { code: 'invalid_request_error', message: "'temperature' must be at most 1." } }));
    await assert.rejects(h.orchestrator.run(review()), (e: unknown) => isAurelisError(e) && e.kind === 'bad_request');
    assert.equal(h.server.chatRequests.length, 1);
  });
});
