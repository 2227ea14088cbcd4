// Self-check of scripts/host/run-host-tests.mjs (its own layer in `npm test`): every way a host run
// can go wrong must end in a non-zero exit. The suites it points the runner at live next to this
// file and are never part of the real host suite.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

interface RunnerOutcome {
  code: number | null;
  output: string;
  counts?: { passed: number; failed: number; failures: { title: string; error: string }[] };
}

/** Runs the host runner with extra environment; collects its exit code, output and counts. */
function runHostRunner(env: Record<string, string>): Promise<RunnerOutcome> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-selfcheck-'));
  const resultFile = path.join(dir, 'counts.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'host', 'run-host-tests.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, ...env, AURELIS_RESULT_FILE: resultFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      const counts = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, output, counts });
    });
  });
}

const suite = (name: string) => path.join('test', 'host-fixtures', name);

describe('host runner self-check: failures end in a non-zero exit', () => {
  it('counts a failing test and a test file that throws while loading, and exits non-zero', async () => {
    const run = await runHostRunner({ AURELIS_HOST_SUITE: suite('failing') });
    assert.equal(run.code, 1, run.output);
    assert.ok(run.counts, `no counts were written\n${run.output}`);
    assert.equal(run.counts.passed, 1, run.output);
    assert.equal(run.counts.failed, 2, run.output);
    const titles = run.counts.failures.map((f) => f.title);
    assert.ok(titles.includes('fixture: failing suite fails on purpose'), titles.join('\n'));
    assert.ok(titles.includes('test/host-fixtures/failing/throws-at-load.test.ts loads without throwing'), titles.join('\n'));
    assert.match(run.output, /with Code 1\.100\.3/, 'the runner prints the VS Code version');
  });

  it('exits non-zero when code-server is not there', async () => {
    const run = await runHostRunner({ AURELIS_CODE_SERVER_ENTRY: path.join(tmpdir(), 'no-such-code-server', 'entry.js') });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /the host did not start: code-server is not at/);
    assert.equal(run.counts, undefined);
  });

  it('exits non-zero when code-server cannot listen on its port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    assert.ok(address && typeof address === 'object');
    try {
      const run = await runHostRunner({ AURELIS_HOST_PORT: String(address.port) });
      assert.equal(run.code, 1, run.output);
      assert.match(run.output, /the host did not start: code-server exited/);
      assert.equal(run.counts, undefined);
    } finally {
      blocker.close();
    }
  });

  it('exits non-zero as soon as the extension host crashes', async () => {
    const run = await runHostRunner({ AURELIS_HOST_SUITE: suite('crash') });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /the extension host was killed by SIGKILL/);
  });

  it('exits non-zero when a test hangs, naming it', async () => {
    const run = await runHostRunner({ AURELIS_HOST_SUITE: suite('hang'), AURELIS_HOST_TIMEOUT_MS: '5000' });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /no test result and no test started for 5 s; the test running then: "fixture: hanging suite never finishes"/);
  });
});
