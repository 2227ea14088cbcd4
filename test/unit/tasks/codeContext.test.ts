import assert from 'node:assert/strict';
import { assertSendable, looksBinary, utf8Bytes } from '../../../src/core/tasks/codeContext';
import { AurelisError } from '../../../src/core/errors';

describe('code context checks', () => {
  it('counts UTF-8 bytes like Buffer.byteLength', () => {
    for (const s of ['abc', 'é', '€uro', '😀 ok', '']) assert.equal(utf8Bytes(s), Buffer.byteLength(s, 'utf8'));
  });

  it('recognises binary content', () => {
    assert.equal(looksBinary('PK\u0003\u0004\u0000\u0000data'), true);
    assert.equal(looksBinary('\uFFFD\uFFFD\uFFFDabc'), true);
    assert.equal(looksBinary('const s = "naïve café";\n'), false);
  });

  it('refuses text over the limit and names the limit and the setting', () => {
    const big = 'x'.repeat(3 * 1024 + 1);
    assert.throws(
      () => assertSendable(big, 'src/big.ts', 3),
      (e: unknown) => e instanceof AurelisError && e.kind === 'too_large' && /4 KB, over the 3 KB limit/.test(e.message) && /aurelis\.security\.maxFileKB/.test(e.message),
    );
    assert.doesNotThrow(() => assertSendable('x'.repeat(3 * 1024), 'src/ok.ts', 3));
  });

  it('refuses binary content with a message saying why', () => {
    assert.throws(() => assertSendable('\u0000\u0001', 'logo.png', 256), (e: unknown) => e instanceof AurelisError && /binary/.test(e.message));
  });
});
