// Where the host-test tools live. One place, so the installer and the runners agree.
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest code-server whose install accepts Node 20; it embeds VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** AURELIS_CACHE_DIR moves the cache (default ~/.cache/aurelis); it always lives outside the repository. */
export function cacheRoot() {
  return path.resolve(process.env.AURELIS_CACHE_DIR || path.join(homedir(), '.cache', 'aurelis'));
}

export function codeServerDir() {
  return path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerEntry(dir = codeServerDir()) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** AURELIS_CHROMIUM picks another Chromium build; Debian's is the default. */
export function chromiumPath() {
  return process.env.AURELIS_CHROMIUM || '/usr/bin/chromium';
}
