// Runs the packaged-extension tests (test/packaged/**/*.test.ts): packages Aurelis into a .vsix the
// way `npm run package` does, installs it into code-server with --install-extension as a user
// would, loads a second extension (test/fixtures/other-extension) beside it, and drives the
// workbench with Playwright. Nothing is loaded from the source folder but that second extension,
// so Aurelis runs in Production mode, exactly as users get it. Restores the development build
// afterwards. Exits with mocha's code.
//
// Environment: AURELIS_CODE_SERVER_ENTRY, AURELIS_UI_TIMEOUT_MS (default 600000),
// AURELIS_RESULT_FILE (counts for scripts/test.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './ensure-code-server.mjs';
import { HostSession, envMs } from './workbench.mjs';
import { repoRoot } from './paths.mjs';
import { runMocha } from './mocha-child.mjs';

function log(message) {
  console.log(`[packaged] ${message}`);
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}).`);
}

/** The production bundle packaged into a .vsix in `dir` (what `npm run package` ships). */
function packageVsix(dir) {
  const vsix = path.join(dir, 'aurelis.vsix');
  run(process.execPath, ['esbuild.mjs', '--production']);
  try {
    run(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix]);
  } finally {
    // The host and UI layers, and a developer's F5, use the development build.
    run(process.execPath, ['esbuild.mjs']);
  }
  log(`packaged ${path.basename(vsix)}: ${statSync(vsix).size} bytes`);
  return vsix;
}

async function main() {
  const started = Date.now();
  const entry = process.env.AURELIS_CODE_SERVER_ENTRY || (await ensureCodeServer());
  const work = mkdtempSync(path.join(tmpdir(), 'aurelis-packaged-'));
  let session;
  try {
    const vsix = packageVsix(work);
    const probeFile = path.join(work, 'probe.json');
    session = await HostSession.start({ entry, label: 'packaged', install: [vsix], env: { AURELIS_PROBE_FILE: probeFile } }).catch((e) => {
      throw new Error(`the host did not start: ${e.message}`);
    });
    log(`code-server on ${session.origin} with ${path.basename(vsix)} installed`);
    const wsEndpoint = await session.launchBrowserServer();
    const code = await runMocha(
      'test/packaged/.mocharc.json',
      {
        AURELIS_UI_BROWSER_WS: wsEndpoint,
        AURELIS_UI_WORKBENCH_URL: session.workbenchUrl({ extensionDevelopmentPath: path.join(repoRoot, 'test', 'fixtures', 'other-extension') }),
        AURELIS_USER_DATA_DIR: session.userDataDir,
        AURELIS_UI_WORKSPACE: session.workspace,
        AURELIS_EXTENSIONS_DIR: session.extensionsDir,
        AURELIS_PROBE_FILE: probeFile,
      },
      envMs('AURELIS_UI_TIMEOUT_MS', 600_000),
    );
    log(`packaged layer took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } finally {
    await session?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`\n✗ packaged-extension tests: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
