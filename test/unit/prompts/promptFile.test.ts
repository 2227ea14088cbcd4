import assert from 'node:assert/strict';
import { parsePromptFile, PromptFileError, responseFormatOf } from '../../../src/core/prompts/promptFile';
import { fillMessages, fillTemplate, MissingVariablesError, variablesOf } from '../../../src/core/prompts/promptVariables';
import { chooseModel, promptRequest } from '../../../src/core/prompts/promptRequest';

const SUMMARIZER = `name: Text Summarizer
description: Summarizes input text concisely
model: openai/gpt-4o-mini
modelParameters:
  temperature: 0.5
  maxTokens: 200
  topP: 0.9
messages:
  - role: system
    content: You are a text summarizer.
  - role: user
    content: |
      Summarize the given text, beginning with "Summary -":
      <text>
      {{input}}
      </text>
testData:
  - input: The quick brown fox jumped over the lazy dog.
    expected: Summary - A fox jumped over a dog.
evaluators:
  - name: Starts with Summary
    string:
      startsWith: 'Summary -'
  - name: Similar
    uses: github/similarity
`;

function errorOf(text: string): PromptFileError {
  try {
    parsePromptFile(text, 'prompts/x.prompt.yml');
  } catch (e) {
    assert.ok(e instanceof PromptFileError, String(e));
    return e;
  }
  assert.fail('no error');
}

describe('prompt files: reading', () => {
  it('reads GitHub\'s format', () => {
    const p = parsePromptFile(SUMMARIZER, 'prompts/summarize.prompt.yml');
    assert.equal(p.title, 'Text Summarizer');
    assert.equal(p.model, 'openai/gpt-4o-mini');
    assert.deepEqual(p.modelParameters, { temperature: 0.5, maxTokens: 200, topP: 0.9 });
    assert.equal(p.testData?.length, 1);
    assert.deepEqual(p.evaluators?.map((e) => e.name), ['Starts with Summary', 'Similar']);
  });

  it('names a nameless prompt after its file', () => {
    assert.equal(parsePromptFile('messages:\n  - role: user\n    content: hi\n', 'a/b/explain-sql.prompt.yaml').title, 'explain-sql');
  });

  it('reports a YAML syntax error with its line', () => {
    const e = errorOf('name: x\nmessages:\n  - role: user\n    content: "unclosed\n');
    assert.equal(e.file, 'prompts/x.prompt.yml');
    assert.ok(e.line >= 4, `line ${e.line}`);
    assert.match(e.message, /^prompts\/x\.prompt\.yml line \d+: /);
  });

  it('reports a wrong value with its key and line', () => {
    const e = errorOf('name: x\nmessages:\n  - role: user\n    content: hi\n  - role: robot\n    content: hi\n');
    assert.equal(e.line, 5);
    assert.equal(e.key, 'messages.1.role');
    assert.match(e.message, /line 5 \(messages\.1\.role\)/);
  });

  it('reports an unknown key with its line', () => {
    const e = errorOf('name: x\nmessages:\n  - role: user\n    content: hi\nmodelParameters:\n  temprature: 0.2\n');
    assert.equal(e.line, 6);
    assert.equal(e.key, 'modelParameters.temprature');
    assert.match(e.message, /"temprature" is not a key of GitHub's prompt file format/);
  });

  it('reports missing messages and an evaluator with two kinds', () => {
    assert.equal(errorOf('name: x\n').key, 'messages');
    const e = errorOf('messages:\n  - role: user\n    content: hi\nevaluators:\n  - name: e\n    string: {contains: a}\n    uses: github/fluency\n');
    assert.equal(e.key, 'evaluators.0');
    assert.equal(e.line, 5);
    assert.match(e.message, /exactly one of string, llm, uses/);
    assert.match(errorOf('messages:\n  - role: user\n    content: hi\nevaluators:\n  - name: e\n    string: {contains: a, endsWith: b}\n').message, /exactly one of equals, contains/);
  });

  it('turns jsonSchema (JSON text or YAML) into the request\'s response format', () => {
    const text = 'messages:\n  - role: user\n    content: hi\nresponseFormat: json_schema\njsonSchema: \'{"name": "answer", "strict": true, "schema": {"type": "object"}}\'\n';
    assert.deepEqual(responseFormatOf(parsePromptFile(text, 'a.prompt.yml')), { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true });
    assert.throws(() => parsePromptFile('messages:\n  - role: user\n    content: hi\nresponseFormat: json_schema\njsonSchema: "{not json"\n', 'a.prompt.yml'), /jsonSchema\): is not valid JSON/);
  });
});

describe('prompt files: variables', () => {
  it('lists the variables in order of first use', () => {
    assert.deepEqual(variablesOf({ messages: [{ role: 'system', content: 'Lang {{ language }}' }, { role: 'user', content: '{{selection}} in {{file}} ({{language}})' }] }), ['language', 'selection', 'file']);
  });

  it('fills them literally: a value is never searched for placeholders', () => {
    assert.deepEqual(fillTemplate('a {{x}} b {{y}}', { x: '{{y}}', y: 'Y' }), { text: 'a {{y}} b Y', missing: [] });
  });

  it('names the variables that have no value', () => {
    assert.throws(
      () => fillMessages({ file: 'p.prompt.yml', messages: [{ role: 'user', content: '{{a}} {{b}}' }] }, { a: '1' }),
      (e: unknown) => e instanceof MissingVariablesError && e.names.join() === 'b' && /p\.prompt\.yml uses \{\{b\}\}, which has no value/.test(e.message),
    );
  });

  it('builds a prompt request with the model parameters', () => {
    const p = parsePromptFile(SUMMARIZER, 'prompts/summarize.prompt.yml');
    const r = promptRequest(p, { input: 'TEXT' }, 'gpt-4o-mini');
    assert.equal(r.task, 'prompt');
    assert.equal(r.model, 'gpt-4o-mini');
    assert.equal(r.temperature, 0.5);
    assert.equal(r.maxTokens, 200);
    assert.equal(r.topP, 0.9);
    assert.match(r.messages?.[1]?.content ?? '', /<text>\nTEXT\n<\/text>/);
    assert.equal(r.metadata?.prompt, 'Text Summarizer');
  });
});

describe('prompt files: the model', () => {
  const chain = [{ provider: 'openai' as const, model: 'gpt-4.1-mini' }];
  const all = () => true;
  it('uses the file\'s model when the provider has it, by its bare id too', () => {
    assert.deepEqual(chooseModel({ model: 'openai/gpt-4o-mini', file: 'p' }, ['gpt-4o', 'gpt-4o-mini'], 'OpenAI', all, chain), { model: 'gpt-4o-mini' });
    assert.deepEqual(chooseModel({ model: 'openai/gpt-4o-mini', file: 'p' }, ['openai/gpt-4o-mini'], 'GitHub Models', all, chain), { model: 'openai/gpt-4o-mini' });
  });
  it('falls back to the prompt chain, and says so', () => {
    const c = chooseModel({ model: 'meta/llama-4', file: 'p.prompt.yml' }, ['gpt-4o'], 'OpenAI', all, chain);
    assert.equal(c.model, undefined);
    assert.equal(c.notice, "p.prompt.yml asks for meta/llama-4, which OpenAI does not have; using the prompt files' models (gpt-4.1-mini).");
    assert.match(chooseModel({ model: 'gpt-4o', file: 'p' }, ['gpt-4o'], 'OpenAI', () => false, chain).notice ?? '', /allow-list/);
    assert.deepEqual(chooseModel({ file: 'p' }, ['gpt-4o'], 'OpenAI', all, chain), {});
  });
});
