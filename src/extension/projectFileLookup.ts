import * as vscode from 'vscode';
import { NO_RULES, PROJECT_FILE, type ProjectFileRules } from '../core/instructions/projectFileRules';
import type { FolderRules } from './projectFileRules';

/** The rules of the folder a file is in (the first folder's for a file outside every folder). */
export function rulesFor(all: readonly FolderRules[], uri: vscode.Uri | undefined): ProjectFileRules {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) return NO_RULES;
  return all.find((r) => r.file.toString() === vscode.Uri.joinPath(folder.uri, PROJECT_FILE).toString())?.rules ?? NO_RULES;
}
