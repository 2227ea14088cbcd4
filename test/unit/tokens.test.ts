import assert from 'node:assert/strict';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countMessageTokens, countTokens, fitsWithin, tokenUpperBound } from '../../src/core/tokens';

describe('tokens', () => {
  it('counts with the o200k vocabulary', () => {
    // o200k has whole words for many scripts that cl100k splits into pieces, so text like this
    // tells the two apart (plain English, e.g. "hello world", counts the same in both).
    const text = 'नमस्ते दुनिया';
    assert.equal(countTokens(text), countO200k(text));
    assert.notEqual(countTokens(text), countCl100k(text));
    assert.equal(countTokens(text), 5);
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

  it('bounds the count by the text\'s UTF-8 bytes, in every script', () => {
    for (const text of ['hello world', 'नमस्ते दुनिया', '🦊🦊🦊 emoji', '   \n\n\t', 'const x = 1;\n'.repeat(50), 'a'.repeat(5000)]) {
      assert.ok(countTokens(text) <= tokenUpperBound(text), JSON.stringify(text.slice(0, 20)));
    }
    assert.equal(tokenUpperBound('é'), 2);
  });

  it('answers fitsWithin without counting when the bytes already fit, and counts when they do not', () => {
    const text = 'word '.repeat(100);
    assert.equal(fitsWithin(text, tokenUpperBound(text)), true);
    // Over the byte bound but within the real count: only the tokenizer can say yes.
    assert.equal(fitsWithin(text, countTokens(text) + 1), true);
  });
});
