/** The analytics panel's source over the core's ledger and its analytics queries. */
import type { UsageAnalytics } from '../../core/reports/usageAnalytics';
import { collect } from '../../core/reports/usageAnalytics';
import type { UsageLedger } from '../../core/ledger/usageLedger';
import type { AnalyticsSource } from './analyticsSource';

export function ledgerAnalyticsSource(ledger: UsageLedger, analytics: UsageAnalytics): AnalyticsSource {
  return {
    report: (filter) => analytics.report(filter),
    exportText: (format, filter) => collect(analytics.export(format, filter)),
    version: async () => {
      // Tails the month files from where the last read stopped: a stat per file, no rescan.
      await ledger.refresh();
      const h = ledger.health();
      return `${h.files}/${h.records}/${h.skippedLines}`;
    },
  };
}
