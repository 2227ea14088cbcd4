// `npm test`: lint, typecheck, build (the extension, the webview and dist/cli.js), then every test layer; the last line is the combined
// count `N passed, N failed`. Exits non-zero when any step or test fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const resultsDir = mkdtempSync(path.join(tmpdir(), 'aurelis-test-'));
let passed = 0;
let failed = 0;
const problems = [];

/**
 * Each layer runs with a temp folder of its own (TMPDIR), so what it leaves behind is its own and not
 * another process's; an `aurelis-*` entry left there fails the layer with its name (and is kept to look at).
 */
let layers = 0;
function leftInTemp(title, tmp) {
  // Also inside the run folders a mocha run makes for itself (test/support/tempFolder.ts), in case it stopped before its own check.
  const runFolders = readdirSync(tmp).filter((name) => name.startsWith('run-tmp-'));
  const left = [tmp, ...runFolders.map((name) => path.join(tmp, name))].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.startsWith('aurelis-'))
      .map((name) => path.relative(tmp, path.join(dir, name))),
  );
  if (left.length === 0) {
    rmSync(tmp, { recursive: true, force: true });
    return;
  }
  failed++;
  problems.push(`${title} left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder (kept in ${tmp}): ${left.sort().join(', ')}`);
}

function run(title, command, args, env = {}) {
  console.log(`\n━━ ${title} ━━`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0 && r.signal === null;
}

/** A step that is not a test (lint, build): a failure counts as one failed check. */
function step(title, command, args) {
  if (!run(title, command, args)) {
    failed++;
    problems.push(`${title} failed`);
    return false;
  }
  return true;
}

/** A test layer that writes its counts to AURELIS_RESULT_FILE. */
function layer(title, command, args, env = {}) {
  const file = path.join(resultsDir, `${title.replace(/\W+/g, '-')}.json`);
  // Short: code-server and Chromium put their sockets here, and a socket path has a length limit.
  const tmp = path.join(tmpdir(), `aurelis-layer-${process.pid}-${++layers}`);
  mkdirSync(tmp);
  const ok = run(title, command, args, { ...env, AURELIS_RESULT_FILE: file, TMPDIR: tmp, TMP: tmp, TEMP: tmp });
  leftInTemp(title, tmp);
  if (!existsSync(file)) {
    failed++;
    problems.push(`${title}: no result (the run did not finish)`);
    return;
  }
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  passed += counts.passed;
  failed += counts.failed;
  if (counts.failed > 0) problems.push(`${title}: ${counts.failed} failed`);
  else if (!ok) {
    failed++;
    problems.push(`${title}: exited with an error although no test failed`);
  } else if (counts.passed === 0) {
    failed++;
    problems.push(`${title}: ran no test`);
  }
}

const RESTRICTED = { AURELIS_HOST_SUITE: 'test/host-restricted', AURELIS_WORKSPACE_TRUST: 'on' };
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
step('lint', npx, ['eslint', '.']);
step('typecheck', npx, ['tsc', '--noEmit', '-p', '.']);
step('typecheck webview', npx, ['tsc', '--noEmit', '-p', 'src/webview']);
// src/shared without Node's or the browser's globals: it must run in both.
step('typecheck shared', npx, ['tsc', '--noEmit', '-p', 'src/shared']);
const built = step('build', process.execPath, ['esbuild.mjs']);
// The unit tests start Debian's redis-server (team mode); installed here when missing, like chromium.
step('system packages', process.execPath, ['scripts/host/system-packages.mjs']);
layer('unit tests', npx, ['mocha']);
// The command line's end-to-end tests run the built dist/cli.js as a child process.
if (built) layer('CLI tests', npx, ['mocha', '--config', 'test/cli/.mocharc.json']);
if (!built) problems.push('CLI, host and UI tests skipped: the build failed');
// Host and UI layers run in code-server (VS Code 1.100.3), installed once into a cache outside the repo.
else if (step('code-server (installs once, then cached)', process.execPath, ['scripts/host/ensure-code-server.mjs'])) {
  layer('host tests', process.execPath, ['scripts/host/run-host-tests.mjs']);
  // Workspace trust on and the folder never trusted: what Aurelis does in Restricted Mode.
  layer('host tests in Restricted Mode', process.execPath, ['scripts/host/run-host-tests.mjs'], RESTRICTED);
  layer('host runner self-check', npx, ['mocha', '--config', 'test/host-fixtures/.mocharc.json']);
  layer('UI tests', process.execPath, ['scripts/host/run-ui-tests.mjs']);
  // The .vsix installed as a user installs it, beside another extension that probes its exports.
  layer('packaged extension', process.execPath, ['scripts/host/run-packaged-tests.mjs']);
} else problems.push('host and UI tests skipped: code-server could not be set up');

rmSync(resultsDir, { recursive: true, force: true });
console.log('');
for (const p of problems) console.log(`✗ ${p}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
