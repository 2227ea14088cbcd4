/**
 * The analytics panel's "HTML report" export: one self-contained HTML file (inline CSS, no
 * scripts, no external resources) with the same figures and tables as the panel, readable in any
 * browser and safe to attach to an email. Every piece of text from the ledger — model names,
 * error messages — is escaped: a model called `<script>` must print as text.
 */
import type { AnalyticsFilter, AnalyticsReport } from '../analyticsReport';
import { latencyBucketLabels } from './chartData';
import { formatCount, formatDateTime, formatUsd } from '../format';
import { PERIOD_NAMES, PROVIDER_NAMES, TASK_NAMES } from '../labels';
import {
  budgetBars,
  costPerDayTable,
  errorKindTable,
  modelPerformanceTable,
  promptTable,
  providerTable,
  recentFailuresTable,
  summaryCards,
  taskTable,
  type Table,
} from './summary';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `Last 7 days (2025-03-04 00:00 – 2025-03-11 00:00), provider OpenAI, model gpt-4o, task Review`. */
export function describeFilter(filter: AnalyticsFilter, range: { from: number; to: number }): string {
  const parts = [`${PERIOD_NAMES[filter.period.kind]} (${formatDateTime(range.from)} – ${formatDateTime(range.to)})`];
  if (filter.provider) parts.push(`provider ${PROVIDER_NAMES[filter.provider]}`);
  if (filter.model) parts.push(`model ${filter.model}`);
  if (filter.task) parts.push(`task ${TASK_NAMES[filter.task]}`);
  return parts.join(', ');
}

function table(t: Table): string {
  if (t.rows.length === 0) return `<section><h2>${escapeHtml(t.caption)}</h2><p class="empty">${escapeHtml(t.empty)}</p></section>`;
  const head = t.columns.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = t.rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td${t.columns[i]?.numeric ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<section><h2>${escapeHtml(t.caption)}</h2><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

function percentStyle(fraction: number): string {
  return `${(Math.max(0, Math.min(1, fraction)) * 100).toFixed(2)}%`;
}

function budgetsSection(report: AnalyticsReport): string {
  const bars = budgetBars(report.budgets);
  if (bars.length === 0) return '<section><h2>Budgets</h2><p class="empty">No budget is set.</p></section>';
  const items = bars
    .map(
      (b) =>
        `<div class="budget ${b.state}"><div class="budget-label"><strong>${escapeHtml(b.label)}</strong> <span>${escapeHtml(b.text)}</span></div>` +
        `<div class="bar" role="img" aria-label="${escapeHtml(`${b.label}: ${b.text}`)}"><div class="fill" style="width:${percentStyle(b.fill)}"></div>` +
        `<div class="mark warn" style="left:${percentStyle(b.warnMark)}" title="warn"></div><div class="mark stop" style="left:${percentStyle(b.stopMark)}" title="stop"></div></div></div>`,
    )
    .join('\n');
  return `<section><h2>Budgets (current periods)</h2>${items}<p class="note">Marks: warning and stop thresholds.</p></section>`;
}

/** Horizontal bars drawn with CSS widths: a static picture of a chart, next to its numbers. */
function barList(caption: string, entries: readonly { label: string; value: number; text: string }[]): string {
  const max = Math.max(0, ...entries.map((e) => e.value));
  if (entries.length === 0 || max === 0) return '';
  const rows = entries
    .map((e) => `<div class="hbar"><span class="hbar-label">${escapeHtml(e.label)}</span><span class="hbar-track"><span class="hbar-fill" style="width:${percentStyle(e.value / max)}"></span></span><span class="hbar-value">${escapeHtml(e.text)}</span></div>`)
    .join('\n');
  return `<section><h2>${escapeHtml(caption)}</h2>${rows}</section>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa; --line: #d1d9e0; --accent: #0969da; --warn: #9a6700; --stop: #d1242f; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d; --accent: #4493f8; --warn: #d29922; --stop: #f85149; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.meta, .note, .empty, .card .detail { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 600; margin: 2px 0; }
.card .detail { font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin-top: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { font-size: 12px; color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.budget { margin: 8px 0 14px; }
.bar { position: relative; height: 10px; background: var(--card); border: 1px solid var(--line); border-radius: 5px; margin-top: 4px; }
.bar .fill { height: 100%; background: var(--accent); border-radius: 5px; }
.budget.warn .fill, .budget.throttle .fill { background: var(--warn); } .budget.stop .fill { background: var(--stop); }
.mark { position: absolute; top: -4px; width: 2px; height: 16px; }
.mark.warn { background: var(--warn); } .mark.stop { background: var(--stop); }
.hbar { display: grid; grid-template-columns: 110px 1fr 90px; gap: 8px; align-items: center; font-size: 12px; }
.hbar-track { background: var(--card); height: 10px; } .hbar-fill { display: block; height: 100%; background: var(--accent); }
.hbar-value { text-align: right; font-variant-numeric: tabular-nums; }
`;

export interface HtmlReportOptions {
  /** Shown as the page title and heading. */
  title?: string;
}

/** Builds the whole document. Static: no script, no link, no image — only this text. */
export function buildHtmlReport(report: AnalyticsReport, options: HtmlReportOptions = {}): string {
  const title = options.title ?? 'Aurelis usage report';
  const cards = summaryCards(report)
    .map((c) => `<div class="card"><div class="label">${escapeHtml(c.label)}</div><div class="value">${escapeHtml(c.value)}</div><div class="detail">${escapeHtml(c.detail)}</div></div>`)
    .join('\n');
  const perDay = report.costPerDay.days.map((day, i) => ({ label: day, value: report.costPerDay.totalUsd[i] ?? 0, text: formatUsd(report.costPerDay.totalUsd[i] ?? 0) }));
  const byHour = report.requestsByHour.map((n, h) => ({ label: `${String(h).padStart(2, '0')}:00`, value: n, text: formatCount(n) }));
  const bucketLabels = latencyBucketLabels(report.latencyHistogram.boundsMs);
  const latency = report.latencyHistogram.counts.map((n, i) => ({ label: bucketLabels[i] ?? '', value: n, text: formatCount(n) }));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(describeFilter(report.filter, report.range))}. Times in ${escapeHtml(report.timeZone)}. Generated ${escapeHtml(formatDateTime(report.generatedAt))}.</p>
</header>
<main>
<section aria-label="Summary"><div class="cards">
${cards}
</div></section>
${budgetsSection(report)}
${table(modelPerformanceTable(report))}
${table(taskTable(report))}
${table(promptTable(report))}
${table(providerTable(report))}
${barList('Cost per day', perDay)}
${table(costPerDayTable(report))}
${barList('Requests by hour of day', byHour)}
${barList('Latency distribution (answered requests)', latency)}
${table(errorKindTable(report))}
${table(recentFailuresTable(report))}
</main>
</body>
</html>
`;
}
