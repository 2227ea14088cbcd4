/** One test's outcome, as the runners print it. */
export interface HostTestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
}

/**
 * What the host harness writes to AURELIS_HOST_RESULT. The first four fields have the shape
 * test/support/count-reporter.cjs writes, so scripts/test.mjs adds host counts up like the others.
 */
export interface HostResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  tests: HostTestOutcome[];
  vscodeVersion: string;
  appName: string;
  /** Milliseconds from VS Code starting to activate the extension to the end of its `activate()` (from the logs). */
  activation_ms: number | null;
  durationMs: number;
  /** What bench/host measured (test/host/benchMetrics.ts); empty for the other suites. */
  metrics?: Record<string, number>;
}
