/**
 * Response cache: a request answered from memory, and one answered from disk (a fresh cache on
 * the same storage folder, as after a restart), against a cache miss — a round trip to the
 * fake server on 127.0.0.1 plus storing the answer. All three go through the whole pipeline
 * (a hit is still recorded in the ledger). The server's request count shows that a hit sends
 * nothing. Rounds of miss → memory hit → disk hit spread any drift over all three.
 */
import { performance } from 'node:perf_hooks';
import type { Orchestrator } from '../src/core/orchestrator';
import type { TaskRequest } from '../src/core/types';
import { FakeOpenAIServer } from '../test/fake-server';
import { benchRequest } from './overhead';
import { benchSettings, startPipeline } from './pipeline';
import { median, percentile, ratio, round } from './stats';

export interface CacheFigures {
  memory_hit_ratio: number;
  disk_hit_ratio: number;
  server_requests_on_hit: number;
  requests_per_kind: number;
  miss_median_ms: number;
  memory_hit_median_ms: number;
  disk_hit_median_ms: number;
  miss_p95_ms: number;
  memory_hit_p95_ms: number;
  disk_hit_p95_ms: number;
  /** The cache stage alone (TieredResponseCache.get), without the rest of the pipeline. */
  memory_lookup_median_ms: number;
  disk_lookup_median_ms: number;
}

export async function measureCache(opts: { rounds: number; perRound: number; warmup: number }): Promise<CacheFigures> {
  const server = await FakeOpenAIServer.start();
  const pipeline = await startPipeline(server, benchSettings(server));
  const miss: number[] = [];
  const memory: number[] = [];
  const disk: number[] = [];
  const memoryLookup: number[] = [];
  const diskLookup: number[] = [];
  let serverRequestsOnHits = 0;
  let next = 0;
  try {
    const timed = async (orchestrator: Orchestrator, request: TaskRequest, expectCached: boolean): Promise<number> => {
      const t0 = performance.now();
      const result = await orchestrator.run(request);
      const ms = performance.now() - t0;
      if (result.cached !== expectCached) throw new Error(`request ${request.prompt?.slice(0, 12)} was ${result.cached ? '' : 'not '}answered from the cache`);
      return ms;
    };
    const oneRound = async (keep: boolean): Promise<void> => {
      const batch = Array.from({ length: opts.perRound }, () => benchRequest(10_000_000 + next++, false));
      for (const request of batch) {
        const ms = await timed(pipeline.orchestrator, request, false);
        if (keep) miss.push(ms);
      }
      const before = server.chatRequests.length;
      for (const request of batch) {
        const ms = await timed(pipeline.orchestrator, request, true);
        if (keep) memory.push(ms);
      }
      const restarted = await pipeline.restarted();
      try {
        for (const request of batch) {
          const ms = await timed(restarted.orchestrator, request, true);
          if (keep) disk.push(ms);
        }
        if (restarted.cache.stats().diskHits !== batch.length) throw new Error('a restarted cache answered from somewhere other than the disk');
      } finally {
        restarted.close();
      }
      if (keep) serverRequestsOnHits += server.chatRequests.length - before;
      // The stage alone: memory (just filled), then disk through one more fresh cache.
      const target = pipeline.orchestrator.chainFor('explain')[0];
      if (!target || !keep) return;
      for (const request of batch) {
        const t0 = performance.now();
        await pipeline.cache.get(request, target);
        memoryLookup.push(performance.now() - t0);
      }
      const cold = await pipeline.restarted();
      try {
        for (const request of batch) {
          const t0 = performance.now();
          await cold.cache.get(request, target);
          diskLookup.push(performance.now() - t0);
        }
      } finally {
        cold.close();
      }
    };
    for (let i = 0; i < opts.warmup; i++) await oneRound(false);
    for (let i = 0; i < opts.rounds; i++) await oneRound(true);
  } finally {
    await pipeline.close();
    await server.stop();
  }
  const ms = (v: number): number => round(v, 3);
  return {
    memory_hit_ratio: ratio(median(memory), median(miss)),
    disk_hit_ratio: ratio(median(disk), median(miss)),
    server_requests_on_hit: serverRequestsOnHits,
    requests_per_kind: miss.length,
    miss_median_ms: ms(median(miss)),
    memory_hit_median_ms: ms(median(memory)),
    disk_hit_median_ms: ms(median(disk)),
    miss_p95_ms: ms(percentile(miss, 95)),
    memory_hit_p95_ms: ms(percentile(memory, 95)),
    disk_hit_p95_ms: ms(percentile(disk, 95)),
    memory_lookup_median_ms: ms(median(memoryLookup)),
    disk_lookup_median_ms: ms(median(diskLookup)),
  };
}
