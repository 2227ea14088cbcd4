import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Redactions } from '../../../src/core/secrets/redactions';
import type { SentRedactions } from '../../../src/core/types';
import { SecretGuard } from '../../../src/core/secrets/secretGuard';
import { restoreSecrets } from '../../../src/core/tasks/answers/proposedEdit';
import { rewriteRequest } from '../../../src/core/tasks/requests';
import { settingsFrom } from '../orchestrator/harness';

const TOKEN_A = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';
const TOKEN_B = 'ghp_Zq3x9TtLmN0pQr7sUv2wXy5zAb8cDe1fGh4J';

describe('redaction undone in what comes back', () => {
  it('the guard hands over which placeholder stands for which value; two tokens get two placeholders', async () => {
    const code = [`const main = "${TOKEN_A}";`, `const backup = "${TOKEN_B}";`, `const again = "${TOKEN_A}";`].join('\n');
    const guard = new SecretGuard({ settings: () => settingsFrom({ security: { secretScan: 'redact' } }) });
    let heard: SentRedactions | undefined;
    const sent = await guard.inspect(rewriteRequest('document', { language: 'typescript', path: 'a.ts', code, firstLine: 1, scope: 'selection', diagnostics: [] }), {
      requestId: 'r',
      target: { provider: 'openai', model: 'gpt-4o' },
      onRedactions: (r) => (heard = r),
    });
    assert.ok(heard);
    assert.match(sent.prompt ?? '', /const main = "\[REDACTED:github_token\]";\nconst backup = "\[REDACTED:github_token#2\]";\nconst again = "\[REDACTED:github_token\]";/);
    const answer = '/** Keys. */\nconst main = "[REDACTED:github_token]";\nconst backup = "[REDACTED:github_token#2]";\nconst again = "[REDACTED:github_token]";';
    assert.equal(restoreSecrets(answer, code, heard), `/** Keys. */\n${code}`);
  });

  it('never shows its values when logged or serialised', () => {
    const r = new Redactions();
    r.placeholderFor('github_token', TOKEN_A);
    assert.equal(JSON.stringify({ r }).includes(TOKEN_A), false);
    assert.equal(inspect(r).includes(TOKEN_A), false);
    assert.equal(`${JSON.stringify(r)}`, '"[1 redacted value(s)]"');
  });

  it('refuses a placeholder it did not send, but leaves one that was in the code all along', () => {
    const r = new Redactions();
    r.placeholderFor('password', 'hunter22');
    assert.throws(() => restoreSecrets('x = "[REDACTED:jwt]"', 'x = 1', r), /\[REDACTED:jwt\], a placeholder for a secret that Aurelis cannot put back/);
    assert.equal(restoreSecrets('// see [REDACTED:jwt]\nx = "[REDACTED:password]"', '// see [REDACTED:jwt]', r), '// see [REDACTED:jwt]\nx = "hunter22"');
    assert.throws(() => restoreSecrets('x = "[REDACTED:password]"', 'x', undefined), /cannot put back/, 'without redactions nothing can be restored');
  });
});
