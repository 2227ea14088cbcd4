/**
 * What the project adds to a request, loaded with the first request: its instruction files
 * (found for the file the request is about, fitted to the allowance) and its `.aurelis.yaml`
 * standards. See ProjectInstructions (projectInstructions.ts) for the rules.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { fitInstructions } from '../core/instructions/instructionAllowance';
import { findInstructions } from '../core/instructions/instructionFiles';
import { withStandards } from '../core/instructions/teamStandards';
import type { TaskRequest } from '../core/types';
import { folderFiles } from './projectFiles';
import { rulesFor } from './projectFileLookup';
import type { PreparedRequest } from './projectInstructions';
import type { SettingsReader } from './settingsReader';

export async function prepareRequest(settings: SettingsReader, log: Logger, request: TaskRequest, document: vscode.Uri | undefined): Promise<PreparedRequest> {
  const folder = (document && vscode.workspace.getWorkspaceFolder(document)) ?? vscode.workspace.workspaceFolders?.[0];
  const trusted = vscode.workspace.isTrusted;
  const standards = trusted ? rulesFor(settings.projectFileRules, document).standards : {};
  const prepared = withStandards(request, standards);
  const options = settings.settings.instructions;
  if (!folder || !options.enabled) return { request: prepared };
  const inFolder = document && vscode.workspace.getWorkspaceFolder(document)?.uri.toString() === folder.uri.toString();
  const found = await findInstructions(folderFiles(folder.uri), inFolder ? pathInFolder(folder, document) : undefined);
  for (const problem of found.problems) log.warn(`Project instructions: ${problem}`);
  if (found.files.length === 0) return { request: prepared };
  const fitted = fitInstructions(found.files, options.maxTokens);
  if (fitted.cut !== undefined || fitted.omitted.length > 0) {
    log.info(
      `Project instructions are over aurelis.instructions.maxTokens (${options.maxTokens}): ${fitted.cut ? `${fitted.cut} was cut` : ''}${fitted.cut && fitted.omitted.length ? '; ' : ''}${fitted.omitted.length ? `left out: ${fitted.omitted.join(', ')}` : ''}.`,
    );
  }
  return { request: prepared, instructions: fitted };
}

function pathInFolder(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path.split('/').pop() ?? uri.path;
}
