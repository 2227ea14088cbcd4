import * as vscode from 'vscode';
import { AurelisError } from '../core/errors';

/**
 * Runs `work` under a progress notification whose Cancel aborts the signal it is given.
 * A cancelled run rejects with AurelisError 'cancelled' (which shows no error).
 */
export function withCancel<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Aurelis: ${title}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await work(controller.signal, (message) => progress.report({ message }));
      } catch (e) {
        if (controller.signal.aborted) throw new AurelisError('cancelled', 'Cancelled.', { cause: e });
        throw e;
      } finally {
        sub.dispose();
      }
    }),
  );
}
