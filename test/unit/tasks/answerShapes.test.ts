/**
 * The answer-shape corpus (test/fixtures/answers): every shape a real model produces yields the
 * right findings or edit, or an honest error — never a wrong edit, a moved finding, or "no
 * problems found" for an answer that had findings.
 */
import assert from 'node:assert/strict';
import { EDIT_SHAPES } from '../../fixtures/answers/editShapes';
import { editOutcome, reviewOutcome } from '../../fixtures/answers/outcomes';
import { REVIEW_SHAPES } from '../../fixtures/answers/reviewShapes';

describe('answer shapes real models produce', () => {
  it('the corpus has at least 40 shapes, each named after a model behaviour', () => {
    const all = [...REVIEW_SHAPES, ...EDIT_SHAPES];
    assert.ok(all.length >= 40, `only ${all.length} shapes`);
    assert.equal(new Set(all.map((s) => s.name)).size, all.length, 'shape names are unique');
    for (const s of all) assert.ok(s.imitates.length > 10, `${s.name} does not say what it imitates`);
  });

  describe('review answers', () => {
    for (const shape of REVIEW_SHAPES) {
      it(`${shape.name} — ${shape.imitates}`, () => {
        const outcome = reviewOutcome(shape);
        const expect = shape.expect;
        if ('error' in expect) {
          assert.equal(outcome.ok, false, 'an answer that cannot be used must be an error');
          assert.equal(!outcome.ok && outcome.error, expect.error, !outcome.ok ? outcome.message : '');
          return;
        }
        assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
        const r = outcome.value;
        assert.deepEqual(
          r.findings.map((f) => ({ startLine: f.startLine, endLine: f.endLine, quickFix: f.quickFix })),
          expect.findings.map((f) => ({ startLine: f.startLine, endLine: f.endLine ?? f.startLine, quickFix: f.quickFix })),
        );
        assert.equal(r.unplaced.length, expect.unplaced ?? 0, 'findings that could not be placed');
        assert.equal(r.skipped, expect.skipped ?? 0, 'entries skipped');
        assert.equal(r.cutOff, expect.cutOff ?? false, 'cut off');
        for (const f of r.findings) if (f.quickFix) assert.ok(f.suggestion !== undefined && f.anchor !== '', 'a quick fix has its suggestion and the text it replaces');
      });
    }
  });

  describe('edit answers', () => {
    for (const shape of EDIT_SHAPES) {
      it(`${shape.name} — ${shape.imitates}`, () => {
        const outcome = editOutcome(shape);
        const expect = shape.expect;
        if ('error' in expect) {
          assert.equal(outcome.ok, false, `a wrong edit was proposed: ${outcome.ok ? outcome.value : ''}`);
          assert.equal(!outcome.ok && outcome.error, expect.error, !outcome.ok ? outcome.message : '');
          if (expect.mentions && !outcome.ok) assert.match(outcome.message, expect.mentions);
          return;
        }
        assert.ok(outcome.ok, !outcome.ok ? outcome.message : '');
        assert.equal(outcome.value, expect.text);
      });
    }
  });
});
