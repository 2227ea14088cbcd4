/**
 * The analytics webview's document. Static markup only — every number is filled in by the
 * script (media/analytics.js) from the host's report — under a strict Content-Security-Policy:
 * nothing loads unless listed, the one script runs only with this load's nonce, styles and fonts
 * come only from the extension's media folder, and there is no inline style, handler or eval.
 *
 * No `vscode` import: the unit tests build and parse this document directly.
 */
import { randomBytes } from 'node:crypto';
import { PANEL_EXPORT_FORMATS, type PanelExportFormat } from '../../shared/analytics-protocol/messages';
import { PERIOD_NAMES, TASK_NAMES } from '../../shared/labels';
import { TASK_TYPES } from '../../shared/taskTypes';
import type { AnalyticsFilter } from '../../shared/analyticsReport';

export interface PanelHtmlParts {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** A fresh random value for every load (newNonce). */
  nonce: string;
  /** `webview.asWebviewUri` of media/analytics.js and media/analytics.css. */
  scriptUri: string;
  styleUri: string;
  /**
   * The filter a newly opened panel starts with. The webview prefers the filter in its saved
   * state, so a panel shown again after being hidden keeps what the user chose.
   */
  initialFilter?: AnalyticsFilter;
}

/** 128 random bits, base64: unguessable, so an injected script tag cannot carry the nonce. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The policy, one directive per entry; exported so tests can compare against it. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`].join('; ');
}

const EXPORT_LABELS: Record<PanelExportFormat, string> = {
  json: 'JSON',
  csv: 'CSV',
  html: 'HTML report',
  prometheus: 'Prometheus',
};

const EXPORT_HINTS: Record<PanelExportFormat, string> = {
  json: 'Export the usage records of the filtered period as JSON',
  csv: 'Export the usage records of the filtered period as CSV',
  html: 'Export this report as one self-contained HTML file',
  prometheus: 'Export the totals as Prometheus text exposition format',
};

/** Attribute values come from fixed tables here, but escape anyway: this is HTML. */
function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function chartFigure(id: string, title: string): string {
  return `<figure class="chart-figure" id="${id}-figure">
  <figcaption id="${id}-title">${title}</figcaption>
  <div class="chart-box"><canvas id="${id}-canvas" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-summary"></canvas></div>
  <p id="${id}-summary" class="chart-summary"></p>
  <details class="chart-data"><summary>Show the numbers</summary><div id="${id}-table"></div></details>
</figure>`;
}

export function panelHtml(parts: PanelHtmlParts): string {
  const periods = Object.entries(PERIOD_NAMES)
    .map(([value, label]) => `<option value="${value}">${label}</option>`)
    .join('');
  const tasks = TASK_TYPES.map((t) => `<option value="${t}">${TASK_NAMES[t]}</option>`).join('');
  const exports = PANEL_EXPORT_FORMATS.map(
    (f) => `<button type="button" class="export" data-format="${f}" title="${attr(EXPORT_HINTS[f])}" aria-label="${attr(EXPORT_HINTS[f])}">${EXPORT_LABELS[f]}</button>`,
  ).join('\n      ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(parts.styleUri)}">
  <title>Aurelis Analytics</title>
</head>
<body${parts.initialFilter ? ` data-initial-filter="${attr(JSON.stringify(parts.initialFilter))}"` : ''}>
  <header class="toolbar">
    <h1>Aurelis usage</h1>
    <form id="filters" class="filters" aria-label="Filters">
      <label>Period <select id="filter-period" name="period">${periods}</select></label>
      <span id="custom-range" class="custom-range" hidden>
        <label>From <input type="date" id="filter-from" name="from" required></label>
        <label>To <input type="date" id="filter-to" name="to" required></label>
      </span>
      <label>Provider <select id="filter-provider" name="provider"><option value="">All providers</option></select></label>
      <label>Model <select id="filter-model" name="model"><option value="">All models</option></select></label>
      <label>Task <select id="filter-task" name="task"><option value="">All tasks</option>${tasks}</select></label>
    </form>
    <div class="exports" role="group" aria-label="Export">
      <span class="exports-label" aria-hidden="true">Export</span>
      ${exports}
    </div>
  </header>
  <p id="status" class="status" role="status" aria-live="polite">Loading usage…</p>
  <main id="content" aria-busy="true">
    <section aria-labelledby="summary-title">
      <h2 id="summary-title" class="visually-hidden">Summary</h2>
      <div id="cards" class="cards"></div>
    </section>
    <section aria-labelledby="budgets-title" class="budgets">
      <h2 id="budgets-title">Budgets <span class="subtle">(current periods)</span></h2>
      <div id="budget-bars"></div>
    </section>
    <section aria-labelledby="charts-title">
      <h2 id="charts-title" class="visually-hidden">Charts</h2>
      <div class="charts">
        ${chartFigure('cost', 'Cost per day by model')}
        ${chartFigure('models', 'Requests by model')}
        ${chartFigure('tasks', 'Requests by task')}
        ${chartFigure('hours', 'Requests by hour of day')}
        ${chartFigure('latency', 'Latency distribution')}
      </div>
    </section>
    <section aria-labelledby="performance-title">
      <h2 id="performance-title">Per-model performance</h2>
      <div id="performance-table" class="table-wrap"></div>
    </section>
    <section aria-labelledby="prompts-title">
      <h2 id="prompts-title">Prompt files</h2>
      <div id="prompts-table" class="table-wrap"></div>
    </section>
    <section aria-labelledby="failures-title">
      <h2 id="failures-title">Recent failures</h2>
      <div id="failures-table" class="table-wrap"></div>
    </section>
  </main>
  <script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>
`;
}
