import assert from 'node:assert/strict';
import { progressReporter } from '../../../src/cli/progress';
import type { FileReview } from '../../../src/core/review/batchReview';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

const file: FileReview = { path: 'src/a.ts', language: 'typescript', findings: [], skipped: 0, pieces: 1, errors: [] };

describe('review progress on stderr', () => {
  it('on a terminal, one bar redrawn in place with files, findings and spend, cleared at the end', () => {
    const out = stream(true);
    const p = progressReporter(out, {});
    p.file(file, { filesDone: 1, files: 4, findings: 2, costUsd: 0.0123 });
    p.file(file, { filesDone: 4, files: 4, findings: 3, costUsd: 0.05 });
    p.done();
    assert.ok(!out.text.includes('\n'), 'redrawn in place');
    assert.match(out.text, /██████░{18} 1\/4 files · 2 findings · \$0\.01/);
    assert.match(out.text, /█{24} 4\/4 files · 3 findings · \$0\.05/);
    assert.ok(out.text.endsWith('\r\x1b[2K'));
  });

  it('with CI set, one line per file; piped without CI, nothing', () => {
    const ci = stream(true);
    progressReporter(ci, { CI: 'true' }).file(file, { filesDone: 1, files: 2, findings: 0, costUsd: 0 });
    assert.equal(ci.text, 'aurelis: [1/2] src/a.ts: 0 findings\n');
    const piped = stream(false);
    progressReporter(piped, {}).file(file, { filesDone: 1, files: 2, findings: 0, costUsd: 0 });
    assert.equal(piped.text, '');
  });
});
