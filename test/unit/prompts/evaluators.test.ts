import assert from 'node:assert/strict';
import { builtInJudge, judgeMessages, readVerdict } from '../../../src/core/prompts/modelGraders';
import { evaluatePrompt, type PromptSender } from '../../../src/core/prompts/promptEvaluation';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';
import { evaluationMarkdown, evaluationText } from '../../../src/core/prompts/evaluationTable';
import { runStringCheck } from '../../../src/core/prompts/stringChecks';
import type { TaskRequest, TaskResult } from '../../../src/core/types';

describe('prompt evaluators: string checks', () => {
  const row = { expected: 'Paris' };
  it('equals compares exactly (surrounding whitespace aside) and may use the row', () => {
    assert.equal(runStringCheck({ equals: '{{expected}}' }, ' Paris\n', row).passed, true);
    assert.equal(runStringCheck({ equals: '{{expected}}' }, 'paris', row).passed, false);
  });
  it('contains ignores case unless caseSensitive', () => {
    assert.equal(runStringCheck({ contains: 'PARIS' }, 'The capital is Paris.', row).passed, true);
    assert.equal(runStringCheck({ contains: 'PARIS', caseSensitive: true }, 'The capital is Paris.', row).passed, false);
    assert.equal(runStringCheck({ contains: 'Lyon' }, 'The capital is Paris.', row).passed, false);
  });
  it('startsWith and endsWith', () => {
    assert.equal(runStringCheck({ startsWith: 'summary -' }, 'Summary - a fox.', row).passed, true);
    assert.equal(runStringCheck({ startsWith: 'Summary -' }, 'A summary', row).passed, false);
    assert.equal(runStringCheck({ endsWith: '.' }, 'Done.', row).passed, true);
    assert.equal(runStringCheck({ endsWith: '!', caseSensitive: true }, 'Done.', row).passed, false);
    assert.deepEqual(runStringCheck({ endsWith: '.' }, 'Done.', row), { passed: true, score: 1, detail: 'endsWith "."' });
  });
});

describe('prompt evaluators: model-graded', () => {
  const judge = { prompt: 'Is {{completion}} polite? Input: {{input}}', choices: [{ choice: 'yes', score: 1 }, { choice: 'no', score: 0 }] };
  it('fills the answer and the row into the judge prompt and lists the choices', () => {
    const m = judgeMessages(judge, 'Thank you!', { input: 'say thanks' });
    assert.equal(m.length, 1);
    assert.equal(m[0]?.content, 'Is Thank you! polite? Input: say thanks\n\nAnswer with exactly one of: yes, no.');
  });
  it('reads the verdict: whole answer, last line, or the choice named last', () => {
    assert.deepEqual(readVerdict(judge, 'Yes'), { passed: true, score: 1, detail: 'judged yes' });
    assert.equal(readVerdict(judge, 'It is courteous.\n**no**').score, 0);
    assert.equal(readVerdict(judge, 'At first no, but on reflection yes, it is.').detail, 'judged yes');
    assert.match(readVerdict(judge, 'maybe').detail, /chose none of yes, no/);
    assert.equal(readVerdict(judge, 'maybe').passed, false);
  });
  it('built-in similarity is a five-point scale that needs the expected answer', () => {
    const similarity = builtInJudge('github/similarity');
    assert.deepEqual(similarity.choices.map((c) => c.score), [0, 0.25, 0.5, 0.75, 1]);
    const m = judgeMessages(similarity, 'A fox jumped.', { input: 'text', expected: 'A fox leapt.' });
    assert.match(m[1]?.content ?? '', /EXPECTED:\nA fox leapt\./);
    assert.equal(readVerdict(similarity, 'Close in meaning.\n4').score, 0.75);
    assert.equal(readVerdict(similarity, '2').passed, false);
    assert.equal(readVerdict(similarity, '3').passed, true);
    for (const uses of ['github/coherence', 'github/fluency', 'github/relevance', 'github/groundedness']) assert.match(builtInJudge(uses).prompt, /ANSWER:\n\{\{completion\}\}/);
  });
});

describe('prompt evaluation: rows × evaluators', () => {
  const file = parsePromptFile(
    `name: Capitals
messages:
  - role: user
    content: Capital of {{country}}?
testData:
  - country: France
    expected: Paris
  - country: Japan
    expected: Tokyo
  - country: Peru
    expected: Lima
evaluators:
  - name: Names the city
    string:
      contains: '{{expected}}'
  - name: Judge
    llm:
      prompt: 'Does "{{completion}}" name {{expected}}?'
      choices:
        - choice: 'yes'
          score: 1
        - choice: 'no'
          score: 0
`,
    'capitals.prompt.yml',
  );

  /** Answers like a model would; the judge says yes when the answer names the expected city. */
  const sender = (answers: Record<string, string>): PromptSender & { requests: TaskRequest[] } => {
    const requests: TaskRequest[] = [];
    return {
      requests,
      run: async (request) => {
        requests.push(request);
        const text = request.messages?.[request.messages.length - 1]?.content ?? '';
        const judged = /^Does "(.*)" name (\w+)\?/s.exec(text);
        const content = judged ? (judged[1]?.includes(judged[2] ?? '') ? 'yes' : 'no') : (answers[/Capital of (\w+)/.exec(text)?.[1] ?? ''] ?? '');
        return result(content, 10);
      },
    };
  };

  it('runs every row and evaluator and counts the judges in tokens and cost', async () => {
    const s = sender({ France: 'The capital of France is Paris.', Japan: 'Tokyo.', Peru: 'Cusco.' });
    const evaluation = await evaluatePrompt(file, s);
    assert.equal(s.requests.length, 6);
    assert.ok(s.requests.every((r) => r.task === 'prompt'));
    assert.deepEqual(evaluation.rows.map((r) => r.passed), [true, true, false]);
    assert.equal(evaluation.passed, 2);
    assert.equal(evaluation.failed, 1);
    assert.equal(evaluation.rows[0]?.tokens, 40);
    assert.equal(evaluation.rows[0]?.costUsd, 0.002);
    const text = evaluationText(evaluation);
    assert.match(text, /^Row\s+Names the city\s+Judge\s+Row result\s+Tokens\s+Cost$/m);
    assert.match(text, /^3\s+FAIL 0\s+FAIL 0\s+FAIL\s+40/m);
    assert.match(text, /2 of 3 rows passed, 1 failed\./);
    assert.match(evaluationMarkdown(evaluation), /\| 1 \| pass 1 \| pass 1 \| pass \| 40 \|/);
  });

  it('a row whose request fails is a failed row with the error', async () => {
    const failing: PromptSender = { run: async () => Promise.reject(new Error('The model is gone.')) };
    const evaluation = await evaluatePrompt(file, failing);
    assert.equal(evaluation.failed, 3);
    assert.equal(evaluation.rows[0]?.error, 'The model is gone.');
    assert.match(evaluationMarkdown(evaluation), /Row 1: the request failed: The model is gone\./);
  });

  it('refuses a file without testData', async () => {
    await assert.rejects(evaluatePrompt({ ...file, testData: undefined }, sender({})), /has no testData rows/);
  });
});

function result(content: string, tokens: number): TaskResult {
  return {
    requestId: 'r',
    content,
    model: 'gpt-4o-mini',
    provider: 'openai',
    usage: { promptTokens: tokens, completionTokens: tokens, cachedTokens: 0, estimated: false },
    latencyMs: 1,
    finishReason: 'stop',
    fallbackDepth: 0,
    cached: false,
    costUsd: 0.001,
  };
}
