import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { PROVIDER_PRESETS } from '../core/providers/presets';
import { AurelisCodeActions } from './codeActions';
import type { CoreServices } from './coreServices';
import type { LedgerReports } from './ledgerSpend';
import type { SpendFigures } from './budgetStatusBar';
import { BudgetStatusBar } from './budgetStatusBar';
import { editorHttpProxy } from './httpProxy';
import { channelLogger } from './log';
import { MarkdownViews } from './markdownViews';
import { ProjectInstructions } from './projectInstructions';
import { PromptCodeLens } from './prompts/promptCodeLens';
import { ProposedChanges } from './proposedChanges';
import { Regenerations } from './regenerations';
import { ReviewDiagnostics } from './reviewDiagnostics';
import { askAboutSecrets } from './secretQuestion';
import { recordSecurityEvent } from './securityEvents';
import { SecretKeyStore } from './secretKeyStore';
import { SettingsReader } from './settingsReader';
import { TaskRunner } from './taskRunner';

/** The editor-side pieces every command handler works with. Built once in `activate`. */
export interface EditorParts {
  readonly context: vscode.ExtensionContext;
  readonly channel: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly keys: SecretKeyStore;
  readonly settings: SettingsReader;
  /** The core (orchestrator, ledger, cache…), loaded on first use so activation stays fast. */
  readonly core: () => Promise<CoreServices>;
  /** Disposes the core if it was loaded; resolves when its counts, records and audit lines are on disk. */
  readonly closeCore: () => Promise<void>;
  readonly runner: TaskRunner;
  /** The project's instruction files and `.aurelis.yaml` standards for a request. */
  readonly project: ProjectInstructions;
  readonly views: MarkdownViews;
  readonly proposals: ProposedChanges;
  readonly findings: ReviewDiagnostics;
  /** How to produce each shown result again (Regenerate). */
  readonly regenerations: Regenerations;
  readonly status: BudgetStatusBar;
  /** "code-server 1.100.3", for the log. */
  readonly hostName: string;
}

export function createEditorParts(context: vscode.ExtensionContext): EditorParts {
  const channel = vscode.window.createOutputChannel('Aurelis', { log: true });
  const log = channelLogger(channel);
  const keys = new SecretKeyStore(context.secrets);
  const settings = new SettingsReader(SettingsReader.contributedBy(context.extension.packageJSON), log);
  const ledger = lazyLedger(context, settings, log);
  const core = lazyCore(context, settings, keys, log, ledger);
  // The core owns the ledger once built; before that, only the status bar's reader has it open.
  const closeCore = (): Promise<void> =>
    core.loaded ? core.loaded.then((c) => c.dispose()) : (ledger.loaded?.then((l) => l.ledger.close(), () => undefined) ?? Promise.resolve());
  const status = new BudgetStatusBar(() => spendNow(core, ledger, settings), () => settings.settings, log);
  const project = new ProjectInstructions(settings, log);
  const runner = new TaskRunner({
    sender: () => core().then((c) => c.models),
    activity: () => status.started(),
    log,
    security: () => core().then((c) => c.audit),
    providerLabel: () => PROVIDER_PRESETS[settings.settings.provider].label,
    prepare: (request, document) => project.prepare(request, document),
  });
  const views = new MarkdownViews();
  const regenerations = new Regenerations();
  const proposals = new ProposedChanges(log, regenerations);
  const findings = new ReviewDiagnostics();
  context.subscriptions.push(
    channel,
    settings,
    status,
    views,
    regenerations,
    proposals,
    findings,
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new AurelisCodeActions(findings), AurelisCodeActions.metadata),
    vscode.languages.registerCodeLensProvider(PromptCodeLens.selector, new PromptCodeLens()),
    settings.onDidChange(() => void status.refresh()),
    auditProviderChanges(settings, core, log),
    { dispose: () => void closeCore() },
  );
  // The first reading of the settings and of the ledger happens after activation has returned.
  setTimeout(() => void status.refresh(), 0);
  return { context, channel, log, keys, settings, core, closeCore, runner, project, views, proposals, findings, regenerations, status, hostName: `${vscode.env.appName} ${vscode.version}` };
}

/** Every change of provider — through Select Provider or an edit of settings.json — is an audit event. */
function auditProviderChanges(settings: SettingsReader, core: () => Promise<CoreServices>, log: Logger): vscode.Disposable {
  return settings.onDidChange(({ current, previous }) => {
    if (current.provider === previous.provider) return;
    const event = { type: 'provider_change' as const, from: previous.provider, to: current.provider };
    log.info(`Provider changed from ${PROVIDER_PRESETS[event.from].label} to ${PROVIDER_PRESETS[event.to].label}.`);
    void recordSecurityEvent(() => core().then((c) => c.audit), log, event);
  });
}

type Lazy<T> = (() => Promise<T>) & { loaded?: Promise<T> };
type LazyCore = Lazy<CoreServices>;

/**
 * The status bar's figures. Until a request has built the core they come from the ledger alone
 * (a chunk without the request pipeline), so start-up stays light; team budgets live in Redis,
 * which only the core reaches, so with team budgets set the core is built for them.
 */
async function spendNow(core: LazyCore, ledger: Lazy<LedgerReports>, settings: SettingsReader): Promise<SpendFigures> {
  await settings.ready();
  const { team } = settings.settings;
  const teamBudgets = team.redisUrl !== '' && (team.budgets.dailyUsd !== undefined || team.budgets.weeklyUsd !== undefined || team.budgets.monthlyUsd !== undefined);
  if (core.loaded || teamBudgets) return core().then((c) => c.spend());
  return Promise.all([ledger(), import('./ledgerSpend')]).then(([reports, m]) => m.ledgerSpend(reports));
}

/** The ledger's reader, opened on the status bar's first refresh (and handed to the core when it is built). */
function lazyLedger(context: vscode.ExtensionContext, settings: SettingsReader, log: Logger): Lazy<LedgerReports> {
  const get: Lazy<LedgerReports> = () => {
    get.loaded ??= Promise.all([import('./ledgerSpend'), settings.ready()])
      .then(([m]) => m.openSpendLedger(context.globalStorageUri.fsPath, () => settings.settings, log))
      .catch((e: unknown) => {
        // The status bar says it could not read the spend; the next refresh tries again.
        get.loaded = undefined;
        throw e;
      });
    return get.loaded;
  };
  return get;
}

/**
 * Builds the core on first use. If building fails, the command that asked reports it (with
 * "View Log") and the next use tries again instead of failing forever.
 */
function lazyCore(context: vscode.ExtensionContext, settings: SettingsReader, keys: SecretKeyStore, log: Logger, ledger: Lazy<LedgerReports>): LazyCore {
  const get: LazyCore = () => {
    // A ledger reader that failed to open is no reason to fail the request: the core opens its own.
    get.loaded ??= Promise.all([import('./services'), ledger.loaded?.catch(() => undefined), settings.ready()])
      .then(([m, ledgerReports]) =>
        m.createCoreServices({
          context,
          settings: () => settings.settings,
          keys,
          log,
          askAboutSecrets,
          httpProxy: editorHttpProxy,
          workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()),
          ...(ledgerReports ? { ledgerReports } : {}),
        }),
      )
      .catch((e: unknown) => {
        get.loaded = undefined;
        log.error(e instanceof Error ? e : String(e));
        throw e;
      });
    return get.loaded;
  };
  return get;
}
