/**
 * Secret findings in words, for messages and the "ask" modal: kinds and places, never secrets.
 * Its own module so the editor can word a question without loading the scanner.
 */
import type { FindingLocation } from '../audit/auditEvents';
import { secretKindLabel } from './secretKinds';

/** "a GitHub token (src/config.ts:12) and 2 passwords (line 4 of the prompt, .env:3)". */
export function describeFindings(findings: readonly FindingLocation[]): string {
  const byKind = new Map<string, string[]>();
  for (const f of findings) {
    const where = f.file !== undefined && f.fileLine !== undefined ? `${f.file}:${f.fileLine}` : `line ${f.line} of the ${f.part === 'prompt' ? 'prompt' : f.part}`;
    byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), where]);
  }
  const phrases = [...byKind].map(([kind, places]) => {
    const label = secretKindLabel(kind as FindingLocation['kind']);
    const shown = places.slice(0, 3).join(', ') + (places.length > 3 ? `, +${places.length - 3} more` : '');
    return `${places.length === 1 ? `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}` : `${places.length} × ${label}`} (${shown})`;
  });
  return phrases.length <= 1 ? (phrases[0] ?? 'a secret') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}
