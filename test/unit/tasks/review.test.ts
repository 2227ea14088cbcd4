import assert from 'node:assert/strict';
import { AurelisError } from '../../../src/core/errors';
import { isCutOffError } from '../../../src/core/tasks/answers/cutOff';
import { isUsableReview, readReview } from '../../../src/core/tasks/answers/reviewAnswer';
import { reviewJsonSchema } from '../../../src/core/tasks/review';

const CODE = Array.from({ length: 40 }, (_, i) => `line${i + 1}();`).join('\n');
const reviewed = { code: CODE, firstLine: 1 };
const answer = (content: string, finishReason: 'stop' | 'length' = 'stop') => ({ content, finishReason, completionTokens: 50 });

describe('review findings', () => {
  it('reads strict JSON as the schema asks for it, in line order', () => {
    const text = JSON.stringify({
      findings: [
        { severity: 'warning', category: 'performance', quote: 'line9();\nline10();', startLine: 9, endLine: 10, message: 'Quadratic loop.', suggestion: null },
        { severity: 'error', category: 'security', quote: 'line3();', startLine: 3, endLine: 3, message: 'SQL built by string concatenation.', suggestion: 'db.query(sql, [id]);' },
      ],
    });
    const { findings, skipped, unplaced } = readReview(answer(text), reviewed);
    assert.equal(skipped, 0);
    assert.deepEqual(unplaced, []);
    assert.deepEqual(findings, [
      { severity: 'error', category: 'security', startLine: 3, endLine: 3, message: 'SQL built by string concatenation.', suggestion: 'db.query(sql, [id]);', anchor: 'line3();', quickFix: true, placedBy: 'quote' },
      { severity: 'warning', category: 'performance', startLine: 9, endLine: 10, message: 'Quadratic loop.', anchor: 'line9();\nline10();', quickFix: false, placedBy: 'quote' },
    ]);
  });

  it('a suggestion identical to the quoted lines is not offered as a quick fix', () => {
    const text = JSON.stringify([{ severity: 'hint', category: 'style', quote: 'line4();', startLine: 4, message: 'x', suggestion: 'line4();' }]);
    assert.equal(readReview(answer(text), reviewed).findings[0]?.quickFix, false);
  });

  it('gives a suggestion written without indentation the indentation of the lines it replaces', () => {
    const code = 'function f(a) {\n  if (a == null) {\n    return 0;\n  }\n}';
    const text = JSON.stringify([{ severity: 'warning', category: 'correctness', quote: 'if (a == null) {\n  return 0;\n}', startLine: 2, endLine: 4, message: 'Loose equality.', suggestion: 'if (a === null || a === undefined) {\n  return 0;\n}' }]);
    const [f] = readReview(answer(text), { code, firstLine: 1 }).findings;
    assert.equal(f?.quickFix, true);
    assert.equal(f?.suggestion, '  if (a === null || a === undefined) {\n    return 0;\n  }');
  });

  it('strips a code fence the model put around a suggestion', () => {
    const text = JSON.stringify([{ severity: 'warning', category: 'style', quote: 'line1();', startLine: 1, message: 'x', suggestion: '```ts\nconst a = 1;\n```' }]);
    assert.equal(readReview(answer(text), reviewed).findings[0]?.suggestion, 'const a = 1;');
  });

  it('throws an actionable invalid_response error when there is no JSON', () => {
    assert.throws(
      () => readReview(answer('The code looks fine to me.'), reviewed),
      (e: unknown) => e instanceof AurelisError && e.kind === 'invalid_response' && /Models/.test(e.message) && e.nextSteps.includes('retry') && !isCutOffError(e),
    );
  });

  it('says an answer without JSON that hit the output limit was cut off, with Retry with a Larger Limit', () => {
    assert.throws(
      () => readReview(answer('Let me go through the code line by line. First', 'length'), reviewed),
      (e: unknown) => isCutOffError(e) && e.nextSteps[0] === 'retryLarger' && e.outputTokens === 50 && /cut off at the model's output limit/.test(e.message),
    );
  });

  it('reads brackets inside strings without losing the JSON', () => {
    const text = 'x {"findings": [{"severity": "info", "category": "style", "quote": "line2();", "startLine": 2, "message": "Braces }]{ in text."}]} y';
    assert.equal(readReview(answer(text), reviewed).findings[0]?.message, 'Braces }]{ in text.');
  });

  it('keeps a cut-off answer out of the cache, and an answer it could read in', () => {
    const complete = JSON.stringify({ findings: [] });
    assert.equal(isUsableReview(answer(complete), reviewed), true);
    assert.equal(isUsableReview(answer('{"findings": [{"severity": "error", "message": "x", "quote": "line1();"}, {"sev', 'stop'), reviewed), false, 'a JSON cut off mid-array is not usable');
    assert.equal(isUsableReview(answer('No findings, the code is great.'), reviewed), false);
  });

  it('sends a strict schema with every field required, the quote among them', () => {
    const schema = reviewJsonSchema() as { properties: { findings: { items: { required: string[]; additionalProperties: boolean } } } };
    assert.equal('$schema' in schema, false);
    assert.deepEqual([...schema.properties.findings.items.required].sort(), ['category', 'endLine', 'message', 'quote', 'severity', 'startLine', 'suggestion']);
    assert.equal(schema.properties.findings.items.additionalProperties, false);
  });
});
