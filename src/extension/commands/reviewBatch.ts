/**
 * Aurelis: Review Changes and Aurelis: Review Folder… — the command line's batch review
 * (src/core/review) in the editor: every file's findings in the Problems panel, one Markdown
 * report beside the editor, and a progress notification with Cancel and a running count.
 */
import * as vscode from 'vscode';
import path from 'node:path';
import { AurelisError } from '../../core/errors';
import { reviewFiles, type BatchReviewReport } from '../../core/review/batchReview';
import { markdownReport } from '../../core/review/formats/markdownReport';
import { countsText, plural } from '../../core/review/formats/summary';
import { reviewInputLimit } from '../../core/review/inputLimit';
import { reviewInputs, type ReviewSelection } from '../../core/review/reviewSelection';
import type { EditorParts } from '../editorParts';
import { withCancel } from '../progress';
import { errorMessage } from '../../shared/errorMessage';

export interface BatchReviewOutcome {
  files: number;
  findings: number;
  /** Files that could not be reviewed (provider failure, budget, cancel). */
  notReviewed: number;
  reportUri?: string;
}

const WORKING_TREE = 'Changes in the working tree';
const STAGED = 'Staged changes';

/** Reviews the changed lines (working tree or staged, against HEAD) of the workspace's repository. */
export async function reviewChanges(parts: EditorParts, options?: { staged?: boolean }): Promise<BatchReviewOutcome | undefined> {
  const folder = await chooseWorkspaceFolder();
  if (!folder) return undefined;
  let staged = options?.staged;
  if (staged === undefined) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: WORKING_TREE, description: 'against HEAD, with new files' },
        { label: STAGED, description: 'what the next commit holds' },
      ],
      { title: 'Aurelis: Review Changes', placeHolder: 'Which changes?' },
    );
    if (!choice) return undefined;
    staged = choice.label === STAGED;
  }
  return runReview(parts, 'aurelis.reviewChanges', staged ? 'staged changes' : 'changes', { paths: [], ...(staged ? { staged: true } : { changed: 'HEAD' }) }, folder.uri.fsPath);
}

/** Reviews every file of a folder (git's ignore rules apply in a repository). */
export async function reviewFolder(parts: EditorParts, target?: vscode.Uri): Promise<BatchReviewOutcome | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder =
    target ??
    (
      await vscode.window.showOpenDialog({
        title: 'Aurelis: Review Folder',
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        openLabel: 'Review',
        ...(workspace ? { defaultUri: workspace } : {}),
      })
    )?.[0];
  if (!folder) return undefined;
  const root = vscode.workspace.getWorkspaceFolder(folder)?.uri.fsPath ?? folder.fsPath;
  return runReview(parts, 'aurelis.reviewFolder', path.basename(folder.fsPath), { paths: [folder.fsPath] }, root);
}

async function runReview(parts: EditorParts, command: string, what: string, selection: ReviewSelection, root: string): Promise<BatchReviewOutcome> {
  const settings = parts.settings.settings;
  const inputs = await reviewInputs(selection, root, root, settings.security.maxFileKB);
  for (const s of inputs.skipped) parts.log.info(`Review of ${what}: skipped ${s.path}: ${s.reason}.`);
  if (inputs.files.length === 0) {
    void vscode.window.showInformationMessage(`Aurelis: there are no ${selection.staged || selection.changed ? what : 'files'} to review.`);
    return { files: 0, findings: 0, notReviewed: 0 };
  }
  const title = `Review of ${what}`;
  await parts.runner.confirmBatch(title, command);
  const core = await parts.core();
  const inputLimit = await reviewInputLimit(core.models, settings, (e) => parts.log.debug(`No model list for the input limit: ${errorMessage(e)}`));
  const finished = parts.status.started();
  let report: BatchReviewReport;
  try {
    report = await withCancel(`Reviewing ${plural(inputs.files.length, 'file')}`, (signal, progress) =>
      reviewFiles(core.models, inputs.files, {
        ...(inputLimit === undefined ? {} : { inputLimit }),
        signal,
        onNotice: (notice) => parts.log.info(`${notice.kind}: ${notice.message}`),
        onFile: (_file, p) => progress.report({ increment: 100 / p.files, message: `${p.filesDone}/${p.files} files · ${plural(p.findings, 'finding')}` }),
        prepare: (request, file) => parts.runner.prepareForBatch(request, vscode.Uri.file(path.join(inputs.root, file))),
      }),
    );
  } finally {
    finished();
  }
  await showFindings(parts, inputs.root, report);
  const uri = parts.views.create(title);
  parts.views.set(uri, markdownReport(report).replace(/^## Aurelis review$/m, `# ${title}`), true);
  await parts.views.show(uri);
  return summarize(parts, what, report, uri.toString());
}

/** Each reviewed file's findings replace its previous ones in the Problems panel. */
async function showFindings(parts: EditorParts, root: string, report: BatchReviewReport): Promise<void> {
  for (const file of report.files) {
    if (file.errors.length > 0 && file.findings.length === 0) continue;
    const uri = vscode.Uri.file(path.join(root, ...file.path.split('/')));
    if (file.findings.length === 0) parts.findings.clear(uri);
    else parts.findings.set(await vscode.workspace.openTextDocument(uri), file.findings);
  }
}

function summarize(parts: EditorParts, what: string, report: BatchReviewReport, reportUri: string): BatchReviewOutcome {
  const findings = report.files.reduce((n, f) => n + f.findings.length, 0);
  const failed = report.files.filter((f) => f.errors.length > 0);
  const outcome = { files: report.files.length, findings, notReviewed: failed.length, reportUri };
  const firstError = failed[0]?.errors[0];
  if (firstError?.kind === 'cancelled') {
    void vscode.window.showInformationMessage(`Aurelis: review cancelled; ${report.files.length - failed.length} of ${plural(report.files.length, 'file')} were reviewed (${countsText(report)}).`);
  } else if (firstError) {
    parts.log.warn(`Review of ${what}: ${plural(failed.length, 'file')} could not be reviewed: ${firstError.message}`);
    void vscode.window.showWarningMessage(`Aurelis: ${plural(failed.length, 'file')} of the ${what} could not be reviewed: ${firstError.message}`, 'Show Log').then((c) => c && parts.channel.show());
  } else {
    void vscode.window.showInformationMessage(`Aurelis reviewed ${plural(report.files.length, 'file')} of the ${what}: ${countsText(report)}${findings > 0 ? '; see the Problems panel' : ''}.`);
  }
  return outcome;
}

async function chooseWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new AurelisError('config', 'Review Changes needs a folder that is a git repository: open one and try again.', { nextSteps: [] });
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Review the changes of which folder?' });
}
