/**
 * Pacing learned from the server: 300 requests at once against a fake server that keeps an
 * OpenAI-style limit (a bucket of requests refilling continuously over a minute) that nobody
 * told Aurelis about. One server announces its state in OpenAI's `x-ratelimit-*` headers on
 * every answer; the other announces nothing (a bare 429, no wait). Time runs `timeFactor`
 * times faster on both sides (scaledTime.ts). We count the 429s the server sent and the errors
 * the caller saw, and compare the wall time with the least the limit allows: the full bucket
 * at once, then one request per refill.
 */
import { FakeOpenAIServer, reply, type FakeBucketLimit } from '../test/fake-server';
import { timedBatch, type BatchRun } from './batchRun';
import { benchSettings, startPipeline } from './pipeline';
import { ScaledTimers } from './scaledTime';
import { round } from './stats';

export type LearnedPacingRun = BatchRun;

export interface LearnedPacingFigures {
  requests: number;
  /** The bucket, in the server's own minutes. */
  requests_per_minute: number;
  time_factor: number;
  server_delay_ms: number;
  minimum_wall_ms: number;
  announced: LearnedPacingRun;
  silent: LearnedPacingRun;
}

export interface LearnedPacingOptions {
  requests: number;
  requestsPerMinute: number;
  serverDelayMs: number;
  timeFactor: number;
}

/** The bucket's first `perWindow` at once, then one per refill; the last one still takes its service time. */
export function minimumBucketWallMs(count: number, perWindow: number, windowMs: number, serviceMs: number): number {
  return (Math.max(0, count - perWindow) * windowMs) / perWindow + serviceMs;
}

export async function measureLearnedPacing(opts: LearnedPacingOptions): Promise<LearnedPacingFigures> {
  const windowRealMs = 60_000 / opts.timeFactor;
  const minimum = minimumBucketWallMs(opts.requests, opts.requestsPerMinute, windowRealMs, opts.serverDelayMs);
  const announced = await burst(opts, 'openai', minimum);
  const silent = await burst(opts, 'none', minimum);
  return {
    requests: opts.requests,
    requests_per_minute: opts.requestsPerMinute,
    time_factor: opts.timeFactor,
    server_delay_ms: opts.serverDelayMs,
    minimum_wall_ms: round(minimum, 1),
    announced,
    silent,
  };
}

async function burst(opts: LearnedPacingOptions, announce: FakeBucketLimit['announce'], minimumMs: number): Promise<LearnedPacingRun> {
  const timers = new ScaledTimers(opts.timeFactor);
  const server = await FakeOpenAIServer.start({ clock: timers, bucket: { requests: opts.requestsPerMinute, windowMs: 60_000, announce } });
  server.handle(() => reply.text('Paced answer.', { delayMs: opts.serverDelayMs }));
  // No aurelis.rateLimits.overrides: Aurelis knows nothing of the limit but what the server says.
  const settings = benchSettings(server, { cache: { enabled: false }, requestTimeoutSeconds: 3600 });
  const pipeline = await startPipeline(server, settings, { timers });
  try {
    return await timedBatch(pipeline, server, opts.requests, 30_000_000, minimumMs);
  } finally {
    await pipeline.close();
    await server.stop();
  }
}
