/**
 * Orchestrator overhead: the same requests through the whole pipeline and through the bare
 * `openai` SDK (retries off), to the same fake server on 127.0.0.1, one at a time, in ABBA
 * order so drift and going-first cancel out. Non-streamed: whole-request latency. Streamed:
 * time to the first content token, both measured from the moment the caller asks.
 *
 * The answer does not wait for its accounting: the usage record and audit line are written
 * after it (group-committed), and `durable` times how long after the caller asked (and after the
 * answer) the record was acknowledged — on disk, with fsync. Each pair waits for that before the
 * next request, so one request's writing does not land inside the next one's timing.
 *
 * The pipeline runs as users run it: bundled and minified like dist/ (productionPipeline.ts).
 *
 * Two smaller runs change one thing each — the ledger's fsync off, then no ledger stages at
 * all (no recorder, no budget gate) — so the report can say what the overhead is made of.
 */
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import { messagesOf } from '../src/core/providers/messages';
import type { Settings } from '../src/core/settings';
import type { TaskRequest } from '../src/core/types';
import { FakeOpenAIServer, reply } from '../test/fake-server';
import { BENCH_KEY, BENCH_MODEL, type Pipeline, type PipelineOptions } from './pipeline';
import { productionPipeline } from './productionPipeline';
import { measuredFirst, median, percentile, ratio, round } from './stats';

export interface OverheadFigures {
  /** Median added latency of the full pipeline over the bare SDK (the median of per-pair differences). */
  added_ms: number;
  /**
   * Median added CPU time per request (process.cpuUsage, user + system, both lanes including the
   * in-process fake server's share): steadier than wall time on a loaded machine.
   */
  added_cpu_ms: number;
  /** The same for a streamed request, from the ask to its first content token. */
  stream_ttft_added_cpu_ms: number;
  /** Median time from the caller's ask until the usage record was acknowledged (ledger line with fsync, audit line). */
  durable_ms: number;
  /** Median time from the answer until then. */
  durable_after_answer_ms: number;
  ratio_median: number;
  ratio_p95: number;
  stream_ttft_ratio: number;
  stream_ttft_ratio_p95: number;
  requests: number;
  streamed_requests: number;
  pipeline_median_ms: number;
  pipeline_p95_ms: number;
  sdk_median_ms: number;
  sdk_p95_ms: number;
  /** Median of the per-pair differences: what the pipeline adds to one request. */
  added_median_ms: number;
  pipeline_ttft_median_ms: number;
  sdk_ttft_median_ms: number;
  /** Which stages were wired in the headline figures. */
  stages: { ledger_fsync: boolean; budget_gate: boolean; guard: boolean; audit_log: boolean; cache: false };
  /** Smaller runs of the same comparison with stages changed, to show what the overhead is made of. */
  breakdown: { fsync_off: Breakdown; without_ledger_stages: Breakdown };
  /** The same comparison against a server that takes PROVIDER_LATENCY_MS to answer, like a fast hosted model. */
  at_provider_latency: Breakdown & { server_latency_ms: number };
}

export interface Breakdown {
  requests: number;
  ratio_median: number;
  ratio_p95: number;
  added_median_ms: number;
  added_cpu_ms: number;
  stream_ttft_ratio: number;
}

interface Comparison {
  latency: { measured: number[]; baseline: number[] };
  ttft: { measured: number[]; baseline: number[] };
  /** CPU milliseconds of each request above, in the same order. */
  cpu: { latency: { measured: number[]; baseline: number[] }; ttft: { measured: number[]; baseline: number[] } };
  /** Per pipeline request: ask → record acknowledged, and answer → record acknowledged. */
  durable: { fromAsk: number[]; fromAnswer: number[] };
}

/** About what an Explain of one function sends: a short instruction and some code. */
const CODE = `export function parseDuration(text: string): number {
  const match = /^(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(\`Not a duration: \${text}\`);
  const value = Number(match[1]);
  switch (match[2]) {
    case 'ms': return value;
    case 's': return value * 1000;
    case 'm': return value * 60_000;
    default: return value * 3_600_000;
  }
}
`;

export function benchRequest(i: number, stream: boolean): TaskRequest {
  return {
    task: 'explain',
    systemPrompt: 'You are a concise senior engineer. Answer in Markdown.',
    prompt: `Request ${i}: explain what this TypeScript function does and name one edge case.\n\n\`\`\`ts\n${CODE}\`\`\``,
    stream,
  };
}

export interface OverheadOptions {
  requests: number;
  streamed: number;
  warmup: number;
  /** Requests (each kind) of each breakdown run. */
  breakdown: number;
  /** Requests (each kind) against the server with a provider-like latency. */
  provider: number;
}

/**
 * A hosted model's quickest answers take a few hundred milliseconds; 150 ms is a generous lower
 * bound, so the ratio at this latency is the overhead a user could ever notice.
 */
export const PROVIDER_LATENCY_MS = 150;
const ANSWER = 'It parses a duration such as "1.5 s" into milliseconds. Edge case: negative numbers are rejected by the pattern. '.repeat(3);

export async function measureOverhead(opts: OverheadOptions): Promise<OverheadFigures> {
  const server = await FakeOpenAIServer.start();
  // An answer of a few sentences, split into word chunks when streamed.
  server.handle(() => reply.text(ANSWER));
  const sdk = new OpenAI({ baseURL: server.v1Url, apiKey: BENCH_KEY, maxRetries: 0, organization: null, project: null, logLevel: 'off' });
  try {
    const { benchSettings, startPipeline } = await productionPipeline();
    const compare = (settings: Settings, options: PipelineOptions, plan: OverheadOptions): Promise<Comparison> =>
      compareWith(() => startPipeline(server, settings, options), sdk, plan);
    const settings = benchSettings(server, { cache: { enabled: false } });
    const full = await compare(settings, {}, opts);
    const fsyncOff = await compare(benchSettings(server, { cache: { enabled: false }, ledger: { fsync: false } }), {}, small(opts));
    const noLedger = await compare(settings, { withoutLedger: true }, small(opts));
    server.handle(() => reply.text(ANSWER, { delayMs: PROVIDER_LATENCY_MS }));
    const slow = await compare(settings, {}, { ...opts, requests: opts.provider, streamed: opts.provider, warmup: 5 });
    const { latency, ttft, durable, cpu } = full;
    return {
      added_ms: addedMedian(latency),
      added_cpu_ms: addedMedian(cpu.latency),
      stream_ttft_added_cpu_ms: addedMedian(cpu.ttft),
      durable_ms: round(median(durable.fromAsk), 3),
      durable_after_answer_ms: round(median(durable.fromAnswer), 3),
      ratio_median: ratio(median(latency.measured), median(latency.baseline)),
      ratio_p95: ratio(percentile(latency.measured, 95), percentile(latency.baseline, 95)),
      stream_ttft_ratio: ratio(median(ttft.measured), median(ttft.baseline)),
      stream_ttft_ratio_p95: ratio(percentile(ttft.measured, 95), percentile(ttft.baseline, 95)),
      requests: opts.requests,
      streamed_requests: opts.streamed,
      pipeline_median_ms: round(median(latency.measured), 3),
      pipeline_p95_ms: round(percentile(latency.measured, 95), 3),
      sdk_median_ms: round(median(latency.baseline), 3),
      sdk_p95_ms: round(percentile(latency.baseline, 95), 3),
      added_median_ms: addedMedian(latency),
      pipeline_ttft_median_ms: round(median(ttft.measured), 3),
      sdk_ttft_median_ms: round(median(ttft.baseline), 3),
      stages: { ledger_fsync: settings.ledger.fsync, budget_gate: true, guard: true, audit_log: true, cache: false },
      breakdown: { fsync_off: breakdown(fsyncOff), without_ledger_stages: breakdown(noLedger) },
      at_provider_latency: { ...breakdown(slow), server_latency_ms: PROVIDER_LATENCY_MS },
    };
  } finally {
    await server.stop();
  }
}

function small(opts: OverheadOptions): OverheadOptions {
  return { ...opts, requests: opts.breakdown, streamed: opts.breakdown, warmup: Math.min(opts.warmup, 50) };
}

/** Warms up, then measures plain requests and streamed first tokens, pipeline against SDK. */
async function compareWith(start: () => Promise<Pipeline>, sdk: OpenAI, opts: OverheadOptions): Promise<Comparison> {
  const pipeline = await start();
  try {
    const durable: Comparison['durable'] = { fromAsk: [], fromAnswer: [] };
    const cpuOf = { plain: [] as number[], firstToken: [] as number[] };
    const plain = async (req: TaskRequest, lane: Lane): Promise<number> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      if (lane === 'sdk') {
        await sdk.chat.completions.create({ model: BENCH_MODEL, messages: messagesOf(req) });
        const took = performance.now() - t0;
        cpuOf.plain.push(cpuMs(c0));
        return took;
      }
      const result = await pipeline.orchestrator.run(req);
      const answered = performance.now();
      cpuOf.plain.push(cpuMs(c0));
      await result.recorded;
      const done = performance.now();
      durable.fromAsk.push(done - t0);
      durable.fromAnswer.push(done - answered);
      return answered - t0;
    };
    const firstToken = async (req: TaskRequest, lane: Lane): Promise<number> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let ttft: number | undefined;
      const first = (): void => {
        if (ttft !== undefined) return;
        ttft = performance.now() - t0;
        cpuOf.firstToken.push(cpuMs(c0));
      };
      if (lane === 'pipeline') {
        const result = await pipeline.orchestrator.run(req, { onDelta: first });
        await result.recorded;
      } else {
        const stream = await sdk.chat.completions.create({ model: BENCH_MODEL, messages: messagesOf(req), stream: true, stream_options: { include_usage: true } });
        for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) first();
      }
      if (ttft === undefined) throw new Error(`the ${lane} stream brought no content`);
      return ttft;
    };
    await pairs(opts.warmup, (i, lane) => plain(benchRequest(-1 - i, false), lane));
    await pairs(opts.warmup, (i, lane) => firstToken(benchRequest(-1 - i, true), lane));
    durable.fromAsk.length = 0;
    durable.fromAnswer.length = 0;
    cpuOf.plain.length = 0;
    cpuOf.firstToken.length = 0;
    const latency = await pairs(opts.requests, (i, lane) => plain(benchRequest(i, false), lane));
    const ttft = await pairs(opts.streamed, (i, lane) => firstToken(benchRequest(opts.requests + i, true), lane));
    return { latency, ttft, durable, cpu: { latency: byLane(cpuOf.plain, opts.requests), ttft: byLane(cpuOf.firstToken, opts.streamed) } };
  } finally {
    await pipeline.close();
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Splits CPU samples taken in `pairs`' ABBA order back into the pipeline's and the SDK's, pair by pair. */
function byLane(samples: readonly number[], count: number): { measured: number[]; baseline: number[] } {
  const measured: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = samples[2 * i] as number;
    const b = samples[2 * i + 1] as number;
    if (measuredFirst(i)) {
      measured.push(a);
      baseline.push(b);
    } else {
      baseline.push(a);
      measured.push(b);
    }
  }
  return { measured, baseline };
}

function addedMedian(latency: Comparison['latency']): number {
  return round(median(latency.measured.map((m, i) => m - (latency.baseline[i] as number))), 3);
}

function breakdown(c: Comparison): Breakdown {
  return {
    requests: c.latency.measured.length,
    ratio_median: ratio(median(c.latency.measured), median(c.latency.baseline)),
    ratio_p95: ratio(percentile(c.latency.measured, 95), percentile(c.latency.baseline, 95)),
    added_median_ms: addedMedian(c.latency),
    added_cpu_ms: addedMedian(c.cpu.latency),
    stream_ttft_ratio: ratio(median(c.ttft.measured), median(c.ttft.baseline)),
  };
}

type Lane = 'pipeline' | 'sdk';

/** Runs `count` rounds of one pipeline and one SDK request, in ABBA order. */
export async function pairs(count: number, one: (i: number, lane: Lane) => Promise<number>): Promise<{ measured: number[]; baseline: number[] }> {
  const measured: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < count; i++) {
    if (measuredFirst(i)) {
      measured.push(await one(i, 'pipeline'));
      baseline.push(await one(i, 'sdk'));
    } else {
      baseline.push(await one(i, 'sdk'));
      measured.push(await one(i, 'pipeline'));
    }
  }
  return { measured, baseline };
}

