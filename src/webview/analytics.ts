/**
 * The analytics panel's script (bundled to media/analytics.js). It asks the host for the
 * aggregated report of the chosen filter and draws it; it never sees ledger rows. The filter is
 * kept in the webview state, so a panel that was hidden (and so unloaded) comes back as it was.
 */
import './analytics/zodWithoutEval';
import type { HostEventMessage, RequestResult } from '../shared/analytics-protocol/messages';
import { costChart, hoursChart, latencyChart, modelsChart, tasksChart, type ChartData } from '../shared/analytics-view/chartData';
import { formatCount, formatDateTime, formatUsd } from '../shared/format';
import { describeFilter } from '../shared/analytics-view/htmlReport';
import { budgetBars, modelPerformanceTable, promptTable, recentFailuresTable, summaryCards } from '../shared/analytics-view/summary';
import { PANEL_EXPORT_FORMATS, type PanelExportFormat } from '../shared/analytics-protocol/messages';
import type { AnalyticsFilter } from '../shared/analyticsReport';
import { ChartBoard } from './analytics/charts';
import { DEFAULT_FILTER, FilterBar, initialFilter, restoredFilter } from './analytics/filters';
import { HostChannel, vscodeApi } from './analytics/hostChannel';
import { byId, renderBudgets, renderCards, renderTable } from './analytics/render';
import { readTheme, watchTheme } from './analytics/theme';
import { errorMessage } from '../shared/errorMessage';

interface SavedState {
  filter: AnalyticsFilter;
}

const LIVE_UPDATE_DELAY_MS = 250;

class AnalyticsPage {
  private readonly api = vscodeApi<SavedState>();
  private readonly channel = new HostChannel(this.api, (e) => this.onHostEvent(e));
  private readonly filters = new FilterBar((f) => this.setFilter(f));
  private readonly charts = new ChartBoard(readTheme());
  private readonly status = byId('status');
  private readonly content = byId('content');
  private filter: AnalyticsFilter = restoredFilter(this.api.getState()) ?? initialFilter() ?? DEFAULT_FILTER;
  /** Only the newest report request may paint: older replies that arrive late are dropped. */
  private latest = 0;
  private painted = false;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
    this.filters.write(this.filter);
    watchTheme(() => this.charts.retheme(readTheme()));
    for (const button of document.querySelectorAll<HTMLButtonElement>('button.export')) {
      button.addEventListener('click', () => void this.export(button));
    }
    document.addEventListener('securitypolicyviolation', (e) =>
      this.channel.notify('problem', { message: `The panel's security policy blocked ${e.violatedDirective} (${e.blockedURI || 'inline'}).` }),
    );
    this.channel.notify('ready', {});
    void this.refresh(true);
  }

  private setFilter(filter: AnalyticsFilter): void {
    this.filter = filter;
    this.api.setState({ filter });
    void this.refresh(true);
  }

  private onHostEvent(event: HostEventMessage): void {
    switch (event.name) {
      case 'ledgerChanged':
        // Several requests finishing together cause one refresh, not one each.
        clearTimeout(this.liveTimer);
        this.liveTimer = setTimeout(() => void this.refresh(false), LIVE_UPDATE_DELAY_MS);
        return;
      case 'applyFilter':
        this.filters.write(event.payload.filter);
        this.setFilter(event.payload.filter);
        return;
    }
  }

  private async refresh(announce: boolean): Promise<void> {
    const mine = ++this.latest;
    if (announce) {
      this.content.setAttribute('aria-busy', 'true');
      this.status.textContent = 'Loading usage…';
    }
    let result: RequestResult<'getReport'>;
    try {
      result = await this.channel.request('getReport', { filter: this.filter });
    } catch (e) {
      if (mine !== this.latest) return;
      const message = errorMessage(e);
      this.status.textContent = `Could not load the usage figures: ${message}`;
      this.content.setAttribute('aria-busy', 'false');
      this.channel.notify('problem', { message: `getReport failed: ${message}` });
      return;
    }
    if (mine !== this.latest) return;
    this.paint(result);
  }

  private paint({ report, choices, costTrend }: RequestResult<'getReport'>): void {
    this.filters.setChoices(choices, this.filter);
    renderCards(byId('cards'), summaryCards(report));
    renderBudgets(byId('budget-bars'), budgetBars(report.budgets));
    const cost = costChart(costTrend);
    byId('cost-title').textContent = this.filter.period.kind === 'custom' ? 'Cost per day by model (selected range)' : 'Cost per day by model (last 30 days)';
    this.chart('cost', cost);
    this.chart('models', modelsChart(report));
    this.chart('tasks', tasksChart(report));
    this.chart('hours', hoursChart(report));
    this.chart('latency', latencyChart(report));
    renderTable(byId('performance-table'), modelPerformanceTable(report));
    renderTable(byId('prompts-table'), promptTable(report));
    renderTable(byId('failures-table'), recentFailuresTable(report));
    this.content.setAttribute('aria-busy', 'false');
    const t = report.totals;
    this.status.textContent = `${describeFilter(report.filter, report.range)}: ${formatCount(t.requests)} requests, ${formatUsd(t.costUsd)}. Updated ${formatDateTime(report.generatedAt)}.`;
    if (!this.painted) {
      this.painted = true;
      // The frame after this one is the first that shows the data.
      requestAnimationFrame(() =>
        setTimeout(() => this.channel.notify('rendered', { at: Date.now(), sinceLoadMs: performance.now(), generatedAt: report.generatedAt }), 0),
      );
    }
  }

  private chart(id: string, data: ChartData): void {
    const canvas = byId(`${id}-canvas`);
    if (!(canvas instanceof HTMLCanvasElement)) return;
    const format = data.unit === 'usd' ? formatUsd : formatCount;
    this.charts.show(canvas, { labels: data.labels, series: data.series, horizontal: data.horizontal, stacked: data.stacked, format, valueTitle: data.valueTitle });
    byId(`${id}-summary`).textContent = data.summary;
    renderTable(byId(`${id}-table`), data.table);
  }

  private async export(button: HTMLButtonElement): Promise<void> {
    const format = button.dataset.format as PanelExportFormat | undefined;
    if (!format || !(PANEL_EXPORT_FORMATS as readonly string[]).includes(format)) return;
    const buttons = document.querySelectorAll<HTMLButtonElement>('button.export');
    for (const b of buttons) b.disabled = true;
    this.status.textContent = `Exporting ${button.textContent ?? format}…`;
    try {
      const { saved, fileName } = await this.channel.request('exportReport', { filter: this.filter, format });
      this.status.textContent = saved ? `Saved ${fileName ?? 'the export'}.` : 'Export cancelled.';
    } catch (e) {
      this.status.textContent = `Export failed: ${errorMessage(e)}`;
    } finally {
      for (const b of buttons) b.disabled = false;
      button.focus();
    }
  }
}

new AnalyticsPage().start();
