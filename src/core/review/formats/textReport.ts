/** The review for a terminal: findings grouped by file, then one summary line. */
import type { BatchReviewReport } from '../batchReview';
import { countsText, plural, spendText } from './summary';

export function textReport(report: BatchReviewReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0 && file.errors.length === 0) continue;
    out.push(file.path);
    for (const f of file.findings) {
      const where = f.startLine === f.endLine ? `${f.startLine}` : `${f.startLine}-${f.endLine}`;
      out.push(`  ${where.padEnd(9)} ${f.severity.padEnd(7)} ${f.category.padEnd(11)} ${f.message}`);
      if (f.suggestion !== undefined) out.push(...f.suggestion.split('\n').map((l) => `  ${' '.repeat(9)} | ${l}`));
    }
    for (const e of file.errors) out.push(`  not reviewed (${e.kind}): ${e.message}`);
    out.push('');
  }
  const reviewed = report.files.filter((f) => f.errors.length === 0).length;
  const failed = report.files.length - reviewed;
  const notReviewed = failed > 0 ? `; ${plural(failed, 'file')} could not be reviewed` : '';
  out.push(`Reviewed ${plural(reviewed, 'file')}: ${countsText(report)}${notReviewed}. ${spendText(report)}.`);
  return `${out.join('\n')}\n`;
}
