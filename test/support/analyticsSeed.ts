/**
 * A realistic usage ledger for the analytics panel's host and UI tests: thousands of records over
 * several weeks, models, providers and tasks, with working-hours peaks, cache hits, failures of
 * several kinds and a model whose price is unknown. Deterministic (seeded), so a test can compute
 * what the panel must show.
 */
import type { UsageRecord } from '../../src/core/pipeline';
import type { ProviderId, TaskType } from '../../src/core/types';
import { ledgerFileName } from '../../src/core/ledger/monthFiles';
import { encodeRecord } from '../../src/core/ledger/recordLine';
import type { Outcome } from '../../src/core/ledger/usageRecord';

interface SeedModel {
  provider: ProviderId;
  model: string;
  /** USD per million input / output tokens; null = price unknown. */
  price: { input: number; output: number } | null;
  /** Median latency, ms. */
  latencyMs: number;
  weight: number;
}

export const SEED_MODELS: readonly SeedModel[] = [
  { provider: 'openai', model: 'gpt-4o', price: { input: 2.5, output: 10 }, latencyMs: 2200, weight: 30 },
  { provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 }, latencyMs: 900, weight: 35 },
  { provider: 'openrouter', model: 'anthropic/claude-3.5-sonnet', price: { input: 3, output: 15 }, latencyMs: 3100, weight: 12 },
  { provider: 'azure-ai-foundry', model: 'gpt-4.1', price: { input: 2, output: 8 }, latencyMs: 2600, weight: 8 },
  { provider: 'ollama', model: 'qwen2.5-coder', price: { input: 0, output: 0 }, latencyMs: 5200, weight: 10 },
  { provider: 'custom', model: 'team-gateway-model', price: null, latencyMs: 1500, weight: 5 },
];

const TASKS: readonly [TaskType, number][] = [
  ['explain', 30],
  ['review', 22],
  ['generate', 20],
  ['fix', 10],
  ['document', 8],
  ['test', 6],
  ['optimize', 4],
];

const FAILURES: readonly [Outcome, number, string][] = [
  ['rate_limited', 5, 'The provider answered 429 Too Many Requests; retried 3 times. Wait a minute or choose another model.'],
  ['timeout', 3, 'The model did not answer within 60 s. Try again, or a smaller selection.'],
  ['cancelled', 4, 'Cancelled by the user.'],
  ['unavailable', 2, 'The provider answered 503 Service Unavailable.'],
  ['budget_exceeded', 1, 'The daily budget of $5.00 is used up. Raise the budget or allow this request once.'],
  ['stream_broken', 1, 'The answer stream stopped after 412 characters.'],
];

/** mulberry32: small, fast and good enough to make test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let r = rnd() * total;
  for (const t of items) {
    r -= weight(t);
    if (r < 0) return t;
  }
  return items[items.length - 1] as T;
}

/** Working hours are busy, nights are quiet. */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 5, 9, 11, 10, 6, 8, 11, 12, 10, 8, 5, 3, 2.5, 2, 1.5, 1];

export interface SeedOptions {
  /** How many records. */
  count: number;
  /** Records span the `days` local days up to and including the day of `now`. */
  days: number;
  now: number;
  seed?: number;
}

/** The records, oldest first, none later than `now`. */
export function seedRecords({ count, days, now, seed = 42 }: SeedOptions): UsageRecord[] {
  const rnd = random(seed);
  const today = new Date(now);
  const records: UsageRecord[] = [];
  for (let i = 0; i < count; i++) {
    const dayOffset = Math.floor(rnd() * days);
    const hour = pick(rnd, HOUR_WEIGHTS.map((w, h) => [h, w] as const), ([, w]) => w)[0];
    let ts = new Date(today.getFullYear(), today.getMonth(), today.getDate() - dayOffset, hour, Math.floor(rnd() * 60), Math.floor(rnd() * 60)).getTime();
    if (ts > now) ts = now - Math.floor(rnd() * 3_600_000);
    const m = pick(rnd, SEED_MODELS, (x) => x.weight);
    const task = pick(rnd, TASKS, ([, w]) => w)[0];
    const failed = rnd() < 0.07 ? pick(rnd, FAILURES, ([, w]) => w) : undefined;
    const cacheHit = !failed && rnd() < 0.14;
    const promptTokens = cacheHit || failed?.[0] === 'budget_exceeded' ? 0 : Math.round(300 + rnd() * 4000);
    const completionTokens = cacheHit || failed ? 0 : Math.round(80 + rnd() * 1200);
    const cost = m.price === null ? null : (promptTokens * m.price.input + completionTokens * m.price.output) / 1_000_000;
    const latencyMs = cacheHit ? Math.round(2 + rnd() * 10) : Math.round(m.latencyMs * Math.exp((rnd() - 0.5) * 1.6));
    const record: UsageRecord = {
      ts,
      requestId: `seed-${seed}-${i}`,
      provider: m.provider,
      model: m.model,
      task,
      promptTokens,
      completionTokens,
      cachedTokens: promptTokens > 0 && rnd() < 0.2 ? Math.round(promptTokens * 0.5) : 0,
      tokensEstimated: m.provider === 'ollama',
      costUsd: cacheHit ? 0 : cost,
      latencyMs,
      outcome: failed?.[0] ?? 'ok',
      cacheHit,
      fallbackDepth: rnd() < 0.05 ? 1 : 0,
      workspace: 'f'.repeat(64),
    };
    if (!failed && !cacheHit && rnd() < 0.6) record.ttftMs = Math.round(latencyMs * (0.1 + rnd() * 0.2));
    if (failed) record.errorMessage = failed[2];
    records.push(record);
  }
  return records.sort((a, b) => a.ts - b.ts);
}

/** The ledger's month files, name → content, written in the ledger's own line format. */
export function ledgerFiles(records: readonly UsageRecord[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of records) {
    const name = ledgerFileName(r.ts);
    files.set(name, (files.get(name) ?? '') + encodeRecord(r));
  }
  return files;
}
