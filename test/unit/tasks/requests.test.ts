import assert from 'node:assert/strict';
import { TaskRequestSchema } from '../../../src/core/types';
import { explainRequest, fixRequest, insertionRequest, quotedFileLine, reviewRequest, rewriteRequest, SEARCH_REPLACE_FROM_LINES, testsRequest } from '../../../src/core/tasks/requests';
import type { CodeContext } from '../../../src/core/tasks/codeContext';

const ctx: CodeContext = {
  language: 'typescript',
  path: 'src/sum.ts',
  code: 'export function sum(a: number[]) {\n  let s = 0;\n  for (const x of a) s += x;\n  return s;\n}',
  firstLine: 10,
  scope: 'function `sum`',
  diagnostics: [{ line: 11, severity: 'warning', source: 'eslint', message: 'prefer-const' }],
};

describe('task requests', () => {
  it('every builder produces a request the core accepts', () => {
    const requests = [
      explainRequest(ctx),
      reviewRequest(ctx),
      rewriteRequest('optimize', ctx),
      rewriteRequest('document', ctx),
      rewriteRequest('generate', ctx, 'use reduce'),
      insertionRequest({ language: 'typescript', path: 'src/a.ts', before: 'const a = 1;\n', after: '\n' }, 'add b'),
      testsRequest(ctx, { framework: 'Vitest', detected: true, testPath: 'src/sum.test.ts', importHint: "import from './sum'" }),
      fixRequest(ctx, ctx.diagnostics),
    ];
    for (const r of requests) TaskRequestSchema.parse(r);
    assert.deepEqual(requests.map((r) => r.task), ['explain', 'review', 'optimize', 'document', 'generate', 'generate', 'test', 'fix']);
  });

  it('numbers review lines in file coordinates and asks for JSON with a schema', () => {
    const r = reviewRequest(ctx);
    assert.match(r.prompt ?? '', /^10\| export function sum/m);
    assert.match(r.prompt ?? '', /^14\| }/m);
    assert.equal(r.responseFormat?.type, 'json_schema');
    assert.match(r.systemPrompt ?? '', /JSON only/);
  });

  it('streams explanations and carries language, path and nearby diagnostics', () => {
    const r = explainRequest(ctx);
    assert.equal(r.stream, true);
    assert.deepEqual(r.metadata, { language: 'typescript', file: 'src/sum.ts' });
    assert.match(r.prompt ?? '', /lines 10–14/);
    assert.match(r.prompt ?? '', /line 11, warning \(eslint\): prefer-const/);
  });

  it('asks edit tasks for exactly one code block, streamed', () => {
    for (const r of [rewriteRequest('optimize', ctx), rewriteRequest('document', ctx), fixRequest(ctx, ctx.diagnostics)]) {
      assert.match(r.systemPrompt ?? '', /exactly one Markdown code block/);
      assert.doesNotMatch(r.systemPrompt ?? '', /SEARCH/);
      assert.equal(r.stream, true);
    }
  });

  it(`asks for search/replace blocks from ${SEARCH_REPLACE_FROM_LINES} lines on, instead of the whole code`, () => {
    const long = { ...ctx, code: Array.from({ length: SEARCH_REPLACE_FROM_LINES }, (_, i) => `const v${i} = ${i};`).join('\n') };
    const short = { ...ctx, code: long.code.split('\n').slice(1).join('\n') };
    for (const r of [rewriteRequest('optimize', long), rewriteRequest('generate', long, 'x'), fixRequest(long, [])]) {
      assert.match(r.systemPrompt ?? '', /<<<<<<< SEARCH\n[\s\S]*=======\n[\s\S]*>>>>>>> REPLACE/);
      assert.doesNotMatch(r.systemPrompt ?? '', /exactly one Markdown code block/);
    }
    assert.doesNotMatch(rewriteRequest('optimize', short).systemPrompt ?? '', /SEARCH/);
  });

  it('asks the review for a verbatim quote of each finding, and streams it', () => {
    const r = reviewRequest(ctx);
    assert.match(r.systemPrompt ?? '', /quote is the complete line or lines/);
    assert.equal(r.stream, true);
  });

  it('shows the existing test file and asks only for tests to add', () => {
    const plan = { framework: 'Vitest', detected: true, testPath: 'src/sum.test.ts', importHint: "import from './sum'" };
    const r = testsRequest(ctx, plan, "it('adds', () => {});");
    assert.match(r.prompt ?? '', /src\/sum\.test\.ts already exists; write only new tests to append to it/);
    assert.match(r.prompt ?? '', /it\('adds'/);
    assert.doesNotMatch(testsRequest(ctx, plan).prompt ?? '', /already exists/);
  });

  it('uses a fence the code cannot close', () => {
    const r = explainRequest({ ...ctx, code: 'const md = "```js```";' });
    assert.match(r.prompt ?? '', /^````typescript$/m);
  });

  it('names the framework in the tests request and its metadata', () => {
    const r = testsRequest(ctx, { framework: 'Vitest', detected: true, testPath: 'src/sum.test.ts', importHint: "import from './sum'" });
    assert.equal(r.metadata?.framework, 'Vitest');
    assert.match(r.prompt ?? '', /src\/sum\.test\.ts/);
  });
});

describe('quotedFileLine: where a prompt line comes from in the file', () => {
  const ctx = { language: 'typescript', path: 'src/app.ts', code: 'const a = 1;\nconst b = 2;\nconst c = 3;', firstLine: 40, scope: 'selection', diagnostics: [] };
  const lineOf = (prompt: string, text: string) => prompt.split('\n').findIndex((l) => l.includes(text)) + 1;

  it('maps each quoted line to its file line, in plain and numbered (review) prompts', () => {
    for (const prompt of [explainRequest(ctx).prompt ?? '', reviewRequest(ctx).prompt ?? '']) {
      assert.deepEqual(quotedFileLine(prompt, lineOf(prompt, 'const a')), { file: 'src/app.ts', line: 40 });
      assert.deepEqual(quotedFileLine(prompt, lineOf(prompt, 'const c')), { file: 'src/app.ts', line: 42 });
    }
  });

  it('is undefined outside the quoted code: headers, fences, problems after the code', () => {
    const prompt = explainRequest({ ...ctx, diagnostics: [{ line: 41, severity: 'error', message: 'b is unused' }] }).prompt ?? '';
    assert.equal(quotedFileLine(prompt, 1), undefined);
    assert.equal(quotedFileLine(prompt, lineOf(prompt, 'File: src/app.ts')), undefined);
    assert.equal(quotedFileLine(prompt, lineOf(prompt, '```typescript')), undefined);
    assert.equal(quotedFileLine(prompt, lineOf(prompt, 'const c') + 1), undefined, 'the closing fence');
    assert.equal(quotedFileLine(prompt, lineOf(prompt, 'b is unused')), undefined);
  });

  it('is undefined for prompts without line numbers (insertion at the cursor)', () => {
    const prompt = insertionRequest({ language: 'python', path: 'x.py', before: 'a = 1\n', after: '' }, 'add b').prompt ?? '';
    assert.equal(quotedFileLine(prompt, lineOf(prompt, 'a = 1')), undefined);
  });
});
