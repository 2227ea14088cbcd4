/**
 * SecretScanner: finds credentials in text before it leaves the machine, and redacts them.
 * Pure: no I/O, no clock. The detectors live next to this file, one per family:
 * formatDetectors (prefixed tokens, PEM blocks, JWTs), connectionStrings, assignments (values
 * recognised by their name). Each detector is a few regex passes, and each pass names the text
 * all its matches contain (its trigger); the scanner looks for every trigger in one search and
 * runs only the passes whose trigger is in the text, so an ordinary prompt costs one search.
 * A finding never carries the secret itself — only where it is and a masked preview — so
 * findings can be logged, audited and shown safely.
 */
import { assignmentPasses } from './assignments';
import { connectionStringPasses } from './connectionStrings';
import type { Candidate, Pass } from './detection';
import {
  aiProviderKeyPasses,
  awsAccessKeyIdPasses,
  githubTokenPasses,
  googleApiKeyPasses,
  jsonWebTokenPasses,
  privateKeyPasses,
  slackSecretPasses,
  stripeKeyPasses,
} from './formatDetectors';
import { SECRET_KINDS, type SecretKind } from './secretKinds';
import { TriggerSearch } from './triggers';
import { TextMemo } from '../textMemo';

export interface SecretFinding {
  kind: SecretKind;
  /** 1-based line of the first character. */
  line: number;
  /** 1-based column (UTF-16 code units) of the first character. */
  column: number;
  /** Offset of the first character in the scanned text. */
  offset: number;
  length: number;
  /** At most four characters and never more than a quarter of the secret, then `…`. */
  preview: string;
}

/** Every detector's passes (exported for the tests that hold the skipping of passes to running them all). */
export const SECRET_PASSES: readonly Pass[] = [
  ...privateKeyPasses,
  ...githubTokenPasses,
  ...awsAccessKeyIdPasses,
  ...jsonWebTokenPasses,
  ...slackSecretPasses,
  ...stripeKeyPasses,
  ...googleApiKeyPasses,
  ...aiProviderKeyPasses,
  ...connectionStringPasses,
  ...assignmentPasses,
];

/** All the passes' triggers, looked for in one search: an ordinary prompt holds none, and then no pass runs. */
const triggers = new TriggerSearch(SECRET_PASSES.map((p) => p.trigger));

/** Earlier in SECRET_KINDS is more specific: a `ghp_` token assigned to `token` is a GitHub token. */
const PRIORITY = new Map<SecretKind, number>(SECRET_KINDS.map((k, i) => [k, i]));

/**
 * Texts scanned clean, remembered: the same system prompt and instructions start request after
 * request, and the audit log scans the same model names and settings on every line. Only texts
 * with no secret are kept (no secret stays in memory for this), up to a few pages each.
 */
const scannedClean = new TextMemo<true>(512);

export class SecretScanner {
  /** Every secret in the text, in order, without overlaps. */
  scan(text: string): SecretFinding[] {
    if (text.length === 0 || scannedClean.get(text)) return [];
    const candidates = candidatesIn(text);
    if (candidates.length === 0) {
      scannedClean.remember(text, true);
      return [];
    }
    const lines = lineStarts(text);
    return resolveOverlaps(candidates).map((c) => toFinding(text, lines, c));
  }

  /** The text with every secret scanned in it replaced by `[REDACTED:<kind>]`. */
  redactText(text: string): string {
    return redact(text, this.scan(text));
  }
}

/**
 * What the passes find in the text, in pass order. A pass whose trigger the text lacks is
 * skipped: it could find nothing there.
 */
export function candidatesIn(text: string): Candidate[] {
  const out: Candidate[] = [];
  const present = triggers.presentIn(text);
  if (present === 0) return out;
  SECRET_PASSES.forEach((pass, i) => {
    if ((present & (1 << i)) !== 0) pass.find(text, out);
  });
  return out;
}

/**
 * Replaces each finding's exact span with `[REDACTED:<kind>]` (a private key's whole block).
 * The findings must come from scanning this same text.
 */
export function redact(text: string, findings: readonly SecretFinding[]): string {
  const ordered = [...findings].sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const f of ordered) {
    if (f.offset < at) continue;
    out += text.slice(at, f.offset) + redactionMark(f.kind);
    at = f.offset + f.length;
  }
  return out + text.slice(at);
}

export function redactionMark(kind: SecretKind): string {
  return `[REDACTED:${kind}]`;
}

/** Shows just enough to recognise a secret, never enough to use it. */
export function maskPreview(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…`;
}

function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) => (PRIORITY.get(a.kind) ?? 0) - (PRIORITY.get(b.kind) ?? 0) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    if (c.end <= c.start) continue;
    if (kept.some((k) => c.start < k.end && k.start < c.end)) continue;
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function toFinding(text: string, lines: readonly number[], c: Candidate): SecretFinding {
  // The last line start at or before the secret (binary search).
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] ?? 0) <= c.start) lo = mid;
    else hi = mid - 1;
  }
  return {
    kind: c.kind,
    line: lo + 1,
    column: c.start - (lines[lo] ?? 0) + 1,
    offset: c.start,
    length: c.end - c.start,
    preview: maskPreview(text.slice(c.start, c.end)),
  };
}
