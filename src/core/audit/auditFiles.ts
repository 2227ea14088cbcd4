/**
 * Audit file names: one series per UTC day, `audit-2025-03-14.jsonl`, then `.1`, `.2`, … when a
 * file reaches `aurelis.audit.maxFileMB`. A file's day is the day it was written, so retention
 * can delete a file exactly when everything in it is older than the retention period, and the
 * names sort in the order the lines were written.
 */

const FILE_PATTERN = /^audit-(\d{4})-(\d{2})-(\d{2})(?:\.(\d+))?\.jsonl$/;
export const DAY_MS = 86_400_000;

export interface AuditFileId {
  /** UTC midnight of the file's day, epoch ms. */
  day: number;
  index: number;
}

export function utcDay(ts: number): number {
  return Math.floor(ts / DAY_MS) * DAY_MS;
}

export function auditFileName(id: AuditFileId): string {
  const date = new Date(id.day).toISOString().slice(0, 10);
  return id.index === 0 ? `audit-${date}.jsonl` : `audit-${date}.${id.index}.jsonl`;
}

export function parseAuditFileName(name: string): AuditFileId | undefined {
  const m = FILE_PATTERN.exec(name);
  if (!m) return undefined;
  return { day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])), index: Number(m[4] ?? 0) };
}

/** Oldest first: by day, then by rotation index. */
export function compareAuditFiles(a: AuditFileId, b: AuditFileId): number {
  return a.day - b.day || a.index - b.index;
}
