import assert from 'node:assert/strict';
import { chunkLines, touches, withContext } from '../../../src/core/review/reviewChunks';
import { mergeFindings } from '../../../src/core/review/findingMerge';
import { hunksOf } from '../../../src/core/review/gitChanges';
import { countTokens } from '../../../src/core/tokens';
import type { ReviewFinding } from '../../../src/core/tasks/review';

const LINES = Array.from({ length: 400 }, (_, i) => `const value${i + 1} = compute(${i + 1}, "some words to give the line weight");`);

describe('review chunks', () => {
  it('a range that fits is one chunk', () => {
    assert.deepEqual(chunkLines(LINES, { from: 1, to: 10 }, 3500), [{ from: 1, to: 10 }]);
  });

  it('cuts a long range into chunks within the budget that cover every line and overlap', () => {
    const chunks = chunkLines(LINES, { from: 1, to: 400 }, 800);
    assert.ok(chunks.length > 5);
    assert.equal(chunks[0]?.from, 1);
    assert.equal(chunks.at(-1)?.to, 400);
    for (const [i, c] of chunks.entries()) {
      const tokens = LINES.slice(c.from - 1, c.to).reduce((n, l) => n + countTokens(l) + 3, 0);
      assert.ok(tokens <= 800, `chunk ${i} has ${tokens} tokens`);
      const next = chunks[i + 1];
      if (next) {
        assert.ok(next.from <= c.to, 'consecutive chunks share lines');
        assert.ok(next.from > c.from, 'and always move forward');
      }
    }
  });

  it('a line longer than the budget is a chunk of its own', () => {
    const lines = ['short', 'x'.repeat(5000), 'short'];
    assert.deepEqual(chunkLines(lines, { from: 1, to: 3 }, 100), [{ from: 1, to: 1 }, { from: 2, to: 2 }, { from: 3, to: 3 }]);
  });

  it('grows changed ranges by their context, clamped to the file, joining neighbours', () => {
    assert.deepEqual(withContext([{ from: 3, to: 3 }, { from: 10, to: 12 }, { from: 90, to: 95 }], 5, 96), [{ from: 1, to: 17 }, { from: 85, to: 96 }]);
    assert.ok(touches([{ from: 10, to: 12 }], 12, 20));
    assert.ok(!touches([{ from: 10, to: 12 }], 13, 20));
  });
});

describe('git diff hunks', () => {
  it('reads the new lines of each hunk; a pure deletion adds none', () => {
    const section = ['a/x.ts b/x.ts', 'index 1..2 100644', '--- a/x.ts', '+++ b/x.ts', '@@ -3 +3 @@', '-a', '+b', '@@ -10,0 +11,4 @@ function f() {', '+1', '+2', '+3', '+4', '@@ -20,2 +24,0 @@', '-x', '-y'].join('\n');
    assert.deepEqual(hunksOf(section), [{ from: 3, to: 3 }, { from: 11, to: 14 }]);
  });
});

describe('merging findings of overlapping pieces', () => {
  const f = (startLine: number, category: ReviewFinding['category'], severity: ReviewFinding['severity'], message: string, suggestion?: string): ReviewFinding => ({
    startLine,
    endLine: startLine,
    category,
    severity,
    message,
    ...(suggestion === undefined ? {} : { suggestion }),
  });

  it('keeps one finding per lines and category, the fullest, in line order', () => {
    const merged = mergeFindings([f(40, 'security', 'warning', 'eval is risky'), f(12, 'style', 'hint', 'name'), f(40, 'security', 'error', 'eval runs any string', 'JSON.parse(x)'), f(40, 'performance', 'info', 'slow')]);
    assert.deepEqual(
      merged.map((m) => [m.startLine, m.category, m.severity]),
      [
        [12, 'style', 'hint'],
        [40, 'performance', 'info'],
        [40, 'security', 'error'],
      ],
    );
    assert.equal(merged[2]?.suggestion, 'JSON.parse(x)');
  });
});
