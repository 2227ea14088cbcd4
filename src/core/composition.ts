/**
 * The core, assembled: orchestrator, secret guard, usage ledger and its analytics, audit log,
 * prices, budget gate and response cache over one storage folder. The editor's composition root
 * and the command line both build it here, so a request from either goes through the same stages
 * and leaves the same records.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { TieredResponseCache } from './cache/responseCache';
import type { KeyStore, Logger } from './host';
import { Orchestrator } from './orchestrator';
import { AuditLog } from './security/auditLog';
import { SecretGuard, type SecretAnswer, type SecretQuestion } from './security/secretGuard';
import type { Settings } from './settings';
import { LedgerBudgetGate } from './usage/budgetGate';
import { ModelPrices } from './usage/prices';
import { UsageAnalytics } from './usage/usageAnalytics';
import { UsageLedger } from './usage/usageLedger';

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
}

export interface Core {
  readonly orchestrator: Orchestrator;
  readonly ledger: UsageLedger;
  readonly analytics: UsageAnalytics;
  readonly audit: AuditLog;
  readonly cache: TieredResponseCache;
  readonly prices: ModelPrices;
  /** Cancels what still runs, then writes out the ledger and the audit log. */
  dispose(): Promise<void>;
}

export async function composeCore(deps: CoreDeps): Promise<Core> {
  const { storageDir, settings, log } = deps;
  await mkdir(storageDir, { recursive: true });
  const ledger = new UsageLedger({ storageDir, settings, logger: log });
  const audit = new AuditLog({ storageDir, settings, logger: log });
  const analytics = new UsageAnalytics({ ledger, settings });
  const prices = new ModelPrices(settings);
  const budget = new LedgerBudgetGate({ ledger, prices, settings, logger: log, events: audit });
  const cache = new TieredResponseCache({ storageDir, settings, logger: log });
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
    recorders: [ledger, audit],
    security: audit,
    contentAudit: audit,
    ...(deps.httpProxy ? { httpProxy: deps.httpProxy } : {}),
  });
  return {
    orchestrator,
    ledger,
    analytics,
    audit,
    cache,
    prices,
    dispose: async () => {
      orchestrator.dispose();
      await Promise.all([orchestrator.flush(), ledger.close(), audit.flush()]);
    },
  };
}

/** SHA-256 over the workspace folders' URIs: the same workspace always hashes the same, and no path is kept. */
export function workspaceHash(folderUris: readonly string[]): string {
  return createHash('sha256').update([...folderUris].sort().join('\n')).digest('hex');
}
