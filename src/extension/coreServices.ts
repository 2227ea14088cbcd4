/**
 * What the editor layer uses from the core, built once by `services.ts` (the composition
 * root). Command handlers depend on these narrow shapes, not on how the core is assembled.
 */
import type { CatalogModel } from '../core/catalog/catalogSchemas';
import type { AurelisError } from '../core/errors';
import type { ModelTarget } from '../core/pipeline';
import type { BatchRunner } from '../core/review/batchReview';
import type { AuditExportResult } from '../core/audit/auditLog';
import type { SecurityEventSink } from '../core/audit/auditEvents';
import type { TeamMode } from '../core/team/teamMode';
import type { ProviderId, TaskType } from '../core/types';
import type { AnalyticsSource } from './analytics/analyticsSource';
import type { SpendFigures } from './budgetStatusBar';
import type { RequestSender } from './taskRunner';

/** One model of a provider's catalog, as the Models picker shows it. */
export type ModelInfo = Omit<CatalogModel, 'provider' | 'capabilities'>;

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The orchestrator, as the editor sees it (runBatch: Review Changes and Review Folder). */
export interface ModelAccess extends RequestSender, BatchRunner {
  chainFor(task: TaskType): ModelTarget[];
  listModels(provider: ProviderId, options?: { refresh?: boolean; signal?: AbortSignal }): Promise<ModelInfo[]>;
  validateKey(provider: ProviderId, key: string, signal?: AbortSignal): Promise<{ ok: true; models: number } | { ok: false; error: AurelisError }>;
  probe(target: ModelTarget, signal?: AbortSignal): Promise<{ latencyMs: number }>;
  breakerStates(): Array<{ target: ModelTarget; state: BreakerState; failures: number; openedAt?: number }>;
}

export interface CacheClearReport {
  entries: number;
  bytes: number;
}

/** The audit log, as the editor uses it: security events in, files out. */
export interface AuditAccess extends SecurityEventSink {
  /** The file new lines go to, or undefined when nothing was written yet. */
  currentFile(): Promise<string | undefined>;
  /** Every valid line, oldest first, into one JSON Lines file. */
  exportTo(destination: string): Promise<AuditExportResult>;
  /** Resolves when every line asked for so far is written. */
  flush(): Promise<void>;
}

export interface CoreServices {
  readonly models: ModelAccess;
  /** Today's, this week's and this month's spend and the budgets, for the status bar. */
  spend(): Promise<SpendFigures>;
  /** What the analytics panel reads: aggregated reports, exports, the ledger's version. */
  readonly analytics: AnalyticsSource;
  /** Empties the response cache (memory and disk; the team's Redis level is left alone). */
  clearCache(): Promise<CacheClearReport>;
  /** Connects to the team's Redis again (after Set Team Redis Password). */
  reconnectTeam(): Promise<void>;
  /** Clear Team Cache: which team and server, and emptying its Redis cache level. */
  readonly team: Pick<TeamMode, 'describe' | 'clearCache'>;
  readonly audit: AuditAccess;
  dispose(): Promise<void>;
}
