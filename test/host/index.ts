// The host-test harness: VS Code calls `run()` inside a real extension host (code-server for
// `npm test`, desktop VS Code for `npm run test:desktop`). It activates the extension under test,
// runs every bundled `test/host/**/*.test.ts` with mocha (BDD) and writes a JSON result to the
// file named by AURELIS_HOST_RESULT, which the runner waits for.
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { renameSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { hostTestFiles } from 'aurelis:host-test-files';
import manifest from '../../package.json';
import type { HostResult, HostTestOutcome } from './result';
import { mapStack } from './stacks';
import { activationFromMarks, activationMsFromLogs } from './activation';
import { benchMetrics } from './benchMetrics';

const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

function describeError(e: unknown): string {
  return e instanceof Error ? mapStack(e.stack ?? e.message) : String(e);
}

/** Activates the extension under test (when an activation event has not already) and reads how long that took. */
async function activate(failures: HostResult['failures']): Promise<number | null> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    failures.push({ title: 'harness: find the extension under test', error: `${EXTENSION_ID} is not loaded in this host.` });
    return null;
  }
  try {
    await extension.activate();
  } catch (e) {
    failures.push({ title: `harness: activate ${EXTENSION_ID}`, error: describeError(e) });
    return null;
  }
  const userDataDir = process.env.AURELIS_USER_DATA_DIR;
  const span = userDataDir ? await activationMsFromLogs(userDataDir, EXTENSION_ID, manifest.displayName) : null;
  const own = activationFromMarks(EXTENSION_ID);
  if (span !== null) benchMetrics.activation_span_ms = span;
  if (!own) return span;
  benchMetrics.code_loading_ms = own.codeLoadingMs;
  benchMetrics.activate_call_ms = own.activateCallMs;
  return Math.round((own.codeLoadingMs + own.activateCallMs) * 10) / 10;
}

/** Replaces `file` in one step, so the runner polling it never reads half a write. */
function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Loads one test file; one that throws while loading becomes a failing test, not a lost run. */
function loadFile(mocha: Mocha, file: string, load: () => unknown): void {
  const { EVENT_FILE_PRE_REQUIRE, EVENT_FILE_REQUIRE, EVENT_FILE_POST_REQUIRE } = Mocha.Suite.constants;
  mocha.suite.emit(EVENT_FILE_PRE_REQUIRE, globalThis, file, mocha);
  try {
    mocha.suite.emit(EVENT_FILE_REQUIRE, load(), file, mocha);
  } catch (e) {
    const suite = Mocha.Suite.create(mocha.suite, file);
    suite.addTest(
      new Mocha.Test('loads without throwing', () => {
        throw e;
      }),
    );
  }
  mocha.suite.emit(EVENT_FILE_POST_REQUIRE, globalThis, file, mocha);
}

/**
 * Runs the loaded tests, recording each outcome. `progressFile` is rewritten as each test starts,
 * so the runner can tell a long suite that is moving from one that hangs.
 */
function runMocha(mocha: Mocha, result: HostResult, progressFile: string | undefined): Promise<void> {
  const { EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
  const outcome = (test: Mocha.Test | Mocha.Hook, state: HostTestOutcome['state']) =>
    result.tests.push({ title: test.fullTitle(), state, durationMs: test.duration ?? 0 });
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on(EVENT_TEST_BEGIN, (test) => {
      if (progressFile) writeAtomically(progressFile, JSON.stringify({ finished: result.tests.length, running: test.fullTitle() }));
    });
    runner.on(EVENT_TEST_PASS, (test) => {
      result.passed++;
      outcome(test, 'passed');
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      result.pending++;
      outcome(test, 'pending');
    });
    // Also fires for failing hooks, which then count as one failure each.
    runner.on(EVENT_TEST_FAIL, (test, err: unknown) => {
      result.failed++;
      outcome(test, 'failed');
      result.failures.push({ title: test.fullTitle(), error: describeError(err) });
    });
  });
}

export async function run(): Promise<void> {
  const started = performance.now();
  const resultFile = process.env.AURELIS_HOST_RESULT;
  const result: HostResult = {
    passed: 0,
    failed: 0,
    pending: 0,
    failures: [],
    tests: [],
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    activation_ms: null,
    durationMs: 0,
  };
  try {
    // The bench's baseline runs in a host without Aurelis: nothing to activate.
    if (process.env.AURELIS_HOST_WITHOUT_AURELIS !== '1') result.activation_ms = await activate(result.failures);
    result.failed += result.failures.length;
    // Generous: a loaded 2-core machine can take many seconds for one workbench round trip.
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Base });
    // AURELIS_HOST_GREP runs only the tests whose full title matches (for working on one test).
    const grep = process.env.AURELIS_HOST_GREP;
    if (grep) mocha.grep(grep);
    for (const { file, load } of hostTestFiles) loadFile(mocha, file, load);
    await runMocha(mocha, result, resultFile && `${resultFile}.progress`);
  } catch (e) {
    result.failed++;
    result.failures.push({ title: 'harness', error: describeError(e) });
  }
  result.durationMs = Math.round(performance.now() - started);
  result.metrics = benchMetrics;
  if (resultFile) writeAtomically(resultFile, JSON.stringify(result, null, 2));
  // Desktop VS Code (test-electron) reports a run as failed only when run() rejects.
  if (result.failed > 0) throw new Error(`${result.failed} host test(s) failed.`);
  if (result.passed === 0) throw new Error('No host test ran.');
}
