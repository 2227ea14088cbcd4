import * as vscode from 'vscode';
import { registerCommands } from './commandTable';
import { createEditorParts } from './editorParts';
import { publicApi, type AurelisApi } from './publicApi';

export type { AurelisApi, AurelisTestApi, BudgetStatusView } from './publicApi';

let parts: ReturnType<typeof createEditorParts> | undefined;

export function activate(context: vscode.ExtensionContext): AurelisApi {
  parts = createEditorParts(context);
  registerCommands(parts);
  parts.log.info(`Aurelis ${String(context.extension.packageJSON.version)} activated in ${parts.hostName}.`);
  // Test probes (the key store, panel internals) exist only while VS Code runs Aurelis's tests.
  return publicApi(parts, context.extensionMode === vscode.ExtensionMode.Test);
}

/** VS Code waits for this: it resolves when the daily counts, usage records and audit lines are on disk. */
export function deactivate(): Promise<void> | undefined {
  return parts?.closeCore();
}
