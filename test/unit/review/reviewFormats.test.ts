import assert from 'node:assert/strict';
import type { BatchReviewReport } from '../../../src/core/review/batchReview';
import { markdownReport } from '../../../src/core/review/formats/markdownReport';
import { sarifReport } from '../../../src/core/review/formats/sarifReport';
import { reaches } from '../../../src/core/review/formats/summary';
import { textReport } from '../../../src/core/review/formats/textReport';
import { languageOf } from '../../../src/core/review/languages';

function report(startLine: number, message = 'eval() runs any string.'): BatchReviewReport {
  return {
    files: [{ path: 'src/a b.js', language: 'javascript', findings: [{ severity: 'error', category: 'security', startLine, endLine: startLine, message, suggestion: 'const x = ```y```;' }], skipped: 0, pieces: 1, errors: [] }],
    requests: 1,
    cachedRequests: 0,
    promptTokens: 100,
    completionTokens: 20,
    costUsd: null,
    models: ['gpt-4.1'],
  };
}

describe('review report formats', () => {
  it('--fail-on thresholds', () => {
    assert.ok(reaches('error', 'error') && reaches('warning', 'warning') && reaches('error', 'info'));
    assert.ok(!reaches('warning', 'error') && !reaches('hint', 'info') && !reaches('error', 'never'));
  });

  it('SARIF fingerprints follow the flagged text, not its line number; paths are encoded URIs', () => {
    const before = sarifReport(report(2), new Map([['src/a b.js', 'line one\n  eval(x);\n']]), { version: '1.0.0' }) as { runs: Array<{ results: Array<{ partialFingerprints: object; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const after = sarifReport(report(4, 'a different wording'), new Map([['src/a b.js', 'new\nlines\nline one\n    eval(x);\n']]), { version: '1.0.0' }) as typeof before;
    assert.deepEqual(after.runs[0]?.results[0]?.partialFingerprints, before.runs[0]?.results[0]?.partialFingerprints);
    assert.equal(before.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'src/a%20b.js');
  });

  it('Markdown fences a suggestion so its own backticks cannot close it; text says "price unknown", never $0', () => {
    const md = markdownReport(report(2));
    assert.match(md, /^````suggestion\nconst x = ```y```;\n````$/m);
    assert.match(textReport(report(2)), /price unknown \(gpt-4\.1\)\.$/m);
  });

  it('language ids from file names', () => {
    assert.deepEqual(['a.ts', 'b.PY', 'Dockerfile', 'c.unknown', 'noext'].map(languageOf), ['typescript', 'python', 'dockerfile', 'plaintext', 'plaintext']);
  });
});
