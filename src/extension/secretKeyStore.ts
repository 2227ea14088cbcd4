import type * as vscode from 'vscode';
import type { KeyStore } from '../core/host';

/** API keys in VS Code SecretStorage (the OS keychain), one entry per provider. */
export class SecretKeyStore implements KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  static keyName(provider: string): string {
    return `aurelis.apiKey.${provider}`;
  }

  get(provider: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(SecretKeyStore.keyName(provider)));
  }
  set(provider: string, key: string): Promise<void> {
    return Promise.resolve(this.secrets.store(SecretKeyStore.keyName(provider), key));
  }
  delete(provider: string): Promise<void> {
    return Promise.resolve(this.secrets.delete(SecretKeyStore.keyName(provider)));
  }
}
