/**
 * The status bar's figures straight from the usage ledger, before (or without) the core: loaded
 * on the first refresh after activation, in its own chunk, so showing today's spend costs the
 * ledger's reader and nothing of the request pipeline.
 */
import type { Logger } from '../core/host';
import { openLedgerReports, type LedgerReports } from '../core/reports/ledgerReports';
import type { Settings } from '../core/settings';
import type { SpendFigures } from './budgetStatusBar';
import { spendFigures } from './spendFigures';

export type { LedgerReports } from '../core/reports/ledgerReports';

export function openSpendLedger(storageDir: string, settings: () => Settings, log: Logger): LedgerReports {
  return openLedgerReports({ storageDir, settings, log });
}

export function ledgerSpend(reports: LedgerReports): Promise<SpendFigures> {
  return spendFigures(reports.analytics, Date.now());
}
