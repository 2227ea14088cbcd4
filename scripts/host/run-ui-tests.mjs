// Runs the UI end-to-end tests (test/ui/**/*.test.ts): starts code-server with the extension loaded
// from this folder and a Chromium that the tests attach to, then runs mocha, which drives the
// workbench with Playwright. Screenshots go to test-results/screenshots/. Exits with mocha's code,
// or non-zero when the host does not start or the tests overrun AURELIS_UI_TIMEOUT_MS.
//
// Environment: AURELIS_WORKSPACE_TRUST=on (Restricted Mode), AURELIS_CODE_SERVER_ENTRY,
// AURELIS_UI_TIMEOUT_MS (default 600000), AURELIS_UI_GREP (a subset by title), AURELIS_RESULT_FILE (counts for scripts/test.mjs).
import { spawnSync } from 'node:child_process';
import { ensureCodeServer } from './ensure-code-server.mjs';
import { HostSession, envMs } from './workbench.mjs';
import { repoRoot } from './paths.mjs';
import { runMocha } from './mocha-child.mjs';

const UI_TIMEOUT_MS = 600_000;

function log(message) {
  console.log(`[ui] ${message}`);
}

async function main() {
  const started = Date.now();
  const entry = process.env.AURELIS_CODE_SERVER_ENTRY || (await ensureCodeServer());
  log(`VS Code: ${(await HostSession.versionOf(entry)) || `unknown (${entry} did not answer --version)`}`);
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed.');

  let session;
  try {
    session = await HostSession.start({ entry, label: 'ui', trust: process.env.AURELIS_WORKSPACE_TRUST !== 'on' }).catch((e) => {
      throw new Error(`the host did not start: ${e.message}`);
    });
    log(`code-server on ${session.origin}`);
    const wsEndpoint = await session.launchBrowserServer();
    const code = await runMocha(
      'test/ui/.mocharc.json',
      {
        AURELIS_UI_BROWSER_WS: wsEndpoint,
        AURELIS_UI_WORKBENCH_URL: session.workbenchUrl({ extensionDevelopmentPath: repoRoot }),
        AURELIS_USER_DATA_DIR: session.userDataDir,
        AURELIS_UI_WORKSPACE: session.workspace,
      },
      envMs('AURELIS_UI_TIMEOUT_MS', UI_TIMEOUT_MS),
      // AURELIS_UI_GREP runs only the tests whose full title matches (for working on one test).
      process.env.AURELIS_UI_GREP ? ['--grep', process.env.AURELIS_UI_GREP] : [],
    );
    log(`UI layer took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test-results/screenshots/`);
    return code;
  } finally {
    await session?.stop();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`\n✗ UI tests: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
