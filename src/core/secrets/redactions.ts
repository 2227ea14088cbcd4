/**
 * What redaction replaced, so it can be put back into what comes back. A secret sent as
 * `[REDACTED:github_token]` that the model writes into an edit must return to the file as the
 * user's value, or accepting the edit would destroy it. Distinct values of one kind get distinct
 * placeholders (`[REDACTED:password]`, `[REDACTED:password#2]`) so each goes back where it belongs.
 * Kept in memory for one request only; it never serialises its values (toJSON, inspection).
 */
import type { SentRedactions } from '../types';
import type { SecretFinding } from './secretScanner';

const PLACEHOLDER = /\[REDACTED:([a-z0-9_]+)(?:#(\d+))?\]/g;

export class Redactions implements SentRedactions {
  readonly #values = new Map<string, string>();
  readonly #byValue = new Map<string, string>();

  /** The placeholder for `value` (the same one each time the same value is redacted). */
  placeholderFor(kind: string, value: string): string {
    const known = this.#byValue.get(value);
    if (known) return known;
    let n = 1;
    let mark = `[REDACTED:${kind}]`;
    while (this.#values.has(mark)) mark = `[REDACTED:${kind}#${++n}]`;
    this.#values.set(mark, value);
    this.#byValue.set(value, mark);
    return mark;
  }

  get size(): number {
    return this.#values.size;
  }

  /**
   * Puts the original values back. `unknown` lists placeholders in the text that this request did
   * not send (the model made them up): they cannot be restored.
   */
  restore(text: string): { text: string; unknown: string[] } {
    const unknown: string[] = [];
    const restored = text.replace(PLACEHOLDER, (mark) => {
      const value = this.#values.get(mark);
      if (value === undefined) unknown.push(mark);
      return value ?? mark;
    });
    return { text: restored, unknown };
  }

  toJSON(): string {
    return `[${this.size} redacted value(s)]`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toJSON();
  }
}

/** Placeholders of the `[REDACTED:kind]` form in a text. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[0]);
}

/** Replaces each finding with its placeholder, recording the value in `redactions`. */
export function redactInto(text: string, findings: readonly SecretFinding[], redactions: Redactions): string {
  const ordered = [...findings].sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const f of ordered) {
    if (f.offset < at) continue;
    out += text.slice(at, f.offset) + redactions.placeholderFor(f.kind, text.slice(f.offset, f.offset + f.length));
    at = f.offset + f.length;
  }
  return out + text.slice(at);
}
