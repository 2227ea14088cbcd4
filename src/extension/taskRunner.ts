import * as vscode from 'vscode';
import { AurelisError, isAurelisError } from '../core/errors';
import type { Logger } from '../core/host';
import type { Notice } from '../core/pipeline';
import type { RunOptions, TaskRequest, TaskResult } from '../core/types';

/** The part of the orchestrator a command needs to send one request. */
export interface RequestSender {
  run(request: TaskRequest, options?: RunOptions): Promise<TaskResult>;
}

/** Marks a request as running (the status bar spins) and returns the function that ends it. */
export type ActivityTracker = () => () => void;

export interface RunRequestOptions {
  onDelta?: (text: string) => void;
}

/**
 * Runs one model request the way every command does: under a progress notification whose
 * Cancel aborts the network request, with the core's notices shown as they come, and a
 * budget refusal turned into a modal offering "Allow Once" and "Raise Budget".
 */
export class TaskRunner {
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly sender: () => Promise<RequestSender>,
    private readonly activity: ActivityTracker,
    private readonly log: Logger,
  ) {}

  /** Requests in flight right now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Aborts every running request (Aurelis: Cancel Running Requests). Returns how many. */
  cancelAll(): number {
    const count = this.running.size;
    for (const c of this.running) c.abort();
    return count;
  }

  /** Resolves with the result; rejects with an AurelisError (kind 'cancelled' when the user cancelled). */
  run(title: string, request: TaskRequest, options: RunRequestOptions = {}): Promise<TaskResult> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Aurelis: ${title}`, cancellable: true }, async (progress, token) => {
        const controller = new AbortController();
        const onCancel = token.onCancellationRequested(() => controller.abort());
        this.running.add(controller);
        const finished = this.activity();
        try {
          const sender = await this.sender();
          const runOptions: RunOptions = {
            signal: controller.signal,
            onDelta: options.onDelta,
            onNotice: (notice) => this.notice(notice, progress),
          };
          try {
            return await sender.run(request, runOptions);
          } catch (e) {
            if (!isAurelisError(e) || e.kind !== 'budget_exceeded' || request.budgetOverride) throw e;
            if (!(await this.allowOnce(e))) throw new AurelisError('cancelled', 'The request was not sent: it is over budget.', { cause: e });
            this.log.info('Budget override: the user allowed one request over the budget.');
            return await sender.run({ ...request, budgetOverride: true }, runOptions);
          }
        } catch (e) {
          if (controller.signal.aborted && !(isAurelisError(e) && e.kind === 'cancelled')) {
            throw new AurelisError('cancelled', 'Cancelled.', { cause: e });
          }
          throw e;
        } finally {
          onCancel.dispose();
          this.running.delete(controller);
          finished();
        }
      }),
    );
  }

  private notice(notice: Notice, progress: vscode.Progress<{ message?: string }>): void {
    this.log.info(`${notice.kind}: ${notice.message}`);
    progress.report({ message: notice.message });
    if (notice.kind === 'budget_warn' || notice.kind === 'budget_throttle') void vscode.window.showWarningMessage(`Aurelis: ${notice.message}`, 'Open Budget Settings').then(openBudgets);
    else if (notice.kind === 'secret_redacted') void vscode.window.showInformationMessage(`Aurelis: ${notice.message}`);
  }

  private async allowOnce(e: AurelisError): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(
      'Aurelis: this request would go over your budget.',
      { modal: true, detail: `${e.message}\n\n"Allow Once" sends this one request anyway (recorded in the usage ledger and audit log).` },
      'Allow Once',
      'Raise Budget',
    );
    if (choice === 'Raise Budget') await openBudgets('Open Budget Settings');
    return choice === 'Allow Once';
  }
}

async function openBudgets(choice: string | undefined): Promise<void> {
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'aurelis.budgets');
}
