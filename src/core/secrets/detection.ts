/** What every detector returns: a kind and the exact span of the secret in the scanned text. */
import type { SecretKind } from './secretKinds';

export interface Candidate {
  kind: SecretKind;
  /** Offset of the first character of the secret. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

export type Detector = (text: string) => Candidate[];

/** Runs a global regex and turns each match's group (0 = the whole match) into a candidate. */
export function findMatches(text: string, pattern: RegExp, kind: SecretKind, accept: (m: RegExpExecArray) => boolean = () => true, group = 0): Candidate[] {
  const out: Candidate[] = [];
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
  return out;
}
