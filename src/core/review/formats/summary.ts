/**
 * What every report format says about a whole review: counts per severity, the `--fail-on`
 * threshold, and the spend line.
 */
import { formatCount, formatTokens, formatUsd } from '../../../shared/format';
import { REVIEW_SEVERITIES, type ReviewSeverity } from '../../tasks/review';
import type { BatchReviewReport } from '../batchReview';

export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const RANK: Record<ReviewSeverity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** Whether a finding of this severity is at or above the threshold. */
export function reaches(severity: ReviewSeverity, failOn: FailOn): boolean {
  return failOn !== 'never' && RANK[severity] >= RANK[failOn];
}

export function severityCounts(report: BatchReviewReport): Record<ReviewSeverity, number> {
  const counts = Object.fromEntries(REVIEW_SEVERITIES.map((s) => [s, 0])) as Record<ReviewSeverity, number>;
  for (const file of report.files) for (const f of file.findings) counts[f.severity]++;
  return counts;
}

/** "1 error, 2 warnings" — severities with findings only; "no findings" when there are none. */
export function countsText(report: BatchReviewReport): string {
  const counts = severityCounts(report);
  const parts = REVIEW_SEVERITIES.filter((s) => counts[s] > 0).map((s) => plural(counts[s], s, s === 'info' ? 'info' : `${s}s`));
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

/** "$1,234.50", "$0.0012"; "price unknown" never as $0. */
export function usd(cost: number | null): string {
  return cost === null ? 'price unknown' : formatUsd(cost);
}

/** "12 requests (3 from the cache), 4,321 tokens, $0.0123 (gpt-4o)". */
export function spendText(report: BatchReviewReport): string {
  const cached = report.cachedRequests > 0 ? ` (${report.cachedRequests} from the cache)` : '';
  const models = report.models.length > 0 ? ` (${report.models.join(', ')})` : '';
  return `${plural(report.requests, 'request')}${cached}, ${formatTokens(report.promptTokens + report.completionTokens)}, ${usd(report.costUsd)}${models}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A Markdown fence longer than any backtick run inside the text. */
export function fence(text: string, info: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${text}\n${f}`;
}
