import assert from 'node:assert/strict';
import { extractCode, fitReplacement, indentForInsertion } from '../../../src/core/tasks/codeOutput';
import { AurelisError } from '../../../src/core/errors';

describe('code from model answers', () => {
  it('takes plain code as it is, without surrounding blank lines', () => {
    assert.equal(extractCode('\n\n  return a + b;\n\n'), '  return a + b;');
  });

  it('takes the longest fenced block when the model added prose', () => {
    const answer = 'Here you go:\n```ts\nconst x = 1;\nconst y = 2;\n```\nAnd usage:\n```\nx\n```\n';
    assert.equal(extractCode(answer), 'const x = 1;\nconst y = 2;');
  });

  it('keeps a fence inside a longer fence', () => {
    const answer = '````md\nText\n```js\nx()\n```\n````';
    assert.equal(extractCode(answer), 'Text\n```js\nx()\n```');
  });

  it('refuses an empty answer with an actionable error', () => {
    assert.throws(() => extractCode('```\n```'), (e: unknown) => e instanceof AurelisError && e.kind === 'invalid_response');
  });

  it('fits the trailing newline and line endings of the replaced text', () => {
    assert.equal(fitReplacement('a\r\nb\r\n', 'x\ny'), 'x\r\ny\r\n');
    assert.equal(fitReplacement('a\nb', 'x\ny\n\n'), 'x\ny');
  });

  it('indents continuation lines for an insertion inside a block', () => {
    assert.equal(indentForInsertion('    if (a) {\n      b();\n    }', '  '), 'if (a) {\n    b();\n  }');
    assert.equal(indentForInsertion('x\n\ny', '\t'), 'x\n\n\ty');
  });
});
