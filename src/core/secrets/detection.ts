/**
 * What every detector is made of: passes, each a pattern and the text its matches always
 * contain (its trigger), and what each pass returns, a kind and the exact span of the secret.
 */
import type { SecretKind } from './secretKinds';

export interface Candidate {
  kind: SecretKind;
  /** Offset of the first character of the secret. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

/**
 * One regex pass of a detector. The scanner looks for every pass's trigger in one combined
 * regex and runs only the passes whose trigger it found: a text without the trigger cannot
 * hold a match of the pattern.
 */
export interface Pass {
  /**
   * Matches text that every match of `pattern` contains (usually the literal the pattern
   * opens with). Flags: none, or `m`; the scanner searches all triggers as one multiline regex.
   */
  readonly trigger: RegExp;
  /** The pattern the pass walks the text with; a match is a candidate once the pass accepts it. */
  readonly pattern: RegExp;
  /** Adds what the pass finds in the text to `out`. */
  readonly find: (text: string, out: Candidate[]) => void;
}

/** Runs every pass over the text, none skipped. */
export function runPasses(passes: readonly Pass[], text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const pass of passes) pass.find(text, out);
  return out;
}

/**
 * A trigger source matching the words in any letter case, as the `i` flag would (without the
 * `u` flag, `i` only pairs ASCII letters with each other, exactly as `[pP]` does).
 */
export function anyCase(...words: string[]): string {
  return words
    .map((w) => [...w].map((ch) => (/[A-Za-z]/.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join(''))
    .join('|');
}

/** Runs a global regex and adds each match's group (0 = the whole match) to `out` as a candidate. */
export function findMatches(text: string, pattern: RegExp, kind: SecretKind, out: Candidate[], accept: (m: RegExpExecArray) => boolean = () => true, group = 0): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (!accept(m)) continue;
    // Group spans need the regex's `d` flag; the whole match never does.
    const span: readonly [number, number] | undefined = group === 0 ? [m.index, m.index + m[0].length] : m.indices?.[group];
    if (span) out.push({ kind, start: span[0], end: span[1] });
  }
}
