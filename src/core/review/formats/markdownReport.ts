/**
 * The review as a GitHub pull-request comment: a summary table, then each finding under its
 * file with a ```suggestion block when the model proposed a replacement.
 */
import { REVIEW_SEVERITIES, type ReviewSeverity } from '../../tasks/review';
import type { BatchReviewReport } from '../batchReview';
import { countsText, fence, plural, severityCounts, spendText } from './summary';

const ICONS: Record<ReviewSeverity, string> = { error: '🔴', warning: '🟠', info: '🔵', hint: '⚪' };

export function markdownReport(report: BatchReviewReport): string {
  const counts = severityCounts(report);
  const out = ['## Aurelis review', ''];
  out.push(`Reviewed ${plural(report.files.length, 'file')}: ${countsText(report)}.`, '');
  out.push('| Severity | Findings |', '|---|---:|');
  for (const s of REVIEW_SEVERITIES) out.push(`| ${ICONS[s]} ${s} | ${counts[s]} |`);
  out.push('');
  for (const file of report.files) {
    if (file.findings.length === 0 && file.errors.length === 0) continue;
    out.push(`### \`${file.path}\``, '');
    for (const f of file.findings) {
      const where = f.startLine === f.endLine ? `Line ${f.startLine}` : `Lines ${f.startLine}–${f.endLine}`;
      out.push(`**${ICONS[f.severity]} ${where} · ${f.severity} · ${f.category}** — ${escapeInline(f.message)}`, '');
      if (f.suggestion !== undefined) out.push(fence(f.suggestion, 'suggestion'), '');
    }
    for (const e of file.errors) out.push(`> ⚠️ Not reviewed (${e.kind}): ${escapeInline(e.message)}`, '');
  }
  out.push('---', '', `<sub>${spendText(report)}</sub>`, '');
  return out.join('\n');
}

/** Model text cannot open HTML or break the table around it. */
function escapeInline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
