/** Shared fixtures for the cache, ledger, budget and analytics tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../../src/core/host';
import type { UsageRecord } from '../../../src/core/pipeline';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/settings';

export function makeRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    ts: Date.UTC(2025, 2, 10, 12, 0, 0),
    requestId: 'req-1',
    provider: 'openai',
    model: 'gpt-4o',
    task: 'generate',
    promptTokens: 1000,
    completionTokens: 500,
    cachedTokens: 0,
    tokensEstimated: false,
    costUsd: 0.0075,
    latencyMs: 1200,
    outcome: 'ok',
    cacheHit: false,
    fallbackDepth: 0,
    workspace: 'a'.repeat(64),
    ...overrides,
  };
}

/** A temporary folder removed after the current suite. */
export function useTempDir(): { readonly path: string } {
  const state = { path: '' };
  beforeEach(() => {
    state.path = mkdtempSync(path.join(tmpdir(), 'aurelis-unit-'));
  });
  afterEach(() => {
    rmSync(state.path, { recursive: true, force: true });
  });
  return state;
}

export class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Settings with some parts replaced, readable live through `get` and changeable with `set`. */
export function liveSettings(patch: (s: Settings) => void = () => undefined): { get: () => Settings; set: (patch: (s: Settings) => void) => void } {
  let current = structuredClone(DEFAULT_SETTINGS);
  patch(current);
  return {
    get: () => current,
    set: (p) => {
      current = structuredClone(current);
      p(current);
    },
  };
}

/**
 * Runs the suite's tests in an explicit IANA time zone, restoring the previous one after.
 * Node re-reads `process.env.TZ` when it is assigned, so local-time Date arithmetic follows.
 */
export function inTimeZone(tz: string): void {
  let previous: string | undefined;
  before(() => {
    previous = process.env.TZ;
    process.env.TZ = tz;
  });
  after(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}

/** Epoch ms of a wall-clock time in the current local time zone (month is 1-based). */
export function local(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
}
