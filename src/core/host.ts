/**
 * What the core needs from whoever hosts it (the VS Code extension, a CLI, a test).
 * Passed in at construction so the core never reaches for editor APIs or globals.
 */

/** Where API keys live. In the extension this is VS Code SecretStorage, one entry per provider. */
export interface KeyStore {
  get(provider: string): Promise<string | undefined>;
  set(provider: string, key: string): Promise<void>;
  delete(provider: string): Promise<void>;
}

/** Milliseconds since the epoch; injectable so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Mirrors the levels of VS Code's LogOutputChannel. Never pass a key or prompt text to it. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** In-memory key store for tests and the CLI. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, string>();
  async get(provider: string): Promise<string | undefined> {
    return this.keys.get(provider);
  }
  async set(provider: string, key: string): Promise<void> {
    this.keys.set(provider, key);
  }
  async delete(provider: string): Promise<void> {
    this.keys.delete(provider);
  }
}
