import * as vscode from 'vscode';
import { AurelisError, isAurelisError, type NextStep } from '../core/errors';
import type { Logger } from '../core/host';
import { errorMessage } from '../shared/errorMessage';
import { fromAurelis } from './fromAurelis';

/** What the notification can do beyond opening commands and settings. */
export interface ErrorActions {
  /** Runs the same command again (without the cache). */
  retry?: () => unknown;
  /** Runs the same command again asking for a larger output limit (after a cut-off answer). */
  retryLarger?: () => unknown;
}

const STEP_LABELS: Record<NextStep, string> = {
  setApiKey: 'Set API Key',
  selectProvider: 'Select Provider',
  openSettings: 'Open Settings',
  raiseBudget: 'Raise Budget',
  allowOnce: 'Allow Once',
  viewLog: 'View Log',
  retry: 'Retry',
  retryLarger: 'Retry with a Larger Limit',
  chooseModel: 'Choose Model',
};

/** Kinds that are the user's situation rather than a failure: shown as warnings. */
const WARNING_KINDS = new Set<AurelisError['kind']>(['rate_limited', 'budget_exceeded', 'too_large', 'secret_blocked', 'restricted_mode', 'config']);

/**
 * Shows an error from the core as a notification whose buttons are its next steps.
 * A cancellation is the user's own choice and shows nothing. Anything that is not an
 * AurelisError is a bug: it is logged with its stack and shown with "View Log".
 */
export async function showError(error: unknown, log: Logger, actions: ErrorActions = {}): Promise<void> {
  const e = isAurelisError(error)
    ? error
    : new AurelisError('unavailable', `Aurelis ran into an unexpected problem: ${errorMessage(error)}. The log has the details.`, {
        nextSteps: ['viewLog'],
        cause: error,
      });
  if (e.kind === 'cancelled') {
    log.info('Request cancelled.');
    return;
  }
  log.error(isAurelisError(error) ? `${e.kind}: ${e.message}` : (error instanceof Error ? error : e));
  // Allow Once is offered by the budget modal while the request waits; here it could only mislead.
  const steps = e.nextSteps.filter((s) => s !== 'allowOnce' && (s !== 'retry' || actions.retry !== undefined) && (s !== 'retryLarger' || actions.retryLarger !== undefined));
  const message = fromAurelis(`${e.message}${e.partialText ? ' (the part that arrived is kept)' : ''}`);
  const show = WARNING_KINDS.has(e.kind) ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const choice = await show(message, ...steps.map((s) => STEP_LABELS[s]));
  const step = steps.find((s) => STEP_LABELS[s] === choice);
  if (step) await runNextStep(step, e, actions);
}

export async function runNextStep(step: NextStep, error: AurelisError, actions: ErrorActions): Promise<void> {
  switch (step) {
    case 'setApiKey':
      await vscode.commands.executeCommand('aurelis.setApiKey', error.provider);
      return;
    case 'selectProvider':
      await vscode.commands.executeCommand('aurelis.selectProvider');
      return;
    case 'chooseModel':
      await vscode.commands.executeCommand('aurelis.models');
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', settingsQuery(error));
      return;
    case 'raiseBudget':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'aurelis.budgets');
      return;
    case 'viewLog':
      await vscode.commands.executeCommand('aurelis.showLog');
      return;
    case 'retry':
    case 'allowOnce':
      await actions.retry?.();
      return;
    case 'retryLarger':
      await actions.retryLarger?.();
      return;
  }
}

/** The settings most likely to fix an error of this kind. */
function settingsQuery(error: AurelisError): string {
  switch (error.kind) {
    case 'too_large':
      return 'aurelis.security.maxFileKB';
    case 'unknown_model':
      return 'aurelis.models';
    case 'auth':
    case 'unavailable':
    case 'timeout':
      return 'aurelis.endpoints';
    default:
      return 'aurelis';
  }
}
