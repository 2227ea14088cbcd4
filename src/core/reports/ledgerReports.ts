/**
 * The usage ledger and the reports over it, without the rest of the core: what the editor's
 * status bar reads at start-up (today's, this week's and this month's spend and the budgets)
 * without loading the orchestrator, the provider SDK, Redis, OpenTelemetry or the tokenizer.
 * When the core is built later it takes over the same ledger (composition.ts), so one process
 * keeps one index of the ledger files.
 */
import type { Logger } from '../host';
import { UsageLedger } from '../ledger/usageLedger';
import type { Settings } from '../settings';
import { UsageAnalytics } from './usageAnalytics';

export interface LedgerReports {
  readonly ledger: UsageLedger;
  readonly analytics: UsageAnalytics;
}

export function openLedgerReports(deps: { storageDir: string; settings: () => Settings; log: Logger }): LedgerReports {
  const ledger = new UsageLedger({ storageDir: deps.storageDir, settings: deps.settings, logger: deps.log });
  return { ledger, analytics: new UsageAnalytics({ ledger, settings: deps.settings }) };
}
