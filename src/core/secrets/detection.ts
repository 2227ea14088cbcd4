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

/**
 * A trigger source matching the words in any letter case, as the `i` flag would (without the
 * `u` flag, `i` only pairs ASCII letters with each other, exactly as `[pP]` does).
 */
export function anyCase(...words: string[]): string {
  return words
    .map((w) => [...w].map((ch) => (/[A-Za-z]/.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join(''))
    .join('|');
}

/** A pass whose candidates are the pattern's accepted matches, whole (most format detectors' passes). */
export function matchPass(trigger: RegExp, pattern: RegExp, kind: SecretKind, accept: (m: RegExpExecArray) => boolean = () => true): Pass {
  return { trigger, pattern, find: (text, out) => addMatches(text, pattern, kind, out, accept) };
}

/** Runs a global regex and adds each accepted match to `out` as a candidate. */
function addMatches(text: string, pattern: RegExp, kind: SecretKind, out: Candidate[], accept: (m: RegExpExecArray) => boolean): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (accept(m)) out.push({ kind, start: m.index, end: m.index + m[0].length });
  }
}
