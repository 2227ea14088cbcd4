/**
 * The production bundle as users get it, loaded in plain Node with `vscode` stubbed (by
 * test/fixtures/startup/activationProbe.cjs, in a fresh process): activation and the status
 * bar's first figures load no part of the request pipeline, and the pipeline's chunk loads on
 * the first command that needs it; classic zod is not loaded until then (the status bar and the
 * webview use zod/mini), and activation loads no zod at all (the settings are read just after it).
 * Which module sits in which file comes from esbuild's metafile.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import { liveSettings, makeRecord } from '../helpers/usage';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

interface ProbeReport {
  afterRequire: string[];
  afterActivate: string[];
  atRest: { files: string[]; statusText: string };
  cleared: unknown;
  afterRequest: string[];
}

/** What must wait for the first request: the pipeline, the SDK and its transport, Redis, OpenTelemetry, the tokenizer. */
const HEAVY = /^(src\/core\/orchestrator\.ts|src\/core\/composition\.ts|node_modules\/(openai|undici|redis|@redis|@opentelemetry|gpt-tokenizer)\/)/;

describe('start-up of the production bundle', function () {
  // A production build of the extension and two Node processes on a loaded machine.
  this.timeout(180_000);
  let work = '';
  let meta: Metafile;
  let report: ProbeReport;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'aurelis-startup-'));
    const dist = path.join(work, 'dist');
    const metafile = path.join(work, 'meta.json');
    await run(process.execPath, ['esbuild.mjs', '--production', '--extension-only', '--outdir', dist, '--metafile', metafile], { cwd: repoRoot });
    meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;

    // Today's spend in the ledger, for the status bar to show.
    const storage = path.join(work, 'storage');
    const ledger = new UsageLedger({ storageDir: storage, settings: liveSettings().get });
    await ledger.record(makeRecord({ ts: Date.now(), costUsd: 0.42 }));
    await ledger.close();

    const probe = path.join(repoRoot, 'test', 'fixtures', 'startup', 'activationProbe.cjs');
    const { stdout } = await run(process.execPath, [probe, path.join(dist, 'extension.js'), storage, path.join(repoRoot, 'package.json')], { cwd: work });
    report = JSON.parse(stdout) as ProbeReport;
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The source modules in the given output files. */
  function modulesIn(files: readonly string[]): string[] {
    const names = new Set(files);
    return Object.entries(meta.outputs)
      .filter(([out]) => names.has(path.basename(out)))
      .flatMap(([, o]) => Object.keys(o.inputs));
  }

  it('keeps the tokenizer out of every extension file (it is dist/tokenizer.js, loaded on the first count)', () => {
    const tokenizerIn = Object.entries(meta.outputs).filter(([, o]) => Object.keys(o.inputs).some((i) => i.startsWith('node_modules/gpt-tokenizer/')));
    assert.deepEqual(tokenizerIn.map(([out]) => out), []);
  });

  it('puts every module into one file only, so a class checked with instanceof exists once', () => {
    const seen = new Map<string, string>();
    for (const [out, o] of Object.entries(meta.outputs)) {
      for (const input of Object.keys(o.inputs)) {
        assert.equal(seen.get(input), undefined, `${input} is in both ${seen.get(input)} and ${out}`);
        seen.set(input, out);
      }
    }
    assert.ok(seen.has('src/core/errors.ts'));
  });

  it('requires and activates without loading the request pipeline', () => {
    assert.deepEqual(modulesIn(report.afterRequire).filter((m) => HEAVY.test(m)), []);
    assert.deepEqual(modulesIn(report.afterActivate).filter((m) => HEAVY.test(m)), []);
    assert.ok(!report.afterActivate.includes('tokenizer.js'));
  });

  it('shows the ledger\'s spend in the status bar still without the request pipeline', () => {
    assert.match(report.atRest.statusText, /\$0\.42/);
    assert.deepEqual(modulesIn(report.atRest.files).filter((m) => HEAVY.test(m)), []);
    assert.ok(modulesIn(report.atRest.files).includes('src/core/ledger/usageLedger.ts'), 'the ledger reader was not loaded');
    assert.ok(!report.atRest.files.includes('tokenizer.js'));
  });

  it('activates without zod or the settings schema: the settings are read just after activation', () => {
    const atActivation = modulesIn(report.afterActivate);
    assert.deepEqual(atActivation.filter((m) => m.includes('node_modules/zod/') || m === 'src/core/settings.ts'), []);
    assert.ok(modulesIn(report.atRest.files).includes('src/core/settings.ts'), 'the settings were not read for the status bar');
  });

  it('hands every module VS Code\'s API object itself, not a copy of its members per module', () => {
    const dist = path.join(work, 'dist');
    const wrapped = Object.keys(meta.outputs)
      .map((out) => path.join(dist, path.basename(out)))
      .filter((file) => /\b[\w$]+\(require\("vscode"\)\)/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(wrapped, []);
    assert.match(readFileSync(path.join(dist, 'extension.js'), 'utf8'), /require\("vscode"\)/);
  });

  it('shows spend with zod/mini only: classic zod waits for the core', () => {
    const atRest = modulesIn(report.atRest.files);
    assert.deepEqual(atRest.filter((m) => m.startsWith('node_modules/zod/v4/classic/')), []);
    assert.ok(atRest.some((m) => m.startsWith('node_modules/zod/v4/mini/')), 'the settings were not read with zod/mini');
  });

  it('builds the analytics panel\'s script without classic zod', async () => {
    const built = await esbuild.build({ entryPoints: [path.join(repoRoot, 'src', 'webview', 'analytics.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(built.metafile.inputs);
    assert.deepEqual(inputs.filter((m) => m.includes('node_modules/zod/v4/classic/')), []);
    assert.ok(inputs.some((m) => m.includes('node_modules/zod/v4/mini/')));
  });

  it('loads the pipeline\'s chunk on the first command that needs the core, and it works', () => {
    assert.deepEqual(report.cleared, { entries: 0, bytes: 0 });
    assert.ok(modulesIn(report.afterRequest).includes('src/core/orchestrator.ts'), 'the core was not loaded by Clear Cache');
    // Building the core does not count tokens.
    assert.ok(!report.afterRequest.includes('tokenizer.js'));
  });

  it('builds the core without the Redis client, OpenTelemetry or undici: they load only for team mode, telemetry, a proxy or a CA file', () => {
    const optional = /^node_modules\/(undici|redis|@redis|@opentelemetry)\//;
    assert.deepEqual(modulesIn(report.afterRequest).filter((m) => optional.test(m)), []);
    // They are still in the package, each in a chunk of its own.
    const bundled = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
    for (const name of ['undici', '@redis/client', '@opentelemetry/sdk-metrics']) assert.ok(bundled.some((m) => m.startsWith(`node_modules/${name}/`)), `${name} is not in the bundle`);
  });
});
