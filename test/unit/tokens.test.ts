import assert from 'node:assert/strict';
import { countMessageTokens, countTokens, fitsWithin } from '../../src/core/tokens';

describe('tokens', () => {
  it('counts with the o200k vocabulary', () => {
    assert.equal(countTokens('hello world'), 2);
    assert.equal(countTokens(''), 0);
  });

  it('adds per-message overhead for chat messages', () => {
    const text = 'Explain this function.';
    const n = countMessageTokens([{ role: 'user', content: text }]);
    assert.equal(n, countTokens(text) + 3 + 3 + 1);
  });

  it('answers fitsWithin on both sides of the limit', () => {
    const text = 'word '.repeat(100);
    const n = countTokens(text);
    assert.equal(fitsWithin(text, n), true);
    assert.equal(fitsWithin(text, n - 1), false);
  });
});
