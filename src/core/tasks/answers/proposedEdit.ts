/**
 * From an edit answer to the exact text a diff proposes: the code read from the answer (or the
 * search/replace blocks applied to the original), redaction placeholders put back to the user's
 * values, and the text fitted to what it replaces. Anything that cannot be done honestly throws.
 */
import { AurelisError } from '../../errors';
import { placeholdersIn } from '../../secrets/redactions';
import type { SentRedactions } from '../../types';
import { fitReplacement, indentForInsertion } from '../codeOutput';
import type { ModelAnswer } from './cutOff';
import { readEdit } from './editAnswer';
import { dropEchoedContext, type CursorSurroundings } from './insertion';
import { applySearchReplace } from './searchReplace';
import { mergeTests, type MergedTests } from './testFileMerge';

/** The new text for `original` (a selection, a function, a file). */
export function replacementFor(answer: ModelAnswer, original: string, language: string, redactions?: SentRedactions): string {
  const reading = readEdit(answer, { language, original, kind: 'rewrite' });
  if (reading.kind === 'searchReplace') {
    const blocks = reading.blocks.map((b) => ({ search: restoreSecrets(b.search, original, redactions), replace: restoreSecrets(b.replace, original, redactions) }));
    return applySearchReplace(original, blocks);
  }
  return fitReplacement(original, restoreSecrets(reading.code, original, redactions));
}

/** New code for the cursor: echoed surroundings dropped, continuation lines indented like the cursor's line. */
export function insertionFor(answer: ModelAnswer, language: string, around: CursorSurroundings, indent: string, redactions?: SentRedactions): string {
  const reading = readEdit(answer, { language, kind: 'new' });
  if (reading.kind !== 'code') throw searchReplaceWhereNotAsked();
  const code = dropEchoedContext(restoreSecrets(reading.code, around.before + around.after, redactions), around);
  return indentForInsertion(code, indent);
}

/** The test file to propose: new, or the existing one with the new tests added. */
export function testFileFor(answer: ModelAnswer, language: string, source: string, existing: string | undefined, redactions?: SentRedactions): MergedTests {
  const reading = readEdit(answer, { language, original: source, kind: 'new' });
  if (reading.kind !== 'code') throw searchReplaceWhereNotAsked();
  const code = restoreSecrets(reading.code, `${source}\n${existing ?? ''}`, redactions);
  return existing === undefined ? { text: `${code}\n`, how: 'rewritten' } : mergeTests(existing, code);
}

/**
 * Puts redacted values back. A placeholder this request did not send — one the model made up,
 * or a kind it renamed — cannot be restored and must not reach the file: refused.
 */
export function restoreSecrets(text: string, original: string, redactions: SentRedactions | undefined): string {
  const restored = redactions ? redactions.restore(text).text : text;
  const present = new Set(placeholdersIn(original));
  const stray = placeholdersIn(restored).filter((p) => !present.has(p));
  if (stray.length > 0) {
    throw new AurelisError(
      'invalid_response',
      `The answer holds ${stray[0]}, a placeholder for a secret that Aurelis cannot put back, so nothing was proposed (it would replace your value). Regenerate, or edit that part yourself.`,
      { nextSteps: ['retry', 'chooseModel'] },
    );
  }
  return restored;
}

function searchReplaceWhereNotAsked(): AurelisError {
  return new AurelisError('invalid_response', 'The model answered with search/replace blocks where new code was asked for; nothing was proposed. Regenerate, or choose another model (Aurelis: Models).', {
    nextSteps: ['retry', 'chooseModel'],
  });
}
