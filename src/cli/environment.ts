/**
 * What the command line takes from its environment: where its data lives (AURELIS_HOME, by
 * default under the XDG data folder) and the variables a provider's key may come from. Only
 * those variables reach the core, never the whole environment.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { KEY_VARIABLES } from '../core/providers/connection';

/** Ledger, cache, audit log and daily request counts. */
export function aurelisHome(env: Record<string, string | undefined>): string {
  if (env.AURELIS_HOME) return path.resolve(env.AURELIS_HOME);
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'aurelis');
  const data = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(homedir(), '.local', 'share');
  return path.join(data, 'aurelis');
}

/** The key variables that are set, and nothing else from the environment. */
export function keyEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const names = new Set(Object.values(KEY_VARIABLES).flat());
  return Object.fromEntries([...names].filter((n) => env[n] !== undefined).map((n) => [n, env[n]]));
}
