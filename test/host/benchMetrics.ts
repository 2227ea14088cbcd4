/**
 * Figures a host suite measures for `npm run bench` (bench/host), beside the activation time:
 * the harness writes them into its result, and the runner into AURELIS_HOST_METRICS_FILE.
 * One module of the host-test bundle, so the harness and the tests share this object.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const benchMetrics: Record<string, number> = {};

/** The extension host's memory after a full garbage collection, so what is compared is what is kept. */
export function settledMemory(): { rss: number; heapUsed: number } {
  // The extension host runs without --expose-gc; this turns it on for this process only.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}
