import * as vscode from 'vscode';
import { isCutOffError, largerOutputLimit } from '../core/tasks/answers/cutOff';
import { showError } from './errorNotifications';
import type { EditorParts } from './editorParts';
import { withRequestChoices } from './requestChoices';

type Handler = (parts: EditorParts, ...args: never[]) => unknown;

/**
 * Every Aurelis command. Handlers load on first use (keeping activation fast) and are
 * wrapped the same way: a failure becomes a notification with its next-step buttons, a "Retry"
 * that runs the same command again without the cache (an unusable answer must not come back)
 * and, after a cut-off answer, "Retry with a Larger Limit"; the command then resolves to undefined.
 */
const COMMANDS: Record<string, () => Promise<Handler>> = {
  'aurelis.generate': () => import('./commands/edits').then((m) => m.generate),
  'aurelis.explain': () => import('./commands/explain').then((m) => m.explain),
  'aurelis.review': () => import('./commands/review').then((m) => m.review),
  'aurelis.reviewChanges': () => import('./commands/reviewBatch').then((m) => m.reviewChanges),
  'aurelis.reviewFolder': () => import('./commands/reviewBatch').then((m) => m.reviewFolder),
  'aurelis.clearReviewFindings': () => import('./commands/review').then((m) => m.clearReviewFindings),
  'aurelis.applySuggestion': () => import('./commands/review').then((m) => m.applySuggestion),
  'aurelis.optimize': () => import('./commands/edits').then((m) => m.optimize),
  'aurelis.document': () => import('./commands/edits').then((m) => m.document),
  'aurelis.generateTests': () => import('./commands/generateTests').then((m) => m.generateTests),
  'aurelis.fix': () => import('./commands/edits').then((m) => m.fix),
  'aurelis.runPrompt': () => import('./commands/prompts').then((m) => m.runPrompt),
  'aurelis.evaluatePrompt': () => import('./commands/prompts').then((m) => m.evaluatePrompt),
  'aurelis.acceptChange': async () => (parts: EditorParts, ref?: unknown) => parts.proposals.accept(ref),
  'aurelis.rejectChange': async () => (parts: EditorParts, ref?: unknown) => parts.proposals.reject(ref),
  'aurelis.regenerate': () => import('./commands/regenerate').then((m) => m.regenerate),
  'aurelis.selectProvider': () => import('./commands/provider').then((m) => m.selectProvider),
  'aurelis.setApiKey': () => import('./keyCommands').then((m) => m.setApiKey),
  'aurelis.clearApiKey': () => import('./keyCommands').then((m) => m.clearApiKey),
  'aurelis.setTeamRedisPassword': () => import('./teamPassword').then((m) => m.setTeamRedisPassword),
  'aurelis.clearTeamCache': () => import('./teamCache').then((m) => m.clearTeamCache),
  'aurelis.models': () => import('./commands/models').then((m) => m.models),
  'aurelis.healthCheck': () => import('./commands/healthCheck').then((m) => m.healthCheck),
  'aurelis.clearCache': () => import('./commands/usage').then((m) => m.clearCache),
  'aurelis.showAnalytics': () => import('./analytics/analyticsCommands').then((m) => m.showAnalytics),
  'aurelis.exportAnalytics': () => import('./analytics/analyticsCommands').then((m) => m.exportUsage),
  'aurelis.openAuditLog': () => import('./commands/audit').then((m) => m.openAuditLog),
  'aurelis.exportAuditLog': () => import('./commands/audit').then((m) => m.exportAuditLog),
  'aurelis.cancel': () => import('./commands/usage').then((m) => m.cancelRequests),
  'aurelis.showLog': async () => (parts: EditorParts) => parts.channel.show(),
};

/**
 * Every installed extension can run these commands, and inside one extension host a command's
 * result is handed over as the live object. Only a plain copy (JSON values) leaves Aurelis, so no
 * result can lead back to its internals — a panel, the core, the key store.
 */
export function plainCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return undefined;
  }
}

export function registerCommands(parts: EditorParts): void {
  for (const [id, load] of Object.entries(COMMANDS)) {
    parts.context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => run(parts, id, load, args)),
    );
  }
}

async function run(parts: EditorParts, id: string, load: () => Promise<Handler>, args: unknown[]): Promise<unknown> {
  try {
    // A command run the moment Aurelis starts may come before the first reading of the settings.
    const [loaded] = await Promise.all([load(), parts.settings.ready()]);
    const handler = loaded as (parts: EditorParts, ...args: unknown[]) => unknown;
    return plainCopy(await handler(parts, ...args));
  } catch (e) {
    const again = (choices: { maxTokens?: number }) => () => withRequestChoices({ bypassCache: true, ...choices }, () => run(parts, id, load, args));
    void showError(e, parts.log, {
      retry: again({}),
      ...(isCutOffError(e) ? { retryLarger: again({ maxTokens: largerOutputLimit(e.outputTokens) }) } : {}),
    });
    return undefined;
  }
}
