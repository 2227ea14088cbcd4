import * as vscode from 'vscode';
import type { ProjectFiles } from '../core/instructions/projectFiles';

/** Instruction and project files larger than this are not read (they are meant to be short). */
const MAX_BYTES = 256 * 1024;

/** The core's view of one workspace folder's files, through VS Code's file system (remote folders too). */
export function folderFiles(root: vscode.Uri): ProjectFiles {
  return {
    read: (relativePath) => readSmallFile(vscode.Uri.joinPath(root, ...relativePath.split('/')), MAX_BYTES),
    async list(relativeFolder) {
      try {
        const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root, ...relativeFolder.split('/')));
        return entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
      } catch {
        return [];
      }
    },
  };
}

/** A text file's content, or undefined when it is missing, not a file, or larger than `maxBytes`. */
export async function readSmallFile(uri: vscode.Uri, maxBytes: number): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type !== vscode.FileType.File || stat.size > maxBytes) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
