import * as vscode from 'vscode';
import { SecretKeyStore } from './secretKeyStore';
import { channelLogger } from './log';
import { clearApiKey, setApiKey } from './keyCommands';

/** What tests (and other extensions) can reach through `extension.exports`. */
export interface AurelisApi {
  readonly keys: SecretKeyStore;
}

export function activate(context: vscode.ExtensionContext): AurelisApi {
  const channel = vscode.window.createOutputChannel('Aurelis', { log: true });
  const log = channelLogger(channel);
  const keys = new SecretKeyStore(context.secrets);

  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand('aurelis.setApiKey', () => setApiKey(keys, log)),
    vscode.commands.registerCommand('aurelis.clearApiKey', () => clearApiKey(keys, log)),
    vscode.commands.registerCommand('aurelis.showLog', () => channel.show()),
  );
  log.info(`Aurelis ${String(context.extension.packageJSON.version)} activated in ${vscode.env.appName} ${vscode.version}.`);
  return { keys };
}

export function deactivate(): void {}
