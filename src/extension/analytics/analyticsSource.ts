/**
 * What the analytics panel needs from the core: aggregated reports, export text, and a cheap
 * way to notice that the ledger changed. Narrow on purpose — the panel never touches ledger rows
 * (the webview must never receive them), and tests can hand it any implementation.
 */
import type { AnalyticsFilter, AnalyticsReport, ExportFormat } from '../../shared/analyticsReport';

export interface AnalyticsSource {
  /** The aggregated figures for a filter (the ledger's analytics query). */
  report(filter: AnalyticsFilter): Promise<AnalyticsReport>;
  /** The ledger's export of the filtered records (JSON, CSV) or totals (Prometheus text). */
  exportText(format: ExportFormat, filter: AnalyticsFilter): Promise<string>;
  /**
   * Changes whenever records were added or removed, in this window or another one. Must be cheap
   * (it is polled while the panel is visible): the ledger tails its files, it does not rescan.
   */
  version(): Promise<string>;
}
