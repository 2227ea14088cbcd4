/**
 * The analytics panel's host side: one webview panel (created, or revealed when it exists),
 * its document with a fresh nonce per load, and the message handling. Every message from the
 * webview is validated (invalid ones are logged and dropped); requests are answered with the
 * core's aggregates, never with ledger rows.
 *
 * The webview is not kept alive while hidden (`retainContextWhenHidden: false` costs nothing
 * in the background); it keeps its filter in its own state and asks again when shown. While
 * visible, the panel polls the ledger's version (a cheap tail of its files) and tells the
 * webview to refresh when a request has finished — in this window or another.
 */
import * as vscode from 'vscode';
import { openAnalyticsPanel, setOpenAnalyticsPanel } from './openPanel';
import { hostEvent, parseWebviewMessage, type FilterChoices, type HostToWebview, type PanelEventMessage, type RequestResult } from '../../shared/analytics-protocol/messages';
import { answerRequest, type RequestHandlers } from '../../shared/analytics-protocol/requests';
import type { Logger } from '../../core/host';
import type { AnalyticsFilter, AnalyticsReport } from '../../shared/analyticsReport';
import type { AnalyticsSource } from './analyticsSource';
import { exportAnalytics } from './exportAnalytics';
import { newNonce, panelHtml } from './panelHtml';
import { errorMessage } from '../../shared/errorMessage';

export const ANALYTICS_VIEW_TYPE = 'aurelis.analytics';
/** How often a visible panel checks whether the ledger changed. */
const LIVE_POLL_MS = 2000;

export interface AnalyticsPanelDeps {
  extensionUri: vscode.Uri;
  /** The core's analytics, loaded on first use. */
  source: () => Promise<AnalyticsSource>;
  log: Logger;
}

/** How long the panel took from being opened (or shown again) to its first painted data. */
export interface RenderTiming {
  /** From `show()` / becoming visible to the webview's "rendered" message. */
  sinceOpenMs: number;
  /** From the start of the webview document's load to its first paint of data. */
  sinceLoadMs: number;
}

/** A read-only view of the open panel, for the extension's API (other extensions, tests). */
export interface AnalyticsPanelView {
  readonly visible: boolean;
  /** The document currently loaded in the webview (its CSP, nonce and script tag). */
  readonly html: string;
  /** The filter of the last report sent to the webview. */
  readonly lastFilter: AnalyticsFilter | undefined;
  readonly lastReport: AnalyticsReport | undefined;
  readonly lastRender: RenderTiming | undefined;
  readonly onDidSendReport: vscode.Event<AnalyticsReport>;
  readonly onDidRender: vscode.Event<RenderTiming>;
  readonly onDidDispose: vscode.Event<void>;
  /** Shows this filter in the panel, as if the user had picked it. */
  applyFilter(filter: AnalyticsFilter): void;
}

export class AnalyticsPanel implements AnalyticsPanelView {
  /** The open panel, if any. */
  static get open(): AnalyticsPanel | undefined {
    return openAnalyticsPanel();
  }

  /** Opens the panel, or brings the open one to the front; `filter` replaces the one shown. */
  static show(deps: AnalyticsPanelDeps, filter?: AnalyticsFilter): AnalyticsPanel {
    const existing = openAnalyticsPanel();
    if (existing) {
      existing.panel.reveal();
      if (filter) existing.applyFilter(filter);
      return existing;
    }
    const media = vscode.Uri.joinPath(deps.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(ANALYTICS_VIEW_TYPE, 'Aurelis Analytics', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableForms: false,
      retainContextWhenHidden: false,
      localResourceRoots: [media],
    });
    const created = new AnalyticsPanel(panel, deps, filter);
    setOpenAnalyticsPanel(created);
    return created;
  }

  private readonly sendReport = new vscode.EventEmitter<AnalyticsReport>();
  private readonly rendered = new vscode.EventEmitter<RenderTiming>();
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidSendReport = this.sendReport.event;
  readonly onDidRender = this.rendered.event;
  readonly onDidDispose = this.disposed.event;

  lastFilter: AnalyticsFilter | undefined;
  lastReport: AnalyticsReport | undefined;
  lastRender: RenderTiming | undefined;

  private readonly subscriptions: vscode.Disposable[] = [];
  /** When the panel was opened or last became visible: the start of a render measurement. */
  private shownAt = Date.now();
  private awaitingFirstRender = true;
  /** A filter to apply once the webview says it is ready (asked for while it was loading). */
  private pendingFilter: AnalyticsFilter | undefined;
  private ready = false;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private knownVersion: string | undefined;
  private polling = false;
  private wasVisible = true;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: AnalyticsPanelDeps,
    filter: AnalyticsFilter | undefined,
  ) {
    this.subscriptions.push(
      this.sendReport,
      this.rendered,
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidChangeViewState(() => this.visibilityChanged()),
      panel.onDidDispose(() => this.dispose()),
    );
    this.load(filter);
    this.startPolling();
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  get html(): string {
    return this.panel.webview.html;
  }

  applyFilter(filter: AnalyticsFilter): void {
    if (this.ready) void this.post(hostEvent('applyFilter', { filter }));
    else this.pendingFilter = filter;
  }

  private load(initialFilter: AnalyticsFilter | undefined): void {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    this.ready = false;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'analytics.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'analytics.css')).toString(),
      initialFilter,
    });
  }

  private visibilityChanged(): void {
    // Also fires when the panel moves or gains focus; only a hidden → visible change reloads it.
    const wasVisible = this.wasVisible;
    this.wasVisible = this.panel.visible;
    if (this.panel.visible === wasVisible) return;
    if (this.panel.visible) {
      // The webview was unloaded while hidden and loads again now: measure that render too.
      this.shownAt = Date.now();
      this.awaitingFirstRender = true;
      this.ready = false;
      this.startPolling();
    } else {
      this.stopPolling();
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Analytics panel: ignored a message from the webview: ${parsed.problem}`);
      return;
    }
    const message = parsed.message;
    if (message.kind === 'event') {
      this.onEvent(message);
      return;
    }
    const reply = await answerRequest(message, this.handlers);
    if (!reply.ok) this.deps.log.warn(`Analytics panel: ${message.method} failed: ${reply.error}`);
    await this.post(reply);
  }

  private onEvent(event: PanelEventMessage): void {
    switch (event.name) {
      case 'ready':
        this.ready = true;
        if (this.pendingFilter) {
          void this.post(hostEvent('applyFilter', { filter: this.pendingFilter }));
          this.pendingFilter = undefined;
        }
        return;
      case 'rendered': {
        if (!this.awaitingFirstRender) return;
        this.awaitingFirstRender = false;
        const timing = { sinceOpenMs: Math.max(0, event.payload.at - this.shownAt), sinceLoadMs: Math.round(event.payload.sinceLoadMs) };
        this.lastRender = timing;
        this.deps.log.info(`Analytics panel: first data painted ${timing.sinceOpenMs} ms after opening (${timing.sinceLoadMs} ms after the page started loading).`);
        this.rendered.fire(timing);
        return;
      }
      case 'problem':
        this.deps.log.warn(`Analytics panel: ${event.payload.message}`);
        return;
    }
  }

  private readonly handlers: RequestHandlers = {
    getReport: async ({ filter }) => this.reportFor(filter),
    exportReport: async ({ filter, format }) => {
      const outcome = await exportAnalytics(await this.deps.source(), format, filter);
      if (outcome.uri) this.deps.log.info(`Analytics: exported ${format} (${outcome.bytes} bytes) to ${outcome.uri.fsPath || outcome.uri.toString()}.`);
      return outcome.uri ? { saved: true, fileName: outcome.uri.path.split('/').pop() ?? '' } : { saved: false };
    },
  };

  private async reportFor(filter: AnalyticsFilter): Promise<RequestResult<'getReport'>> {
    const source = await this.deps.source();
    // Taken before the query: a record that lands while it runs still triggers a live update.
    this.knownVersion = await source.version();
    const period = { period: filter.period };
    const narrowed = filter.provider !== undefined || filter.model !== undefined || filter.task !== undefined;
    // The drop-downs list everything in the period, so they come from the period alone.
    const [report, all] = await Promise.all([source.report(filter), narrowed ? source.report(period) : undefined]);
    const trend =
      filter.period.kind === 'custom' || filter.period.kind === 'last30Days' ? report.costPerDay : (await source.report({ ...filter, period: { kind: 'last30Days' } })).costPerDay;
    this.lastFilter = filter;
    this.lastReport = report;
    this.sendReport.fire(report);
    return { report, choices: choicesOf(all ?? report), costTrend: trend };
  }

  private post(message: HostToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  // ── Live updates ─────────────────────────────────────────────────────────────────────────

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.poll(), LIVE_POLL_MS);
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const version = await (await this.deps.source()).version();
      const changed = this.knownVersion !== undefined && version !== this.knownVersion;
      this.knownVersion = version;
      if (changed && this.ready) await this.post(hostEvent('ledgerChanged', {}));
    } catch (e) {
      this.deps.log.warn(`Analytics panel: could not check the usage ledger for changes: ${errorMessage(e)}`);
    } finally {
      this.polling = false;
    }
  }

  private dispose(): void {
    this.stopPolling();
    if (openAnalyticsPanel() === this) setOpenAnalyticsPanel(undefined);
    this.disposed.fire();
    this.disposed.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}

function choicesOf(report: AnalyticsReport): FilterChoices {
  return {
    providers: report.byProvider.map((p) => p.provider),
    models: report.byModel.map((m) => ({ provider: m.provider, model: m.model })),
    tasks: report.byTask.map((t) => t.task),
  };
}
