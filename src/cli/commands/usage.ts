/**
 * `aurelis usage [--period …] [--format …]`: what the usage ledger says — the same ledger the
 * editor writes and the same exports its analytics panel saves (src/core/reports/usageExports.ts).
 */
import { buildHtmlReport } from '../../shared/analytics-view/htmlReport';
import type { AnalyticsFilter, AnalyticsPeriod } from '../../shared/analyticsReport';
import { formatCount } from '../../shared/format';
import { collect } from '../../core/reports/usageAnalytics';
import { addLocalDays } from '../../core/reports/periods';
import { plural, usd } from '../../core/review/formats/summary';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import type { Session } from '../session';
import { emit } from '../terminal';

export const USAGE_FORMATS = ['text', 'json', 'csv', 'html', 'prometheus'] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

/** `today`, `week` (the last 7 days), `month` (this month) or `YYYY-MM-DD..YYYY-MM-DD` (both days included). */
export function parsePeriod(text: string): AnalyticsPeriod {
  switch (text) {
    case 'today':
      return { kind: 'today' };
    case 'week':
      return { kind: 'last7Days' };
    case 'month':
      return { kind: 'thisMonth' };
  }
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  const from = m ? localDay(m[1] as string) : undefined;
  const last = m ? localDay(m[2] as string) : undefined;
  if (from === undefined || last === undefined) throw new CliError(`--period "${text}": use today, week, month, or <from>..<to> as dates, e.g. 2026-11-01..2026-11-30.`);
  if (last < from) throw new CliError(`--period "${text}": the range ends before it starts.`);
  return { kind: 'custom', from, to: addLocalDays(last, 1) };
}

function localDay(text: string): number | undefined {
  const [y, mo, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(y, mo - 1, d);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date.getTime() : undefined;
}

export async function usage(session: Session, options: { period?: string; format?: UsageFormat; output?: string }): Promise<ExitCode> {
  const filter: AnalyticsFilter = { period: parsePeriod(options.period ?? 'month') };
  const analytics = session.core.analytics;
  const format = options.format ?? 'text';
  let text: string;
  if (format === 'html') text = buildHtmlReport(await analytics.report(filter));
  else if (format === 'text') {
    const report = await analytics.report(filter);
    const t = report.totals;
    const lines = [
      `Requests: ${formatCount(t.requests)} (${t.cacheHits} from the cache, ${t.errors} failed)`,
      `Tokens:   ${formatCount(t.totalTokens)} (${formatCount(t.promptTokens)} in, ${formatCount(t.completionTokens)} out)`,
      `Cost:     ${usd(t.costUsd)}${t.unpricedRequests > 0 ? ` (+${t.unpricedRequests} requests with an unknown price)` : ''}`,
    ];
    for (const m of report.byModel) lines.push(`  ${m.model} (${m.provider}): ${plural(m.totals.requests, 'request')}, ${plural(m.totals.totalTokens, 'token')}, ${usd(m.totals.costUsd)}`);
    text = `${lines.join('\n')}\n`;
  } else text = await collect(analytics.export(format, filter));
  await emit(text, options.output);
  return EXIT.ok;
}
