/**
 * The extension as shipped: activation time of the production bundle inside a real VS Code
 * extension host (code-server 1.100.3, through the host-test runner with
 * AURELIS_HOST_BUILD=production, which times `activate()` before any test runs), the memory
 * Aurelis adds to that extension host at rest and after its first request (bench/host, against as
 * many runs of a host without Aurelis), and the
 * files of the VSIX that `npm run package` writes: the entry `dist/extension.js`, the chunks
 * loaded on first use and the tokenizer.
 *
 * A host run takes half a minute, so only the full mode does them (three of each, for medians); the
 * quick mode reuses the activation time of the last full run (from bench/results.json) and
 * says so.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median } from './stats';
import { zipEntries } from './zipEntries';

export interface ExtensionFigures {
  /**
   * The median of the host runs' activation times as VS Code counts them (Show Running
   * Extensions): loading the code plus the activate() call, from the extension host's own marks.
   */
  activation_ms: number | null;
  /** Medians of its two parts. */
  code_loading_ms?: number | null;
  activate_call_ms?: number | null;
  /** From VS Code's `_doActivateExtension` log line to the end of activate(): adds VS Code building the extension's context while other extensions start. */
  activation_span_ms?: number | null;
  activation_samples_ms?: number[];
  /** "measured" in this run, or where a reused figure came from. */
  activation_source: string;
  /** dist/extension.js, the file VS Code loads at activation. */
  bundle_bytes: number;
  /** Everything under dist/ in the VSIX: the entry, the chunks loaded on first use, dist/tokenizer.js. */
  dist_bytes?: number;
  vsix_bytes: number;
  /**
   * Extension-host memory Aurelis adds (after a full GC), in MB: the median of the host runs with
   * Aurelis minus the median of as many runs without it (an inert extension developed instead),
   * at rest (activated, status bar shown) and after one request (the baseline opens the same
   * editor and starts the same fake server, without the request).
   */
  rss_added_at_rest_mb?: number | null;
  heap_added_at_rest_mb?: number | null;
  rss_added_after_request_mb?: number | null;
  heap_added_after_request_mb?: number | null;
  /** What the first request alone adds (after − at rest, less the baseline's own growth): the core's chunk, the SDK. */
  rss_first_request_mb?: number | null;
  heap_first_request_mb?: number | null;
  /**
   * The production bundle in plain Node with `vscode` stubbed (test/fixtures/startup/activationProbe.cjs),
   * medians of five fresh processes: Aurelis alone, so these hold still where the extension host's
   * figures move with everything else it runs.
   */
  node?: NodeStartupFigures;
  /** The VS Code the activation was measured in. */
  vscode_version?: string;
}

export interface NodeStartupFigures {
  require_ms: number;
  activate_ms: number;
  /** Bytes of the files loaded until the status bar shows its figures. */
  startup_bytes: number;
  rss_added_at_rest_mb: number;
  heap_added_at_rest_mb: number;
  /** After a command that builds the core (Clear Cache): the pipeline's chunks, no request sent. */
  rss_added_core_mb: number;
  heap_added_core_mb: number;
}

const repoRoot = path.resolve(__dirname, '..');
const NODE_RUNS = 5;

type Activation = Pick<
  ExtensionFigures,
  | 'activation_ms'
  | 'activation_samples_ms'
  | 'activation_source'
  | 'code_loading_ms'
  | 'activate_call_ms'
  | 'activation_span_ms'
  | 'vscode_version'
  | 'rss_added_at_rest_mb'
  | 'heap_added_at_rest_mb'
  | 'rss_added_after_request_mb'
  | 'heap_added_after_request_mb'
  | 'rss_first_request_mb'
  | 'heap_first_request_mb'
>;

/** What an earlier bench/results.json said, to reuse its activation time. */
export interface EarlierRun {
  activation_ms?: unknown;
  activation_source?: unknown;
  date?: unknown;
}

export async function measureExtension(opts: { hostRuns: number; earlier?: EarlierRun }): Promise<ExtensionFigures> {
  const work = mkdtempSync(path.join(tmpdir(), 'aurelis-bench-ext-'));
  try {
    const activation = opts.hostRuns > 0 ? await hostActivation(work, opts.hostRuns) : reused(opts.earlier);
    const node = await nodeStartup(work);

    const vsix = path.join(work, 'aurelis.vsix');
    await run('npm', ['run', 'package', '--', '--out', vsix]);
    // Put the usual development build (with source maps) back for anyone testing in this tree.
    await run(process.execPath, ['esbuild.mjs']);
    const entries = zipEntries(readFileSync(vsix));
    const bundle = entries.find((e) => e.name === 'extension/dist/extension.js');
    if (!bundle) throw new Error('the VSIX holds no extension/dist/extension.js');
    const dist = entries.filter((e) => e.name.startsWith('extension/dist/')).reduce((sum, e) => sum + e.bytes, 0);
    return { ...activation, node, bundle_bytes: bundle.bytes, dist_bytes: dist, vsix_bytes: statSync(vsix).size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The figures one host run writes into its metrics file. */
interface HostRun {
  activation_ms?: number;
  code_loading_ms?: number;
  activate_call_ms?: number;
  activation_span_ms?: number;
  rss_at_rest?: number;
  heap_at_rest?: number;
  rss_after_first_request?: number;
  heap_after_first_request?: number;
  appName?: string;
  vscodeVersion?: string;
}

/** Runs the bench's host suite (bench/host) once, in a fresh code-server and extension host, and reads its metrics file. */
async function hostRun(work: string, name: string, withoutAurelis: boolean): Promise<HostRun> {
  const metrics = path.join(work, `host-metrics-${name}.json`);
  // The production bundle, as users run it: minified, split into chunks, the tokenizer apart.
  await run(process.execPath, ['scripts/host/run-host-tests.mjs'], {
    AURELIS_HOST_SUITE: 'bench/host',
    AURELIS_HOST_METRICS_FILE: metrics,
    AURELIS_HOST_BUILD: 'production',
    ...(withoutAurelis ? { AURELIS_HOST_WITHOUT_AURELIS: '1' } : {}),
  });
  if (!existsSync(metrics)) throw new Error('the host run wrote no metrics file');
  return JSON.parse(readFileSync(metrics, 'utf8')) as HostRun;
}

/**
 * `runs` host runs with Aurelis (activation as VS Code counts it, memory at rest and after a
 * request), interleaved with as many without it, for the memory Aurelis adds.
 */
async function hostActivation(work: string, runs: number): Promise<Activation> {
  const withAurelis: HostRun[] = [];
  const without: HostRun[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await hostRun(work, `aurelis-${i}`, false);
    if (typeof m.activation_ms !== 'number') throw new Error('the host run did not time the activation');
    withAurelis.push(m);
    without.push(await hostRun(work, `baseline-${i}`, true));
  }
  const med = (values: Array<number | undefined>): number | null => {
    const known = values.filter((v): v is number => typeof v === 'number');
    return known.length > 0 ? median(known) : null;
  };
  const of = (list: HostRun[], key: keyof HostRun): Array<number | undefined> => list.map((m) => m[key] as number | undefined);
  const oneDecimal = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
  /** Median with Aurelis minus median without, in MB. */
  const added = (key: keyof HostRun): number | null => {
    const a = med(of(withAurelis, key));
    const b = med(of(without, key));
    return a === null || b === null ? null : oneDecimal((a - b) / 1e6);
  };
  /** What the request adds in each run (after − at rest), with Aurelis less without, in MB. */
  const growth = (rest: keyof HostRun, after: keyof HostRun): number | null => {
    const grown = (list: HostRun[]) => med(list.map((m) => (typeof m[after] === 'number' && typeof m[rest] === 'number' ? (m[after] as number) - (m[rest] as number) : undefined)));
    const a = grown(withAurelis);
    const b = grown(without);
    return a === null || b === null ? null : oneDecimal((a - b) / 1e6);
  };
  const samples = withAurelis.map((m) => m.activation_ms as number);
  const last = withAurelis[withAurelis.length - 1];
  return {
    activation_ms: median(samples),
    activation_samples_ms: samples,
    activation_source: 'measured',
    code_loading_ms: oneDecimal(med(of(withAurelis, 'code_loading_ms'))),
    activate_call_ms: oneDecimal(med(of(withAurelis, 'activate_call_ms'))),
    activation_span_ms: oneDecimal(med(of(withAurelis, 'activation_span_ms'))),
    vscode_version: `${String(last?.appName)} ${String(last?.vscodeVersion)}`,
    rss_added_at_rest_mb: added('rss_at_rest'),
    heap_added_at_rest_mb: added('heap_at_rest'),
    rss_added_after_request_mb: added('rss_after_first_request'),
    heap_added_after_request_mb: added('heap_after_first_request'),
    rss_first_request_mb: growth('rss_at_rest', 'rss_after_first_request'),
    heap_first_request_mb: growth('heap_at_rest', 'heap_after_first_request'),
  };
}

/** Builds the production bundle into `work` and loads it in fresh Node processes (see NodeStartupFigures). */
async function nodeStartup(work: string): Promise<NodeStartupFigures> {
  const dist = path.join(work, 'node-dist');
  await run(process.execPath, ['esbuild.mjs', '--production', '--extension-only', '--outdir', dist]);
  const probe = path.join(repoRoot, 'test', 'fixtures', 'startup', 'activationProbe.cjs');
  const samples: Array<Record<keyof NodeStartupFigures, number>> = [];
  for (let i = 0; i < NODE_RUNS; i++) {
    const storage = mkdtempSync(path.join(work, 'storage-'));
    const out = await output(process.execPath, ['--expose-gc', probe, path.join(dist, 'extension.js'), storage, path.join(repoRoot, 'package.json')]);
    const r = JSON.parse(out) as { atRest: { files: string[] }; figures: { requireMs: number; activateMs: number; before: Memory; atRest: Memory; coreLoaded: Memory } };
    const f = r.figures;
    const mb = (a: number, b: number): number => (a - b) / 1e6;
    samples.push({
      require_ms: f.requireMs,
      activate_ms: f.activateMs,
      startup_bytes: r.atRest.files.reduce((sum, file) => sum + statSync(path.join(dist, file)).size, 0),
      rss_added_at_rest_mb: mb(f.atRest.rss, f.before.rss),
      heap_added_at_rest_mb: mb(f.atRest.heapUsed, f.before.heapUsed),
      rss_added_core_mb: mb(f.coreLoaded.rss, f.before.rss),
      heap_added_core_mb: mb(f.coreLoaded.heapUsed, f.before.heapUsed),
    });
  }
  const med = (key: keyof NodeStartupFigures, digits: number): number => Math.round(median(samples.map((s) => s[key])) * 10 ** digits) / 10 ** digits;
  return {
    require_ms: med('require_ms', 1),
    activate_ms: med('activate_ms', 1),
    startup_bytes: med('startup_bytes', 0),
    rss_added_at_rest_mb: med('rss_added_at_rest_mb', 1),
    heap_added_at_rest_mb: med('heap_added_at_rest_mb', 1),
    rss_added_core_mb: med('rss_added_core_mb', 1),
    heap_added_core_mb: med('heap_added_core_mb', 1),
  };
}

interface Memory {
  rss: number;
  heapUsed: number;
}

/** The quick mode's activation time: the last full run's, saying where it came from. */
function reused(earlier: EarlierRun | undefined): Activation {
  if (typeof earlier?.activation_ms !== 'number') return { activation_ms: null, activation_source: 'not measured (quick mode, and no earlier full run to reuse)' };
  const source = earlier.activation_source === 'measured' ? `reused from the full run of ${String(earlier.date)}` : String(earlier.activation_source);
  return { activation_ms: earlier.activation_ms, activation_source: source };
}

/** Runs a command in the repository; rejects on failure. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return output(command, args, env).then(() => undefined);
}

/** Runs a command in the repository and resolves with its standard output; rejects on failure. */
function output(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let all = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      all += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      all += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${all.slice(-4000)}`))));
  });
}
