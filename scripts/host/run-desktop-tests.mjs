// `npm run test:desktop`: the same host suite in desktop VS Code 1.100.3 through @vscode/test-electron,
// for machines that can download VS Code (it is not part of `npm test`, which runs the suite in
// code-server offline). On Linux without a display, run it under `xvfb-run -a`.
// AURELIS_VSCODE_EXECUTABLE uses an installed VS Code instead of downloading 1.100.3.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { bundleHostTests } from './bundle-host-tests.mjs';
import { printResult, readResult, reportCounts } from './results.mjs';
import { VSCODE_VERSION, repoRoot } from './paths.mjs';

async function main() {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the extension (node esbuild.mjs) failed.');
  const suiteDir = path.resolve(repoRoot, process.env.AURELIS_HOST_SUITE || 'test/host');
  const outDir = path.join(repoRoot, 'out', 'host-tests', `desktop-${process.pid}`);
  const { bundle } = await bundleHostTests({ suiteDir, outDir });
  const tmp = mkdtempSync(path.join(tmpdir(), 'aurelis-desktop-'));
  const workspace = path.join(tmp, 'workspace');
  cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userDataDir = path.join(tmp, 'user-data');
  const resultFile = path.join(outDir, 'result.json');
  try {
    // runTests rejects when VS Code exits non-zero, which the harness causes when a test fails;
    // the result file tells which tests, so read it either way.
    await runTests({
      ...(process.env.AURELIS_VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.AURELIS_VSCODE_EXECUTABLE } : { version: VSCODE_VERSION }),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: bundle,
      extensionTestsEnv: { AURELIS_HOST_RESULT: resultFile, AURELIS_USER_DATA_DIR: userDataDir },
      launchArgs: [workspace, `--user-data-dir=${userDataDir}`, `--extensions-dir=${path.join(tmp, 'extensions')}`, '--disable-extensions'],
    }).catch((e) => console.error(`VS Code reported a failed run: ${e instanceof Error ? e.message : String(e)}`));
    const result = readResult(resultFile);
    if (!result) throw new Error('no test result was written: VS Code did not start or the extension host crashed.');
    printResult(result);
    reportCounts(result);
    return result.failed === 0 && result.passed > 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (e) {
  console.error(`\n✗ desktop host tests: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
