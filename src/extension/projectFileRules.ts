import * as vscode from 'vscode';
import { PROJECT_FILE } from '../core/instructions/projectFileName';
import type { ProjectFileRules } from '../core/instructions/projectFileRules';
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
    // The YAML parser is loaded only for a workspace that has the file.
    if (text !== undefined) found.push({ file: vscode.Uri.joinPath(folder.uri, PROJECT_FILE), rules: (await import('../core/instructions/projectFileRules')).readProjectFileRules(text) });
  }
  return found;
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
