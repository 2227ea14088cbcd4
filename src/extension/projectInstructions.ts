import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { fitInstructions, type FittedInstructions } from '../core/instructions/instructionAllowance';
import { findInstructions } from '../core/instructions/instructionFiles';
import { withStandards } from '../core/instructions/teamStandards';
import type { TaskRequest } from '../core/types';
import { relativePath } from './editorContext';
import { folderFiles } from './projectFiles';
import { rulesFor } from './projectFileRules';
import type { SettingsReader } from './settingsReader';

/** A request with the team's standards applied, and the project instructions that may go with it. */
export interface PreparedRequest {
  request: TaskRequest;
  /** Undefined when instructions are off or the project has none. */
  instructions?: FittedInstructions;
}

/**
 * What the project adds to a request: its instruction files (AGENTS.md and GitHub's Copilot
 * files, found for the file the request is about) and its `.aurelis.yaml` standards. Restricted
 * Mode: the standards are not used (nothing of an untrusted workspace's configuration is), and the
 * instructions go only when the user says so (TaskRunner asks).
 */
export class ProjectInstructions {
  constructor(
    private readonly settings: SettingsReader,
    private readonly log: Logger,
  ) {}

  async prepare(request: TaskRequest, document: vscode.Uri | undefined): Promise<PreparedRequest> {
    const folder = (document && vscode.workspace.getWorkspaceFolder(document)) ?? vscode.workspace.workspaceFolders?.[0];
    const trusted = vscode.workspace.isTrusted;
    const standards = trusted ? rulesFor(this.settings.projectFileRules, document).standards : {};
    const prepared = withStandards(request, standards);
    const options = this.settings.settings.instructions;
    if (!folder || !options.enabled) return { request: prepared };
    const inFolder = document && vscode.workspace.getWorkspaceFolder(document)?.uri.toString() === folder.uri.toString();
    const found = await findInstructions(folderFiles(folder.uri), inFolder ? pathInFolder(folder, document) : undefined);
    for (const problem of found.problems) this.log.warn(`Project instructions: ${problem}`);
    if (found.files.length === 0) return { request: prepared };
    const fitted = fitInstructions(found.files, options.maxTokens);
    if (fitted.cut !== undefined || fitted.omitted.length > 0) {
      this.log.info(
        `Project instructions are over aurelis.instructions.maxTokens (${options.maxTokens}): ${fitted.cut ? `${fitted.cut} was cut` : ''}${fitted.cut && fitted.omitted.length ? '; ' : ''}${fitted.omitted.length ? `left out: ${fitted.omitted.join(', ')}` : ''}.`,
      );
    }
    return { request: prepared, instructions: fitted };
  }
}

/** The file a request is about, when it is the active editor's (request builders record it as `metadata.file`). */
export function documentOf(request: TaskRequest): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  const file = request.metadata?.file;
  if (!doc || file === undefined) return undefined;
  return relativePath(doc.uri) === file ? doc.uri : undefined;
}

/** How the footer and the Restricted Mode question name what went with a request. */
export function instructionNames(fitted: FittedInstructions | undefined): string[] {
  return (fitted?.files ?? []).map((f) => (f.path === fitted?.cut ? `${f.path} (cut to fit)` : f.path));
}

function pathInFolder(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path.split('/').pop() ?? uri.path;
}
