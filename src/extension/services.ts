/**
 * The editor's composition root: the core (src/core/composition.ts) over the host's storage
 * folder, the user's settings and the SecretStorage key store, and the narrow shapes the
 * command handlers use. Loaded on first use, so activation stays fast.
 */
import type * as vscode from 'vscode';
import { composeCore, workspaceHash } from '../core/composition';
import type { KeyStore, Logger } from '../core/host';
import type { LedgerReports } from '../core/reports/ledgerReports';
import type { SecretAnswer, SecretQuestion } from '../core/secrets/secretGuard';
import type { Settings } from '../core/settings';
import { ledgerAnalyticsSource } from './analytics/ledgerSource';
import type { CoreServices } from './coreServices';
import { spendFigures } from './spendFigures';
import { teamFigures, teamHost } from './teamServices';

export { workspaceHash } from '../core/composition';

export interface ServiceDeps {
  context: vscode.ExtensionContext;
  settings: () => Settings;
  keys: KeyStore;
  log: Logger;
  /** The open workspace's folder URIs (their hash goes into usage records, never the paths). */
  workspaceFolders: readonly string[];
  /** `aurelis.security.secretScan: "ask"`: the modal that asks what to do with secrets found in a prompt. */
  askAboutSecrets: (question: SecretQuestion) => Promise<SecretAnswer>;
  /** VS Code's own proxy settings (http.proxy, http.proxyStrictSSL), read for every request. */
  httpProxy: () => { proxy?: string; strictSSL: boolean };
  /** The ledger the status bar opened before the core was needed; the core takes it over. */
  ledgerReports?: LedgerReports;
}

export async function createCoreServices(deps: ServiceDeps): Promise<CoreServices> {
  const storageDir = deps.context.globalStorageUri.fsPath;
  const core = await composeCore({
    storageDir,
    settings: deps.settings,
    keys: deps.keys,
    log: deps.log,
    // Only what the editor takes from the environment: the github-models fallback token.
    env: { GITHUB_TOKEN: process.env.GITHUB_TOKEN },
    workspaceHash: workspaceHash(deps.workspaceFolders),
    askAboutSecrets: deps.askAboutSecrets,
    httpProxy: deps.httpProxy,
    team: teamHost(deps.context),
    telemetry: { serviceName: 'aurelis-vscode', serviceVersion: String(deps.context.extension.packageJSON.version ?? '') },
    ...(deps.ledgerReports ? { ledgerReports: deps.ledgerReports } : {}),
  });
  deps.log.info(`Core ready (storage ${storageDir}).`);

  return {
    models: core.orchestrator,
    spend: async () => ({ ...(await spendFigures(core.analytics, Date.now())), ...(await teamFigures(core, deps.settings)) }),
    analytics: ledgerAnalyticsSource(core.ledger, core.analytics),
    clearCache: () => core.cache.clear(),
    reconnectTeam: () => core.team.reconnect(),
    team: core.team,
    audit: core.audit,
    dispose: core.dispose,
  };
}
