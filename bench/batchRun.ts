/**
 * One timed batch through a bench pipeline against a rate-limited fake server: what the server
 * refused, what reached the caller, and the wall time against the least the limit allows. The
 * pacing benches (told and learned limits) differ only in how the server and settings are set up.
 */
import { performance } from 'node:perf_hooks';
import type { FakeOpenAIServer } from '../test/fake-server';
import { benchRequest } from './overhead';
import type { Pipeline } from './pipeline';
import { errorsOf, ratio, round } from './stats';

export interface BatchRun {
  server_429s: number;
  caller_errors: number;
  /** What the callers' errors were, by kind. */
  error_kinds: Record<string, number>;
  wall_ms: number;
  /** Wall time over the least the limit allows. */
  wall_ratio: number;
  server_requests: number;
}

/** Sends `count` distinct requests at once (ids from `firstId`, so no cache hits) and measures. */
export async function timedBatch(pipeline: Pipeline, server: FakeOpenAIServer, count: number, firstId: number, minimumMs: number): Promise<BatchRun> {
  const requests = Array.from({ length: count }, (_, i) => benchRequest(firstId + i, false));
  const t0 = performance.now();
  const results = await pipeline.orchestrator.runBatch(requests);
  const wall = performance.now() - t0;
  const errors = errorsOf(results);
  return {
    server_429s: server.rateLimited,
    caller_errors: errors.count,
    error_kinds: errors.kinds,
    wall_ms: round(wall, 1),
    wall_ratio: ratio(wall, minimumMs),
    server_requests: server.chatRequests.length,
  };
}
