import * as vscode from 'vscode';
import type { KeyStore, Logger } from '../core/host';
import type { ProviderId } from '../core/types';
import { PROVIDER_LABELS } from './providerLabels';

/** Providers that run on this machine and take no key. */
const KEYLESS: ReadonlySet<ProviderId> = new Set(['ollama', 'lmstudio']);

export function activeProvider(): ProviderId {
  return vscode.workspace.getConfiguration('aurelis').get<ProviderId>('provider', 'openai');
}

/** Aurelis: Set API Key — masked input, stored in SecretStorage under the active provider. */
export async function setApiKey(keys: KeyStore, log: Logger, provider: ProviderId = activeProvider()): Promise<boolean> {
  const label = PROVIDER_LABELS[provider];
  if (KEYLESS.has(provider)) {
    void vscode.window.showInformationMessage(`${label} runs on this machine and needs no API key.`);
    return false;
  }
  const key = await vscode.window.showInputBox({
    title: `Aurelis: API key for ${label}`,
    prompt: `Paste your ${label} API key. It is kept in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length === 0 ? 'The key cannot be empty.' : v.trim() !== v ? 'Remove the spaces around the key.' : undefined),
  });
  if (key === undefined) return false;
  await keys.set(provider, key);
  log.info(`API key for ${label} saved to secret storage.`);
  void vscode.window.showInformationMessage(`Aurelis: API key for ${label} saved.`);
  return true;
}

/** Aurelis: Clear API Key — removes the active provider's key from SecretStorage. */
export async function clearApiKey(keys: KeyStore, log: Logger, provider: ProviderId = activeProvider()): Promise<boolean> {
  const label = PROVIDER_LABELS[provider];
  if ((await keys.get(provider)) === undefined) {
    void vscode.window.showInformationMessage(`Aurelis: no API key is stored for ${label}.`);
    return false;
  }
  await keys.delete(provider);
  log.info(`API key for ${label} removed from secret storage.`);
  void vscode.window.showInformationMessage(`Aurelis: API key for ${label} removed.`);
  return true;
}
