/**
 * Reviewing many files at once under a rate limit: the batch review the command line and the
 * editor run (src/core/review/batchReview.ts → Orchestrator.runBatch) against a fake server
 * that enforces a per-model limit itself, in scaled time (scaledTime.ts) like the pacing
 * figures. The fake reviewer answers each file with a finding, as a model would. We compare the
 * wall time with the least the limit allows, and count the errors that reached the user (files
 * the report says could not be reviewed) and the findings that came back.
 */
import { performance } from 'node:perf_hooks';
import { reviewFiles } from '../src/core/review/batchReview';
import { FakeOpenAIServer, reply, type RecordedRequest } from '../test/fake-server';
import { BENCH_MODEL, benchSettings, startPipeline } from './pipeline';
import { ScaledTimers } from './scaledTime';
import { minimumWallMs, ratio, round } from './stats';

export interface BatchReviewOptions {
  files: number;
  requestsPerMinute: number;
  concurrent: number;
  serverDelayMs: number;
  timeFactor: number;
}

export interface BatchReviewFigures {
  files: number;
  requests_per_minute: number;
  concurrent: number;
  time_factor: number;
  server_delay_ms: number;
  wall_ms: number;
  minimum_wall_ms: number;
  wall_ratio: number;
  /** Files the report says could not be reviewed. */
  user_errors: number;
  findings: number;
  server_429s: number;
  server_requests: number;
  server_max_concurrent: number;
}

/** A model's answer to Aurelis's review prompt: one finding on the line that calls eval(). */
function reviewer(delayMs: number) {
  return (request: RecordedRequest) => {
    const prompt = ((request.body as { messages?: Array<{ content: string }> }).messages ?? []).map((m) => m.content).join('\n');
    const line = /^\s*(\d+)\| .*eval\(/m.exec(prompt)?.[1];
    const findings = line === undefined ? [] : [{ severity: 'error', category: 'security', startLine: Number(line), endLine: Number(line), message: 'eval() runs any string as code.', suggestion: null }];
    return reply.text(JSON.stringify({ findings }), { delayMs });
  };
}

export async function measureBatchReview(opts: BatchReviewOptions): Promise<BatchReviewFigures> {
  const timers = new ScaledTimers(opts.timeFactor);
  const limits = { requestsPerMinute: opts.requestsPerMinute, concurrent: opts.concurrent };
  const server = await FakeOpenAIServer.start({ clock: timers, limits });
  server.handle(reviewer(opts.serverDelayMs));
  const settings = benchSettings(server, {
    models: { review: [BENCH_MODEL] },
    cache: { enabled: false },
    rateLimits: { pacing: true, overrides: { [BENCH_MODEL]: limits } },
    requestTimeoutSeconds: 3600,
  });
  const pipeline = await startPipeline(server, settings, { timers });
  const files = Array.from({ length: opts.files }, (_, i) => ({
    path: `src/module${i}.js`,
    text: `export function handler${i}(input) {\n  const value = eval(input);\n  return value * ${i};\n}\n`,
  }));
  try {
    const t0 = performance.now();
    const report = await reviewFiles(pipeline.orchestrator, files);
    const wall = performance.now() - t0;
    const minimum = minimumWallMs(opts.files, { perWindow: opts.requestsPerMinute, windowMs: 60_000 / opts.timeFactor, concurrent: opts.concurrent }, opts.serverDelayMs);
    return {
      files: opts.files,
      requests_per_minute: opts.requestsPerMinute,
      concurrent: opts.concurrent,
      time_factor: opts.timeFactor,
      server_delay_ms: opts.serverDelayMs,
      wall_ms: round(wall, 1),
      minimum_wall_ms: round(minimum, 1),
      wall_ratio: ratio(wall, minimum),
      user_errors: report.files.filter((f) => f.errors.length > 0).length,
      findings: report.files.reduce((n, f) => n + f.findings.length, 0),
      server_429s: server.rateLimited,
      server_requests: server.chatRequests.length,
      server_max_concurrent: server.maxConcurrent,
    };
  } finally {
    await pipeline.close();
    await server.stop();
  }
}
