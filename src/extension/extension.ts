import type * as vscode from 'vscode';
import { registerCommands } from './commandTable';
import { createEditorParts } from './editorParts';
import { publicApi, type AurelisApi } from './publicApi';

export type { AurelisApi } from './publicApi';

export function activate(context: vscode.ExtensionContext): AurelisApi {
  const parts = createEditorParts(context);
  registerCommands(parts);
  parts.log.info(`Aurelis ${String(context.extension.packageJSON.version)} activated in ${parts.hostName}.`);
  return publicApi(parts);
}

export function deactivate(): void {}
