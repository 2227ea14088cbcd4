import assert from 'node:assert/strict';
import { extractJson, parseReviewFindings, reviewJsonSchema } from '../../../src/core/tasks/review';
import { AurelisError } from '../../../src/core/errors';

const bounds = { firstLine: 1, lastLine: 40 };

describe('review findings', () => {
  it('reads strict JSON as the schema asks for it', () => {
    const text = JSON.stringify({
      findings: [
        { severity: 'warning', category: 'performance', startLine: 9, endLine: 10, message: 'Quadratic loop.', suggestion: null },
        { severity: 'error', category: 'security', startLine: 3, endLine: 3, message: 'SQL built by string concatenation.', suggestion: 'db.query(sql, [id]);' },
      ],
    });
    const { findings, skipped } = parseReviewFindings(text, bounds);
    assert.equal(skipped, 0);
    assert.deepEqual(findings, [
      { severity: 'error', category: 'security', startLine: 3, endLine: 3, message: 'SQL built by string concatenation.', suggestion: 'db.query(sql, [id]);' },
      { severity: 'warning', category: 'performance', startLine: 9, endLine: 10, message: 'Quadratic loop.' },
    ]);
  });

  it('finds JSON inside prose and code fences, and accepts a bare array', () => {
    const fenced = 'Here is my review:\n```json\n{"findings":[{"severity":"info","category":"style","startLine":2,"endLine":2,"message":"Name it better.","suggestion":null}]}\n```\nThanks!';
    assert.equal(parseReviewFindings(fenced, bounds).findings.length, 1);
    const prose = 'Sure. [{"severity":"hint","category":"style","line":4,"message":"Use const. {not json}"}] That is all.';
    const parsed = parseReviewFindings(prose, bounds);
    assert.equal(parsed.findings[0]?.startLine, 4);
    assert.equal(parsed.findings[0]?.endLine, 4);
  });

  it('maps other spellings of severity and category, and line numbers given as strings', () => {
    const text = JSON.stringify([{ severity: 'CRITICAL', category: 'Bug', startLine: '7', endLine: '8', message: 'Off by one.' }]);
    const [f] = parseReviewFindings(text, bounds).findings;
    assert.deepEqual(f, { severity: 'error', category: 'correctness', startLine: 7, endLine: 8, message: 'Off by one.' });
  });

  it('skips entries that are not findings and counts them', () => {
    const text = JSON.stringify({ findings: [{ message: 'no line' }, 'junk', { severity: 'warning', category: 'style', startLine: 1, message: 'ok' }] });
    const { findings, skipped } = parseReviewFindings(text, bounds);
    assert.equal(findings.length, 1);
    assert.equal(skipped, 2);
  });

  it('clamps lines into the reviewed range and orders a reversed range', () => {
    const text = JSON.stringify([{ severity: 'warning', category: 'style', startLine: 80, endLine: 2, message: 'x' }]);
    const [f] = parseReviewFindings(text, { firstLine: 10, lastLine: 20 }).findings;
    assert.equal(f?.startLine, 20);
    assert.equal(f?.endLine, 20);
  });

  it('strips a code fence the model put around a suggestion', () => {
    const text = JSON.stringify([{ severity: 'warning', category: 'style', startLine: 1, message: 'x', suggestion: '```ts\nconst a = 1;\n```' }]);
    assert.equal(parseReviewFindings(text, bounds).findings[0]?.suggestion, 'const a = 1;');
  });

  it('throws an actionable invalid_response error when there is no JSON', () => {
    assert.throws(
      () => parseReviewFindings('The code looks fine to me.', bounds),
      (e: unknown) => e instanceof AurelisError && e.kind === 'invalid_response' && /Models/.test(e.message) && e.nextSteps.includes('retry'),
    );
  });

  it('extracts balanced JSON with brackets inside strings', () => {
    assert.deepEqual(extractJson('x {"a":"}]{","b":[1,{"c":2}]} y'), { a: '}]{', b: [1, { c: 2 }] });
  });

  it('sends a strict schema with every field required', () => {
    const schema = reviewJsonSchema() as { properties: { findings: { items: { required: string[]; additionalProperties: boolean } } } };
    assert.equal('$schema' in schema, false);
    assert.deepEqual([...schema.properties.findings.items.required].sort(), ['category', 'endLine', 'message', 'severity', 'startLine', 'suggestion']);
    assert.equal(schema.properties.findings.items.additionalProperties, false);
  });
});
