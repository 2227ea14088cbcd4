/**
 * Findings of overlapping pieces of one file, merged: the same problem seen in two pieces (the
 * same lines and category) is reported once, the fuller account kept.
 */
import type { ReviewFinding } from '../tasks/review';

export function mergeFindings(findings: readonly ReviewFinding[]): ReviewFinding[] {
  const kept = new Map<string, ReviewFinding>();
  for (const f of findings) {
    const key = `${f.startLine}:${f.endLine}:${f.category}`;
    const seen = kept.get(key);
    if (!seen || rank(f) > rank(seen)) kept.set(key, f);
  }
  return [...kept.values()].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine || a.category.localeCompare(b.category));
}

const SEVERITY_RANK = { error: 3, warning: 2, info: 1, hint: 0 } as const;

/** Higher severity first, then a suggestion, then the longer message. */
function rank(f: ReviewFinding): number {
  return SEVERITY_RANK[f.severity] * 1e6 + (f.suggestion === undefined ? 0 : 1e5) + Math.min(f.message.length, 99_999);
}
