/**
 * Pacing under rate limits. The fake server enforces GitHub-style limits itself (per-model
 * requests a minute and requests at once, answering GitHub's exact 429s); the orchestrator is
 * told the same numbers through `aurelis.rateLimits.overrides`. Time runs `factor` times
 * faster for both (scaledTime.ts), so the one-minute window passes in 60 000 / factor real
 * ms. A batch of requests is sent at once; we count the 429s the server sent, the errors the
 * caller saw, and compare the wall time with the least the limit allows. Then the same with
 * pacing off and retries on (the defaults: 4 attempts, honouring retry-after).
 */
import { FakeOpenAIServer, reply } from '../test/fake-server';
import { timedBatch, type BatchRun } from './batchRun';
import { BENCH_MODEL, benchSettings, startPipeline } from './pipeline';
import { ScaledTimers } from './scaledTime';
import { minimumWallMs, round, type RateLimit } from './stats';

export interface PacingRun extends BatchRun {
  server_max_concurrent: number;
}

export interface PacingFigures extends PacingRun {
  requests: number;
  /** The limit in the server's (and orchestrator's) own minutes. */
  requests_per_minute: number;
  concurrent: number;
  /** How much faster than the wall clock time ran; the window in real ms. */
  time_factor: number;
  window_real_ms: number;
  server_delay_ms: number;
  minimum_wall_ms: number;
  unpaced: PacingRun;
}

export interface PacingOptions {
  requests: number;
  requestsPerMinute: number;
  concurrent: number;
  /** Real ms the server takes to answer each request. */
  serverDelayMs: number;
  timeFactor: number;
}

export async function measurePacing(opts: PacingOptions): Promise<PacingFigures> {
  const limit: RateLimit = { perWindow: opts.requestsPerMinute, windowMs: 60_000 / opts.timeFactor, concurrent: opts.concurrent };
  const minimum = minimumWallMs(opts.requests, limit, opts.serverDelayMs);
  const paced = await burst(opts, true, minimum);
  const unpaced = await burst(opts, false, minimum);
  return {
    ...paced,
    requests: opts.requests,
    requests_per_minute: opts.requestsPerMinute,
    concurrent: opts.concurrent,
    time_factor: opts.timeFactor,
    window_real_ms: round(limit.windowMs, 1),
    server_delay_ms: opts.serverDelayMs,
    minimum_wall_ms: round(minimum, 1),
    unpaced,
  };
}

async function burst(opts: PacingOptions, pacing: boolean, minimumMs: number): Promise<PacingRun> {
  const timers = new ScaledTimers(opts.timeFactor);
  const server = await FakeOpenAIServer.start({ clock: timers, limits: { requestsPerMinute: opts.requestsPerMinute, concurrent: opts.concurrent } });
  server.handle(() => reply.text('Paced answer.', { delayMs: opts.serverDelayMs }));
  const settings = benchSettings(server, {
    cache: { enabled: false },
    rateLimits: { pacing, overrides: { [BENCH_MODEL]: { requestsPerMinute: opts.requestsPerMinute, concurrent: opts.concurrent } } },
    // In scaled time two real minutes are an hour: no request should time out on a busy machine.
    requestTimeoutSeconds: 3600,
  });
  const pipeline = await startPipeline(server, settings, { timers });
  try {
    return { ...(await timedBatch(pipeline, server, opts.requests, 20_000_000, minimumMs)), server_max_concurrent: server.maxConcurrent };
  } finally {
    await pipeline.close();
    await server.stop();
  }
}
