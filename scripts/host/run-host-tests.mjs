// Runs the host tests inside a real VS Code extension host (code-server 4.100.3 = VS Code 1.100.3,
// offline), loading the extension from this folder. Exits non-zero when a test fails, when the
// host does not start, or when no result arrives in time.
//
// Environment:
//   AURELIS_HOST_SUITE       folder of *.test.ts to run (default test/host; test/host-fixtures/* for self-checks)
//   AURELIS_HOST_TIMEOUT_MS  how long the host may go without starting a test (default 120000)
//   AURELIS_HOST_FIRST_TEST_MS  how long the host may take to start the first test (default 120000)
//   AURELIS_WORKSPACE_TRUST  "on" keeps workspace trust enabled (Restricted Mode tests); default off
//   AURELIS_CODE_SERVER_ENTRY  another code-server entry.js (default: the cached install)
//   AURELIS_HOST_PORT        a fixed port for code-server (default: a free one)
//   AURELIS_RESULT_FILE      where to write {passed, failed, pending, failures} for scripts/test.mjs
//   AURELIS_HOST_METRICS_FILE  where to write {activation_ms, vscodeVersion, ...} for benchmarks
//   AURELIS_HOST_BUILD       "production" runs the minified bundle users get (`esbuild.mjs --production`,
//                            what the bench measures); default the development build
//   AURELIS_KEEP_TMP         keep the temporary user-data folder of a failed run
//   AURELIS_HOST_WITHOUT_AURELIS  "1" runs the suite in a host without Aurelis (an inert fixture
//                            extension is developed instead): the bench's baseline for the memory
//                            Aurelis adds
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureCodeServer } from './ensure-code-server.mjs';
import { bundleHostTests } from './bundle-host-tests.mjs';
import { printResult, readResult, reportCounts } from './results.mjs';
import { HostSession, envMs } from './workbench.mjs';
import { repoRoot } from './paths.mjs';

/** How long the host may go without starting a test before the run counts as hung. */
const IDLE_TIMEOUT_MS = 120_000;
/**
 * How long the workbench and extension host may take to start the first test. Kept apart from the
 * idle window so a short idle window (the self-check's hang case) is not spent on a slow start.
 */
const FIRST_TEST_TIMEOUT_MS = 120_000;

function log(message) {
  console.log(`[host] ${message}`);
}

function buildExtension() {
  const production = process.env.AURELIS_HOST_BUILD === 'production';
  const r = spawnSync(process.execPath, ['esbuild.mjs', ...(production ? ['--production'] : [])], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed.');
}

/** The title in the harness's progress file (written whole, by rename). */
function runningTest(progress) {
  try {
    return JSON.parse(progress).running;
  } catch {
    return `(unreadable progress: ${progress})`;
  }
}

/**
 * Waits for the harness's result file. Fails early when code-server or the extension host dies,
 * and when no test has started for `idleMs` (the harness rewrites `<result>.progress` as each
 * test starts), so a long suite may run as long as it keeps moving.
 */
async function waitForResult(session, file, idleMs, firstTestMs) {
  let lastProgress = '';
  let deadline = Date.now() + Math.max(idleMs, firstTestMs);
  let hostGoneAt;
  for (;;) {
    const result = readResult(file);
    if (result) return result;
    session.assertServerRunning();
    session.assertExtensionHostAlive();
    // A clean exit without a result: the tests module could not be loaded or run() never wrote.
    if (session.extensionHostExits > 0) {
      hostGoneAt ??= Date.now();
      if (Date.now() - hostGoneAt > 3000) throw new Error(`the extension host exited without writing a result.\n${session.extensionHostLog()}`);
    }
    const progress = existsSync(`${file}.progress`) ? readFileSync(`${file}.progress`, 'utf8') : '';
    if (progress !== lastProgress) {
      lastProgress = progress;
      deadline = Date.now() + idleMs;
    }
    if (Date.now() > deadline) {
      if (!progress) throw new Error(`the extension host did not start the tests within ${(Math.max(idleMs, firstTestMs) / 1000).toFixed(0)} s.\n${session.extensionHostLog()}`);
      throw new Error(`no test result and no test started for ${(idleMs / 1000).toFixed(0)} s; the test running then: "${runningTest(progress)}".\n${session.extensionHostLog()}`);
    }
    await sleep(250);
  }
}

async function main() {
  const started = Date.now();
  const withoutAurelis = process.env.AURELIS_HOST_WITHOUT_AURELIS === '1';
  const suiteDir = path.resolve(repoRoot, process.env.AURELIS_HOST_SUITE || 'test/host');
  const entry = process.env.AURELIS_CODE_SERVER_ENTRY || (await ensureCodeServer());
  log(`VS Code: ${(await HostSession.versionOf(entry)) || `unknown (${entry} did not answer --version)`}`);
  buildExtension();
  // A folder per run: other runs may be bundling in the same working tree at the same time.
  const outDir = path.join(repoRoot, 'out', 'host-tests', `${process.pid}-${Date.now().toString(36)}`);
  const { bundle, files } = await bundleHostTests({ suiteDir, outDir });
  log(`${files.length} test file(s) from ${path.relative(repoRoot, suiteDir)}`);

  const resultFile = path.join(outDir, 'result.json');
  let session;
  let result;
  try {
    session = await HostSession.start({
      entry,
      label: 'host',
      trust: process.env.AURELIS_WORKSPACE_TRUST !== 'on',
      port: Number(process.env.AURELIS_HOST_PORT) || undefined,
      // code-server passes its environment on to the extension host, where the harness reads these.
      env: { AURELIS_HOST_RESULT: resultFile, ...(withoutAurelis ? { AURELIS_HOST_WITHOUT_AURELIS: '1' } : {}) },
    }).catch((e) => {
      throw new Error(`the host did not start: ${e.message}`);
    });
    log(`code-server on ${session.origin} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const browser = await session.launchBrowser();
    const page = await browser.newPage();
    const extensionDevelopmentPath = withoutAurelis ? path.join(repoRoot, 'test', 'fixtures', 'other-extension') : repoRoot;
    await page.goto(session.workbenchUrl({ extensionDevelopmentPath, extensionTestsPath: bundle }));
    result = await waitForResult(session, resultFile, envMs('AURELIS_HOST_TIMEOUT_MS', IDLE_TIMEOUT_MS), envMs('AURELIS_HOST_FIRST_TEST_MS', FIRST_TEST_TIMEOUT_MS));
  } finally {
    await session?.stop({ keepOnFailure: !result || result.failed > 0 });
    rmSync(outDir, { recursive: true, force: true });
  }
  printResult(result);
  reportCounts(result);
  if (process.env.AURELIS_HOST_METRICS_FILE) {
    const { vscodeVersion, appName, activation_ms, durationMs, metrics } = result;
    writeFileSync(process.env.AURELIS_HOST_METRICS_FILE, JSON.stringify({ vscodeVersion, appName, activation_ms, testsMs: durationMs, ...metrics }, null, 2));
  }
  log(`host layer took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.failed === 0 && result.passed > 0;
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (e) {
  console.error(`\n✗ host tests: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
