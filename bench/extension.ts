/**
 * The extension as shipped: activation time of the production bundle inside a real VS Code
 * extension host (code-server 1.100.3, through the host-test runner with
 * AURELIS_HOST_BUILD=production, which times `activate()` before any test runs), the memory
 * Aurelis adds to that extension host at rest and after its first request (bench/host), and the
 * files of the VSIX that `npm run package` writes: the entry `dist/extension.js`, the chunks
 * loaded on first use and the tokenizer.
 *
 * A host run takes half a minute, so only the full mode does them (three, for a median); the
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
  /** The median of the host runs' activation times. */
  activation_ms: number | null;
  activation_samples_ms?: number[];
  /** "measured" in this run, or where a reused figure came from. */
  activation_source: string;
  /** dist/extension.js, the file VS Code loads at activation. */
  bundle_bytes: number;
  /** Everything under dist/ in the VSIX: the entry, the chunks loaded on first use, dist/tokenizer.js. */
  dist_bytes?: number;
  vsix_bytes: number;
  /** Extension-host memory Aurelis adds (after a full GC), medians of the host runs, in MB: at rest (activated, status bar shown) and after one request. */
  rss_added_at_rest_mb?: number | null;
  heap_added_at_rest_mb?: number | null;
  rss_added_after_request_mb?: number | null;
  heap_added_after_request_mb?: number | null;
  /** What the first request alone adds (after − at rest): the core's chunk, the SDK, the tokenizer. Measurable even when VS Code activated Aurelis before the harness. */
  rss_first_request_mb?: number | null;
  heap_first_request_mb?: number | null;
  /** The VS Code the activation was measured in. */
  vscode_version?: string;
}

const repoRoot = path.resolve(__dirname, '..');

type Activation = Pick<
  ExtensionFigures,
  | 'activation_ms'
  | 'activation_samples_ms'
  | 'activation_source'
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

    const vsix = path.join(work, 'aurelis.vsix');
    await run('npm', ['run', 'package', '--', '--out', vsix]);
    // Put the usual development build (with source maps) back for anyone testing in this tree.
    await run(process.execPath, ['esbuild.mjs']);
    const entries = zipEntries(readFileSync(vsix));
    const bundle = entries.find((e) => e.name === 'extension/dist/extension.js');
    if (!bundle) throw new Error('the VSIX holds no extension/dist/extension.js');
    const dist = entries.filter((e) => e.name.startsWith('extension/dist/')).reduce((sum, e) => sum + e.bytes, 0);
    return { ...activation, bundle_bytes: bundle.bytes, dist_bytes: dist, vsix_bytes: statSync(vsix).size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Runs the bench's one-test host suite (bench/host) `runs` times, each in a fresh code-server
 * and extension host, and reads the runner's metrics file after each.
 */
async function hostActivation(work: string, runs: number): Promise<Activation> {
  const samples: number[] = [];
  const added = { rssRest: [] as number[], heapRest: [] as number[], rssRequest: [] as number[], heapRequest: [] as number[], rssFirst: [] as number[], heapFirst: [] as number[] };
  let version = '';
  for (let i = 0; i < runs; i++) {
    const metrics = path.join(work, `host-metrics-${i}.json`);
    // The production bundle, as users run it: minified, split into chunks, the tokenizer apart.
    await run(process.execPath, ['scripts/host/run-host-tests.mjs'], { AURELIS_HOST_SUITE: 'bench/host', AURELIS_HOST_METRICS_FILE: metrics, AURELIS_HOST_BUILD: 'production' });
    if (!existsSync(metrics)) throw new Error('the host run wrote no metrics file');
    const m = JSON.parse(readFileSync(metrics, 'utf8')) as Record<string, unknown>;
    if (typeof m.activation_ms !== 'number') throw new Error('the host run did not time the activation (something activated the extension first)');
    samples.push(m.activation_ms);
    version = `${String(m.appName)} ${String(m.vscodeVersion)}`;
    const mb = (a: unknown, b: unknown): number | undefined => (typeof a === 'number' && typeof b === 'number' ? (a - b) / 1e6 : undefined);
    const push = (into: number[], value: number | undefined): void => {
      if (value !== undefined) into.push(value);
    };
    push(added.rssRest, mb(m.rss_at_rest, m.rss_before_activation));
    push(added.heapRest, mb(m.heap_at_rest, m.heap_before_activation));
    push(added.rssRequest, mb(m.rss_after_first_request, m.rss_before_activation));
    push(added.heapRequest, mb(m.heap_after_first_request, m.heap_before_activation));
    push(added.rssFirst, mb(m.rss_after_first_request, m.rss_at_rest));
    push(added.heapFirst, mb(m.heap_after_first_request, m.heap_at_rest));
  }
  // Null when VS Code activated Aurelis before the harness could take the "before" figures.
  const figure = (values: number[]): number | null => (values.length > 0 ? Math.round(median(values) * 10) / 10 : null);
  return {
    activation_ms: median(samples),
    activation_samples_ms: samples,
    activation_source: 'measured',
    vscode_version: version,
    rss_added_at_rest_mb: figure(added.rssRest),
    heap_added_at_rest_mb: figure(added.heapRest),
    rss_added_after_request_mb: figure(added.rssRequest),
    heap_added_after_request_mb: figure(added.heapRequest),
    rss_first_request_mb: figure(added.rssFirst),
    heap_first_request_mb: figure(added.heapFirst),
  };
}

/** The quick mode's activation time: the last full run's, saying where it came from. */
function reused(earlier: EarlierRun | undefined): Activation {
  if (typeof earlier?.activation_ms !== 'number') return { activation_ms: null, activation_source: 'not measured (quick mode, and no earlier full run to reuse)' };
  const source = earlier.activation_source === 'measured' ? `reused from the full run of ${String(earlier.date)}` : String(earlier.activation_source);
  return { activation_ms: earlier.activation_ms, activation_source: source };
}

/** Runs a command in the repository, its output indented under the bench's; rejects on failure. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer): void => {
      output += d.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}
