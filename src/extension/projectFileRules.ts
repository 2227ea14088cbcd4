import * as vscode from 'vscode';
import { NO_RULES, PROJECT_FILE, readProjectFileRules, type ProjectFileRules } from '../core/instructions/projectFileRules';
import { folderFiles } from './projectFiles';

/** One folder's `.aurelis.yaml` rules, with the file they came from. */
export interface FolderRules {
  file: vscode.Uri;
  rules: ProjectFileRules;
}

/** The `.aurelis.yaml` at the root of each workspace folder that has one. */
export async function readWorkspaceProjectFiles(): Promise<FolderRules[]> {
  const found: FolderRules[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const text = await folderFiles(folder.uri).read(PROJECT_FILE);
    if (text !== undefined) found.push({ file: vscode.Uri.joinPath(folder.uri, PROJECT_FILE), rules: readProjectFileRules(text) });
  }
  return found;
}

/** The rules of the folder a file is in (the first folder's for a file outside every folder). */
export function rulesFor(all: readonly FolderRules[], uri: vscode.Uri | undefined): ProjectFileRules {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) return NO_RULES;
  return all.find((r) => r.file.toString() === vscode.Uri.joinPath(folder.uri, PROJECT_FILE).toString())?.rules ?? NO_RULES;
}

export function watchProjectFiles(onChange: () => void): vscode.Disposable {
  const watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, PROJECT_FILE)));
  for (const w of watchers) {
    w.onDidCreate(onChange);
    w.onDidChange(onChange);
    w.onDidDelete(onChange);
  }
  return vscode.Disposable.from(...watchers);
}
