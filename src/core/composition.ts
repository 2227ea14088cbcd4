/**
 * The core, assembled: orchestrator, secret guard, usage ledger and its analytics, audit log,
 * prices, budget gate and response cache over one storage folder, with team mode (Redis, see
 * src/core/team) and usage telemetry (src/core/telemetry) when their settings are set. The editor's composition root
 * and the command line both build it here, so a request from either goes through the same stages
 * and leaves the same records.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { TieredResponseCache } from './cache/responseCache';
import type { KeyStore, Logger } from './host';
import { Orchestrator } from './orchestrator';
import { AuditLog } from './audit/auditLog';
import { SecretGuard, type SecretAnswer, type SecretQuestion } from './secrets/secretGuard';
import type { Settings } from './settings';
import type { TeamBudgetGate } from './team/teamBudget';
import type { TeamNotice } from './team/teamLink';
import { TeamMode } from './team/teamMode';
import { TelemetryRecorder } from './telemetry/telemetryRecorder';
import { LedgerBudgetGate } from './budget/budgetGate';
import { ModelPrices } from './pricing/priceBook';
import type { UsageAnalytics } from './reports/usageAnalytics';
import type { UsageLedger } from './ledger/usageLedger';
import { openLedgerReports, type LedgerReports } from './reports/ledgerReports';

export interface CoreDeps {
  /** Ledger, audit log, cache and daily request counts live here. */
  storageDir: string;
  /** Read live: changes apply without a rebuild. */
  settings: () => Settings;
  keys: KeyStore;
  log: Logger;
  /** Key variables the host allows (see KEY_VARIABLES); never the whole process environment. */
  env: Record<string, string | undefined>;
  /** Carried into usage records (see `workspaceHash`). */
  workspaceHash: string;
  /** `security.secretScan: "ask"`: who is asked; without one, "ask" cancels. */
  askAboutSecrets?: (question: SecretQuestion) => Promise<SecretAnswer>;
  /** The editor's proxy settings (VS Code's http.proxy, http.proxyStrictSSL); absent outside the editor. */
  httpProxy?: () => { proxy?: string; strictSSL: boolean };
  /** Team mode: where the Redis password comes from, and who hears that Redis went away or came back. */
  team?: { password: () => Promise<string | undefined>; onNotice: (notice: TeamNotice) => void };
  /** Usage telemetry: the resource's `service.name` (and the CLI's OTEL_EXPORTER_OTLP_ENDPOINT). */
  telemetry?: { serviceName: string; serviceVersion?: string; endpointOverride?: string };
  /** A ledger already opened over `storageDir` (the editor's status bar reads it before the core exists); the core takes it over. */
  ledgerReports?: LedgerReports;
}

export interface Core {
  readonly orchestrator: Orchestrator;
  readonly ledger: UsageLedger;
  readonly analytics: UsageAnalytics;
  readonly audit: AuditLog;
  readonly cache: TieredResponseCache;
  readonly prices: ModelPrices;
  readonly team: TeamMode;
  /** The budget gate the orchestrator uses: personal budgets, then the team's. */
  readonly budget: TeamBudgetGate;
  readonly telemetry: TelemetryRecorder;
  /**
   * Cancels what still runs, then writes out the daily counts, the ledger, the audit log and the
   * last metrics, closes their files and leaves Redis; resolves when all of it is on disk. Calling
   * it again returns the same promise.
   */
  dispose(): Promise<void>;
}

export async function composeCore(deps: CoreDeps): Promise<Core> {
  const { storageDir, settings, log } = deps;
  await mkdir(storageDir, { recursive: true });
  const { ledger, analytics } = deps.ledgerReports ?? openLedgerReports({ storageDir, settings, log });
  const audit = new AuditLog({ storageDir, settings, logger: log });
  const prices = new ModelPrices(settings);
  const team = new TeamMode({ settings, password: deps.team?.password ?? (async () => undefined), logger: log, onNotice: deps.team?.onNotice ?? ((n) => log.info(n.message)) });
  const budget = team.budgetGate(new LedgerBudgetGate({ ledger, prices, settings, logger: log, events: audit }), prices, audit);
  const cache = new TieredResponseCache({ storageDir, settings, logger: log, shared: team.sharedCache });
  const telemetry = new TelemetryRecorder({ settings, logger: log, serviceName: deps.telemetry?.serviceName ?? 'aurelis', ...deps.telemetry });
  // The first requests of a short CLI run should already be shared: wait for the first connection
  // attempt (at most its connect timeout, about a second; an unreachable Redis usually answers at once).
  if (team.enabled) await team.ready();
  const orchestrator = new Orchestrator({
    settings,
    keys: deps.keys,
    storageDir,
    logger: log,
    env: deps.env,
    workspaceHash: deps.workspaceHash,
    guard: new SecretGuard({ settings, ...(deps.askAboutSecrets ? { ask: deps.askAboutSecrets } : {}), events: audit }),
    budget,
    cache,
    prices,
    recorders: [ledger, audit, budget, telemetry],
    security: audit,
    contentAudit: audit,
    ...(deps.httpProxy ? { httpProxy: deps.httpProxy } : {}),
    sharedPacer: team.sharedPacer,
  });
  let disposed: Promise<void> | undefined;
  // The orchestrator first: its last records (cancelled requests included) reach the ledger and
  // the audit log before they close. Later calls get the same promise.
  const closeAll = async (): Promise<void> => {
    await orchestrator.dispose();
    await Promise.all([ledger.close(), audit.close(), telemetry.shutdown(), team.close()]);
  };
  return {
    orchestrator,
    ledger,
    analytics,
    audit,
    cache,
    prices,
    team,
    budget,
    telemetry,
    dispose: () => (disposed ??= closeAll()),
  };
}

/** SHA-256 over the workspace folders' URIs: the same workspace always hashes the same, and no path is kept. */
export function workspaceHash(folderUris: readonly string[]): string {
  return createHash('sha256').update([...folderUris].sort().join('\n')).digest('hex');
}
