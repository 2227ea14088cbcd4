/**
 * VS Code's own proxy settings, for the core's provider requests: `http.proxy` (a proxy the
 * user set for the editor) and `http.proxyStrictSSL`. Read for every request, so a change in
 * the settings applies without a reload. With neither set, the editor's own fetch (which
 * follows the system proxy and certificates) carries the requests unchanged.
 */
import * as vscode from 'vscode';

export function editorHttpProxy(): { proxy?: string; strictSSL: boolean } {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<string>('proxy')?.trim();
  return { strictSSL: http.get<boolean>('proxyStrictSSL') ?? true, ...(proxy ? { proxy } : {}) };
}
