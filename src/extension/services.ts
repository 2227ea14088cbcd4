/**
 * The composition root: builds the core once per window — orchestrator, secret guard, usage
 * ledger and its analytics, audit log, prices, budget gate, response cache — over the host's storage folder, the user's
 * settings and the SecretStorage key store. Loaded on first use, so activation stays fast.
 */
import type * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { TieredResponseCache } from '../core/cache/responseCache';
import type { KeyStore, Logger } from '../core/host';
import { Orchestrator } from '../core/orchestrator';
import { AuditLog } from '../core/security/auditLog';
import { SecretGuard, type SecretAnswer, type SecretQuestion } from '../core/security/secretGuard';
import type { Settings } from '../core/settings';
import { LedgerBudgetGate } from '../core/usage/budgetGate';
import { ModelPrices } from '../core/usage/prices';
import { UsageAnalytics } from '../core/usage/usageAnalytics';
import { UsageLedger } from '../core/usage/usageLedger';
import { ledgerAnalyticsSource } from './analytics/ledgerSource';
import type { CoreServices } from './coreServices';
import { spendFigures } from './spendFigures';

export interface ServiceDeps {
  context: vscode.ExtensionContext;
  settings: () => Settings;
  keys: KeyStore;
  log: Logger;
  /** The open workspace's folder URIs (their hash goes into usage records, never the paths). */
  workspaceFolders: readonly string[];
  /** `aurelis.security.secretScan: "ask"`: the modal that asks what to do with secrets found in a prompt. */
  askAboutSecrets: (question: SecretQuestion) => Promise<SecretAnswer>;
}

export async function createCoreServices(deps: ServiceDeps): Promise<CoreServices> {
  const { settings, keys, log } = deps;
  const storageDir = deps.context.globalStorageUri.fsPath;
  await mkdir(storageDir, { recursive: true });

  const ledger = new UsageLedger({ storageDir, settings, logger: log });
  const audit = new AuditLog({ storageDir, settings, logger: log });
  const analytics = new UsageAnalytics({ ledger, settings });
  const prices = new ModelPrices(settings);
  const budget = new LedgerBudgetGate({ ledger, prices, settings, logger: log, events: audit });
  const cache = new TieredResponseCache({ storageDir, settings, logger: log });
  const orchestrator = new Orchestrator({
    settings,
    keys,
    storageDir,
    logger: log,
    // Only what the core reads from the environment: the github-models fallback token.
    env: { GITHUB_TOKEN: process.env.GITHUB_TOKEN },
    workspaceHash: workspaceHash(deps.workspaceFolders),
    guard: new SecretGuard({ settings, ask: deps.askAboutSecrets, events: audit }),
    budget,
    cache,
    prices,
    recorders: [ledger, audit],
    security: audit,
    contentAudit: audit,
  });
  log.info(`Core ready (storage ${storageDir}).`);

  return {
    models: orchestrator,
    spend: () => spendFigures(analytics, Date.now()),
    analytics: ledgerAnalyticsSource(ledger, analytics),
    clearCache: () => cache.clear(),
    audit,
    dispose: async () => {
      orchestrator.dispose();
      await Promise.all([ledger.close(), audit.flush()]);
    },
  };
}

/** SHA-256 over the workspace folders' URIs: the same workspace always hashes the same, and no path is kept. */
export function workspaceHash(folderUris: readonly string[]): string {
  return createHash('sha256').update([...folderUris].sort().join('\n')).digest('hex');
}
