import assert from 'node:assert/strict';
import { fitReplacement, indentForInsertion } from '../../../src/core/tasks/codeOutput';

describe('fitting code from answers into the file', () => {
  it('fits the trailing newline and line endings of the replaced text', () => {
    assert.equal(fitReplacement('a\r\nb\r\n', 'x\ny'), 'x\r\ny\r\n');
    assert.equal(fitReplacement('a\nb', 'x\ny\n\n'), 'x\ny');
  });

  it('indents continuation lines for an insertion inside a block', () => {
    assert.equal(indentForInsertion('    if (a) {\n      b();\n    }', '  '), 'if (a) {\n    b();\n  }');
    assert.equal(indentForInsertion('x\n\ny', '\t'), 'x\n\n\ty');
  });
});
