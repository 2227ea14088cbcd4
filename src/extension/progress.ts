import * as vscode from 'vscode';
import { AurelisError, isAurelisError } from '../core/errors';
import { fromAurelis } from './fromAurelis';

/** What a slow piece of work tells its notification: a line of text, and how far it has come. */
export type ProgressReport = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * Runs `work` under an "Aurelis: <title>" progress notification whose Cancel aborts the signal
 * it is given — the one way Aurelis shows anything slow. Pass `controller` when something else
 * may cancel too (Cancel Running Requests). Work that fails after a cancel rejects with
 * AurelisError 'cancelled' (which shows no error); a 'cancelled' error of its own keeps its words.
 */
export function withCancel<T>(title: string, work: (signal: AbortSignal, progress: ProgressReport) => Promise<T>, controller = new AbortController()): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: fromAurelis(title), cancellable: true }, async (progress, token) => {
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await work(controller.signal, progress);
      } catch (e) {
        if (controller.signal.aborted && !(isAurelisError(e) && e.kind === 'cancelled')) throw new AurelisError('cancelled', 'Cancelled.', { cause: e });
        throw e;
      } finally {
        sub.dispose();
      }
    }),
  );
}
