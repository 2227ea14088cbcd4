import * as vscode from 'vscode';

/**
 * The `aurelis.*` settings a workspace's own files set. VS Code drops application-scoped values
 * of a workspace from `inspect()` — they never apply, which is right — but then nothing would
 * tell the user that a repository tried to set where their keys go or what prices are; reading
 * the files lets Aurelis name those attempts too.
 */
export async function aurelisSettingsInWorkspaceFiles(): Promise<Set<string>> {
  const found = new Set<string>();
  const collect = (settings: unknown) => {
    if (typeof settings !== 'object' || settings === null) return;
    for (const [name, value] of Object.entries(settings)) if (name.startsWith('aurelis.') && value !== undefined) found.add(name);
  };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    collect(await readJsonc(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
  }
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') collect(((await readJsonc(workspaceFile)) as { settings?: unknown } | undefined)?.settings);
  return found;
}

/** Watches the files `aurelisSettingsInWorkspaceFiles` reads. */
export function watchWorkspaceSettingsFiles(onChange: () => void): vscode.Disposable {
  const watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.vscode/settings.json')));
  for (const w of watchers) {
    w.onDidCreate(onChange);
    w.onDidChange(onChange);
    w.onDidDelete(onChange);
  }
  return vscode.Disposable.from(...watchers);
}

/** A settings file as VS Code reads it (comments and trailing commas allowed); undefined when it is missing or unreadable. */
async function readJsonc(uri: vscode.Uri): Promise<unknown> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    // Loaded only for a workspace that has settings files. The ESM build: the UMD one requires its parts at run time, which a bundle cannot resolve.
    const { parse } = await import('jsonc-parser/lib/esm/main.js');
    return parse(text, [], { allowTrailingComma: true }) as unknown;
  } catch {
    return undefined;
  }
}
