import assert from 'node:assert/strict';
import { TriggerSearch } from '../../../src/core/secrets/triggers';

describe('TriggerSearch: which triggers a text holds, in one search', () => {
  it('answers as testing each trigger on its own would, on many random texts', () => {
    const triggers = [/a/, /ab/, /ba/, /abc/, /b\nb/, /^c/m, /(a)(b)c|cc/, /b$/m, /c{3,}/, /(?<!a)b/];
    const search = new TriggerSearch(triggers);
    let seed = 7;
    const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let t = 0; t < 3000; t++) {
      const text = Array.from({ length: Math.floor(next() * 12) }, () => 'abc\n'.charAt(Math.floor(next() * 4))).join('');
      const expected = triggers.reduce((bits, trigger, i) => (trigger.test(text) ? bits | (1 << i) : bits), 0);
      assert.equal(search.presentIn(text), expected, JSON.stringify(text));
    }
  });

  it('finds triggers that start at the same place, in either order, and ones inside another', () => {
    assert.equal(new TriggerSearch([/ab/, /abc/]).presentIn('xabc'), 0b11);
    assert.equal(new TriggerSearch([/abc/, /ab/]).presentIn('xabc'), 0b11);
    assert.equal(new TriggerSearch([/abcd/, /bc/]).presentIn('abcd'), 0b11);
    assert.equal(new TriggerSearch([/abcd/, /bc/]).presentIn('xyz'), 0);
  });

  it('groups inside a trigger do not make a later trigger count as found', () => {
    const search = new TriggerSearch([/(x)(y)?z/, /q/, /(r)/]);
    assert.equal(search.presentIn('xz'), 0b001);
    assert.equal(search.presentIn('q'), 0b010);
    assert.equal(search.presentIn('r xyz'), 0b101);
  });

  it('refuses triggers that cannot be combined honestly', () => {
    assert.throws(() => new TriggerSearch([/a/i]), /only the m flag/);
    assert.throws(() => new TriggerSearch([/(a)\1/]), /back-reference/);
    assert.throws(() => new TriggerSearch(Array.from({ length: 31 }, () => /a/)), /at most 30/);
  });
});
