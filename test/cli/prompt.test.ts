import assert from 'node:assert/strict';
import { reply, type RecordedRequest } from '../fake-server';
import { useCliFixture } from './support/setup';

const CAPITALS = `name: Capitals
description: The capital of a country
model: openai/gpt-4o-mini
messages:
  - role: system
    content: Answer with the city only.
  - role: user
    content: What is the capital of {{country}}?
testData:
  - country: France
    expected: Paris
  - country: Japan
    expected: Tokyo
  - country: Peru
    expected: Lima
evaluators:
  - name: Names the capital
    string:
      contains: '{{expected}}'
  - name: Judge
    llm:
      prompt: 'Does the answer "{{completion}}" name {{expected}}?'
      choices:
        - choice: 'yes'
          score: 1
        - choice: 'no'
          score: 0
`;

type Body = { messages?: Array<{ role: string; content: string }>; model?: string };
const lastMessage = (r: RecordedRequest) => ((r.body as Body).messages ?? []).at(-1)?.content ?? '';

/** Answers like a small model: one city per country (Peru wrong), and a judge that checks the answer. */
function answers(cities: Record<string, string>) {
  return (request: RecordedRequest) => {
    const text = lastMessage(request);
    const judged = /^Does the answer "(.*)" name (\w+)\?/s.exec(text);
    if (judged) return reply.text(`The answer is ${judged[1]}.\n${judged[1]?.includes(judged[2] ?? '') ? 'yes' : 'no'}`);
    const country = /capital of (\w+)/.exec(text)?.[1] ?? '';
    return reply.text(cities[country] ?? 'I do not know.');
  };
}

describe('aurelis prompt', () => {
  const t = useCliFixture();

  it('eval runs three rows through the evaluators, prints the table and exits 1 when a row fails', async () => {
    t.write('prompts/capitals.prompt.yml', CAPITALS);
    t.server.handle(answers({ France: 'Paris', Japan: 'Tokyo.', Peru: 'Cusco' }));
    const r = await t.run(['prompt', 'eval', 'prompts/capitals.prompt.yml']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Capitals \(prompts\/capitals\.prompt\.yml\)$/m);
    assert.match(r.stdout, /^Row +Names the capital +Judge +Row result +Tokens +Cost$/m);
    assert.match(r.stdout, /^1 +pass 1 +pass 1 +pass +\d+ +\S+/m);
    assert.match(r.stdout, /^2 +pass 1 +pass 1 +pass /m);
    assert.match(r.stdout, /^3 +FAIL 0 +FAIL 0 +FAIL /m);
    assert.match(r.stdout, /^2 of 3 rows passed, 1 failed\.$/m);
    assert.match(r.stdout, /row 3, Names the capital: contains "Lima"/);
    // Three answers and three judgements, all through the one pipeline.
    assert.equal(t.server.chatRequests.length, 6);
    assert.ok(t.server.chatRequests.every((q) => (q.body as Body).model === 'openai/gpt-4o-mini'), 'the file\'s model answers and judges, as the provider lists it');
  });

  it('eval exits 0 when every row passes, --format json carries the scores, and a model the provider lacks falls back and says so', async () => {
    t.write('prompts/capitals.prompt.yml', CAPITALS.replace('model: openai/gpt-4o-mini', 'model: meta/not-on-this-provider'));
    t.server.handle(answers({ France: 'Paris', Japan: 'Tokyo', Peru: 'Lima' }));
    const r = await t.run(['prompt', 'eval', 'prompts/capitals.prompt.yml', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /asks for meta\/not-on-this-provider, which OpenAI does not have; using the prompt files' models/);
    const json = JSON.parse(r.stdout) as { passed: number; failed: number; rows: Array<{ evaluations: Array<{ evaluator: string; score: number }> }> };
    assert.equal(json.passed, 3);
    assert.equal(json.failed, 0);
    assert.deepEqual(json.rows[0]?.evaluations.map((e) => [e.evaluator, e.score]), [['Names the capital', 1], ['Judge', 1]]);
  });

  it('run prints the answer with --var values, and names a variable that has none', async () => {
    t.write('prompts/capitals.prompt.yml', CAPITALS);
    t.server.handle(answers({ Chile: 'Santiago' }));
    const r = await t.run(['prompt', 'run', 'prompts/capitals.prompt.yml', '--var', 'country=Chile']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Santiago\n');
    assert.match(lastMessage(t.server.chatRequests[0] as RecordedRequest), /capital of Chile\?/);
    const missing = await t.run(['prompt', 'run', 'prompts/capitals.prompt.yml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /uses \{\{country\}\}: give --var country=…/);
  });

  it('a prompt file with a mistake is refused with its line', async () => {
    t.write('bad.prompt.yml', 'name: x\nmessages:\n  - role: user\n    content: hi\nmodelParameters:\n  temprature: 0.2\n');
    const r = await t.run(['prompt', 'eval', 'bad.prompt.yml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.prompt\.yml line 6 \(modelParameters\.temprature\): "temprature" is not a key of GitHub's prompt file format\./);
  });
});
