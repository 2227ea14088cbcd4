import * as vscode from 'vscode';
import { AurelisError, isAurelisError } from '../core/errors';
import type { Logger } from '../core/host';
import type { Notice } from '../core/pipeline';
import { withInstructions } from '../core/instructions/projectInstructions';
import type { SecurityEventSink } from '../core/audit/auditEvents';
import { documentOf, instructionNames, type PreparedRequest } from './projectInstructions';
import { recordSecurityEvent } from './securityEvents';
import { withCancel, type ProgressReport } from './progress';
import { requestChoices } from './requestChoices';
import type { AnswerCheck, RunOptions, SentRedactions, TaskRequest, TaskResult, TaskType } from '../core/types';
import { fromAurelis } from './fromAurelis';

/** The part of the orchestrator a command needs to send one request. */
export interface RequestSender {
  run(request: TaskRequest, options?: RunOptions): Promise<TaskResult>;
}

/** Marks a request as running (the status bar spins) and returns the function that ends it. */
export type ActivityTracker = () => () => void;

export interface RunRequestOptions {
  onDelta?: (text: string) => void;
  /** Whether the command can use an answer; only usable answers are cached (see RunOptions.usable). */
  usable?: AnswerCheck;
  /** When secrets were redacted: their placeholders, to put the values back into an edit. */
  onRedactions?: (redactions: SentRedactions) => void;
  /** The file the request is about, for its project instructions (default: the active editor's, when the request names it). */
  document?: vscode.Uri;
}

/** A result, and the instruction files that went with the request (for the footer). */
export type RunnerResult = TaskResult & { instructions?: string[] };

export interface TaskRunnerDeps {
  sender: () => Promise<RequestSender>;
  activity: ActivityTracker;
  log: Logger;
  /** Where Restricted Mode refusals are recorded (the audit log). */
  security: () => Promise<SecurityEventSink>;
  /** The active provider's name, for the Restricted Mode question. */
  providerLabel: () => string;
  /** The team's standards and the project's instructions for a request. */
  prepare: (request: TaskRequest, document: vscode.Uri | undefined) => Promise<PreparedRequest>;
}

/** The command a task's request comes from, as the audit log names it. */
const COMMAND_OF_TASK: Record<TaskType, string> = {
  generate: 'aurelis.generate',
  review: 'aurelis.review',
  explain: 'aurelis.explain',
  optimize: 'aurelis.optimize',
  document: 'aurelis.document',
  test: 'aurelis.generateTests',
  fix: 'aurelis.fix',
  prompt: 'aurelis.runPrompt',
};

const SEND_WITH_INSTRUCTIONS = 'Send With Instructions';

/**
 * Runs one model request the way every command does: under a progress notification whose
 * Cancel aborts the network request, with the core's notices shown as they come, and a
 * budget refusal turned into a modal offering "Allow Once" and "Raise Budget". In Restricted
 * Mode nothing from the workspace is sent until the user says so for this request.
 */
export class TaskRunner {
  private readonly running = new Set<AbortController>();
  private readonly log: Logger;

  constructor(private readonly deps: TaskRunnerDeps) {
    this.log = deps.log;
  }

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

  /**
   * Restricted Mode, for work that sends many requests at once (Review Changes, Review Folder):
   * asks once for the whole batch. Throws 'cancelled' when the user does not agree.
   */
  async confirmBatch(title: string, command: string): Promise<void> {
    if (!vscode.workspace.isTrusted) await this.confirmUntrusted(title, command);
  }

  /**
   * A batch piece's request as the project asks it to be sent: its `.aurelis.yaml` standards, and
   * its instruction files when the workspace is trusted (in Restricted Mode the batch's one
   * question sends code, not the repository's instructions).
   */
  async prepareForBatch(request: TaskRequest, document: vscode.Uri): Promise<TaskRequest> {
    const prepared = await this.deps.prepare(request, document);
    return vscode.workspace.isTrusted && prepared.instructions ? withInstructions(prepared.request, prepared.instructions) : prepared.request;
  }

  /**
   * Resolves with the result; rejects with an AurelisError (kind 'cancelled' when the user cancelled).
   * Regenerate and Retry (see requestChoices) skip the cache or ask for a larger output limit.
   */
  async run(title: string, request: TaskRequest, options: RunRequestOptions = {}): Promise<RunnerResult> {
    const prepared = await this.deps.prepare(request, options.document ?? documentOf(request));
    const names = instructionNames(prepared.instructions);
    const include = vscode.workspace.isTrusted || (await this.confirmUntrusted(title, COMMAND_OF_TASK[request.task], names));
    const sent = include && prepared.instructions ? withInstructions(prepared.request, prepared.instructions) : prepared.request;
    const choices = requestChoices();
    const chosen: TaskRequest = {
      ...sent,
      ...(choices.bypassCache ? { bypassCache: true } : {}),
      ...(choices.maxTokens === undefined ? {} : { maxTokens: choices.maxTokens }),
    };
    if (choices.bypassCache) this.log.info(`${title.replace(/…$/, '')}: asking the model afresh (the cache is skipped).`);
    const result = await this.send(title, chosen, options);
    return include && names.length > 0 ? { ...result, instructions: names } : result;
  }

  /**
   * Many requests as one piece of work (Evaluate Prompt): Restricted Mode asks once, one progress
   * notification counts them and its Cancel aborts them all. No project instructions go with
   * them: an evaluation measures the prompt file as written.
   */
  async runMany<T>(title: string, first: TaskRequest, work: (sender: RequestSender, options: RunOptions, progress: (message: string) => void) => Promise<T>): Promise<T> {
    if (!vscode.workspace.isTrusted) await this.confirmUntrusted(title, COMMAND_OF_TASK[first.task]);
    return this.underProgress(title, (sender, options, progress) => work(sender, options, (message) => progress.report({ message })));
  }

  private send(title: string, request: TaskRequest, options: RunRequestOptions): Promise<TaskResult> {
    return this.underProgress(title, async (sender, base, progress) => {
      const received = receivedCounter(progress);
      const runOptions: RunOptions = {
        ...base,
        onDelta: (text) => {
          received(text);
          options.onDelta?.(text);
        },
        ...(options.usable ? { usable: options.usable } : {}),
        ...(options.onRedactions ? { onRedactions: options.onRedactions } : {}),
      };
      try {
        return await sender.run(request, runOptions);
      } catch (e) {
        if (!isAurelisError(e) || e.kind !== 'budget_exceeded' || request.budgetOverride) throw e;
        if (!(await this.allowOnce(e))) throw new AurelisError('cancelled', 'The request was not sent: it is over budget.', { cause: e });
        this.log.info('Budget override: the user allowed one request over the budget.');
        return await sender.run({ ...request, budgetOverride: true }, runOptions);
      }
    });
  }

  /** A progress notification whose Cancel aborts the work, with the status bar showing it runs. */
  private async underProgress<T>(title: string, work: (sender: RequestSender, options: RunOptions, progress: ProgressReport) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.add(controller);
    const finished = this.deps.activity();
    try {
      return await withCancel(
        title,
        async (signal, progress) => work(await this.deps.sender(), { signal, onNotice: (notice) => this.notice(notice, progress) }, progress),
        controller,
      );
    } finally {
      this.running.delete(controller);
      finished();
    }
  }

  /**
   * Restricted Mode: the workspace's authors are not trusted, so its code leaves the machine only
   * when the user says so for this request. A refusal is recorded in the audit log. The project's
   * instruction files are the untrusted authors' words steering the model, so they are named and
   * go only with "Send With Instructions". Resolves with whether they go.
   */
  private async confirmUntrusted(title: string, command: string, instructions: readonly string[] = []): Promise<boolean> {
    const provider = this.deps.providerLabel();
    const withThem = instructions.length > 0 ? [SEND_WITH_INSTRUCTIONS] : [];
    const about =
      instructions.length > 0
        ? `\n\nThis workspace has project instructions (${instructions.join(', ')}). "Send This Time" leaves them out; "${SEND_WITH_INSTRUCTIONS}" sends them with the code.`
        : '';
    const choice = await vscode.window.showWarningMessage(
      `Aurelis: this workspace is in Restricted Mode. Send its code to ${provider}?`,
      {
        modal: true,
        detail: `"${title.replace(/…$/, '')}" sends code from this workspace to ${provider}. You have not trusted this folder's authors, so Aurelis asks first each time (and reads only your user settings).\n\n"Send This Time" sends this one request; "Manage Workspace Trust" lets you trust the folder.${about}`,
      },
      'Send This Time',
      ...withThem,
      'Manage Workspace Trust',
    );
    if (choice === 'Send This Time') return false;
    if (choice === SEND_WITH_INSTRUCTIONS) return true;
    const reason = choice === 'Manage Workspace Trust' ? 'The user opened Manage Workspace Trust instead of sending.' : 'The user chose not to send code from a workspace in Restricted Mode.';
    this.log.info(`Restricted Mode: ${command} was not sent. ${reason}`);
    await recordSecurityEvent(this.deps.security, this.log, { type: 'restricted_mode_refusal', command, reason });
    if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    throw new AurelisError('cancelled', 'Not sent: the workspace is in Restricted Mode.');
  }

  private notice(notice: Notice, progress: ProgressReport): void {
    this.log.info(`${notice.kind}: ${notice.message}`);
    progress.report({ message: notice.message });
    if (notice.kind === 'budget_warn' || notice.kind === 'budget_throttle') void vscode.window.showWarningMessage(fromAurelis(notice.message), 'Open Budget Settings').then(openBudgets);
    else if (notice.kind === 'secret_redacted') void vscode.window.showInformationMessage(fromAurelis(notice.message));
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

/**
 * Reports how much of a streamed answer has arrived ("1.2k characters received"), so a long
 * answer shows progress rather than only a spinner. Reported when the shown figure changes.
 */
function receivedCounter(progress: ProgressReport): (text: string) => void {
  let count = 0;
  let shown = '';
  return (text) => {
    count += text.length;
    const label = `${formatCount(count)} characters received`;
    if (label === shown) return;
    shown = label;
    progress.report({ message: label });
  };
}

/** 950, 1.2k, 12k: precise enough to see it grow, short enough for a notification. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(Math.floor(n / 100) / 10).toFixed(1)}k`;
  return `${Math.floor(n / 1000)}k`;
}

async function openBudgets(choice: string | undefined): Promise<void> {
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'aurelis.budgets');
}
