import * as vscode from 'vscode';
import os from 'node:os';
import path from 'node:path';
import { isPromptFile, parsePromptFile, PromptFileError, type PromptFile } from '../../core/prompts/promptFile';
import { relativePath } from '../editorContext';
import { errorMessage } from '../../shared/errorMessage';

/** Prompt files larger than this are not read (a prompt file is a few kilobytes). */
const MAX_BYTES = 512 * 1024;
const WORKSPACE_PATTERN = '**/*.{prompt.yml,prompt.yaml}';
const EXCLUDE = '**/{node_modules,.git}/**';

/** One prompt file found, read or not. */
export type PromptEntry = { uri: vscode.Uri; prompt: PromptFile } | { uri: vscode.Uri; error: string };

/** The user's own prompt folder: the setting, else `~/.aurelis/prompts`. */
export function userPromptFolder(setting: string): vscode.Uri {
  const folder = setting.trim() === '' ? path.join(os.homedir(), '.aurelis', 'prompts') : setting.replace(/^~(?=$|[\\/])/, os.homedir());
  return vscode.Uri.file(folder);
}

/** Every prompt file in the workspace and the user's folder, workspace ones first, each by name. */
export async function findPromptFiles(userFolderSetting: string): Promise<PromptEntry[]> {
  const inWorkspace = await vscode.workspace.findFiles(WORKSPACE_PATTERN, EXCLUDE, 500);
  const folder = userPromptFolder(userFolderSetting);
  const inUserFolder = await vscode.workspace.fs.readDirectory(folder).then(
    (entries) => entries.filter(([name, type]) => type === vscode.FileType.File && isPromptFile(name)).map(([name]) => vscode.Uri.joinPath(folder, name)),
    () => [],
  );
  const entries = await Promise.all([...inWorkspace.sort((a, b) => a.path.localeCompare(b.path)), ...inUserFolder].map((uri) => readPromptFile(uri)));
  return entries;
}

/** Reads one prompt file (the open document's text when it is open, so unsaved edits count). */
export async function readPromptFile(uri: vscode.Uri): Promise<PromptEntry> {
  const name = promptFileLabel(uri);
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text = open?.getText();
    if (text === undefined) {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_BYTES) return { uri, error: `${name} is larger than ${MAX_BYTES / 1024} KB; a prompt file is expected to be small.` };
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    }
    return { uri, prompt: parsePromptFile(text, name) };
  } catch (e) {
    return { uri, error: e instanceof PromptFileError ? e.message : `${name} could not be read: ${errorMessage(e)}` };
  }
}

/** Workspace-relative for workspace files; `~/…` for the user's folder. */
export function promptFileLabel(uri: vscode.Uri): string {
  if (vscode.workspace.getWorkspaceFolder(uri)) return relativePath(uri);
  const home = os.homedir();
  return uri.fsPath.startsWith(home) ? `~${uri.fsPath.slice(home.length)}` : uri.fsPath;
}
