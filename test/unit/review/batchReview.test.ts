import assert from 'node:assert/strict';
import { AurelisError } from '../../../src/core/errors';
import { reviewFiles, type BatchRunner } from '../../../src/core/review/batchReview';
import type { TaskRequest, TaskResult } from '../../../src/core/types';

/** Answers each review request like a model (an error on every numbered line with eval), or fails it. */
function runner(fail?: (prompt: string) => AurelisError | undefined): BatchRunner & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    async runBatch(requests: TaskRequest[], _options, onSettled) {
      const outcomes = requests.map((r, i) => {
        const prompt = r.prompt ?? '';
        prompts.push(prompt);
        const failure = fail?.(prompt);
        const findings = [...prompt.matchAll(/^\s*(\d+)\| (.*)$/gm)]
          .filter((m) => (m[2] ?? '').includes('eval('))
          .map((m) => ({ severity: 'error', category: 'security', startLine: Number(m[1]), endLine: Number(m[1]), message: 'eval', suggestion: null }));
        const result: TaskResult = { requestId: String(i), content: JSON.stringify({ findings }), model: 'm', provider: 'openai', usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0, estimated: false }, latencyMs: 1, finishReason: 'stop', fallbackDepth: 0, cached: false, costUsd: 0.001 };
        const outcome = failure ?? result;
        onSettled?.(i, outcome);
        return outcome;
      });
      return outcomes;
    },
  };
}

describe('batch review', () => {
  it('reports each file once as its last piece answers, with totals', async () => {
    const seen: string[] = [];
    const r = runner();
    const report = await reviewFiles(r, [
      { path: 'a.js', text: 'x\neval(y)\n' },
      { path: 'empty.js', text: '\n' },
      { path: 'b.js', text: 'z\n' },
    ], { onFile: (f, p) => seen.push(`${f.path}:${p.filesDone}/${p.files}`) });
    assert.deepEqual(seen.sort(), ['a.js:2/3', 'b.js:3/3', 'empty.js:1/3']);
    assert.deepEqual(report.files.map((f) => [f.path, f.findings.map((x) => x.startLine), f.pieces]), [['a.js', [2], 1], ['empty.js', [], 0], ['b.js', [], 1]]);
    assert.equal(report.requests, 2);
    assert.equal(report.costUsd, 0.002);
  });

  it('reports only findings on changed lines, from pieces around the changes', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => (i === 9 || i === 59 ? `eval(${i + 1})` : `line ${i + 1}`));
    const r = runner();
    const report = await reviewFiles(r, [{ path: 'c.js', text: lines.join('\n'), changed: [{ from: 58, to: 61 }] }], { contextLines: 3 });
    assert.deepEqual(report.files[0]?.findings.map((f) => f.startLine), [60]);
    assert.equal(r.prompts.length, 1);
    assert.match(r.prompts[0] ?? '', /lines 55–64\)/);
  });

  it('a piece the secret scan blocks becomes a security error on the secret’s line; other failures are the file’s errors', async () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}123456`;
    const r = runner((prompt) => (prompt.includes('ghp_') ? new AurelisError('secret_blocked', 'blocked') : prompt.includes('down') ? new AurelisError('unavailable', 'down') : undefined));
    const report = await reviewFiles(r, [
      { path: 's.js', text: `one\ntwo\nconst t = "${token}";\n` },
      { path: 'd.js', text: 'down\n' },
    ]);
    assert.deepEqual(report.files[0]?.findings.map((f) => [f.startLine, f.severity, f.category]), [[3, 'error', 'security']]);
    assert.ok(!JSON.stringify(report).includes(token));
    assert.deepEqual(report.files[1]?.errors.map((e) => e.kind), ['unavailable']);
  });

  it('cuts pieces to the model’s input limit', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `const v${i} = "text to give this line some tokens ${i}";`);
    const r = runner();
    await reviewFiles(r, [{ path: 'big.js', text: lines.join('\n') }], { inputLimit: 1500 });
    assert.ok(r.prompts.length > 3, `${r.prompts.length} pieces`);
  });
});
