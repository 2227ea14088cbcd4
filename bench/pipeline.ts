/**
 * The orchestrator as the extension wires it (src/extension/services.ts): the secret guard, the
 * usage ledger and the audit log as recorders, budget gate over that ledger, model prices, the
 * tiered response cache — on a temporary storage folder — pointed at a fake server on
 * 127.0.0.1 through the `openai` preset's endpoint override. Budgets are set (generously) so
 * the gate really reads the ledger on every request instead of returning early.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TieredResponseCache } from '../src/core/cache/responseCache';
import { MemoryKeyStore } from '../src/core/host';
import { AuditLog } from '../src/core/audit/auditLog';
import { SecretGuard } from '../src/core/secrets/secretGuard';
import { Orchestrator } from '../src/core/orchestrator';
import type { Timers } from '../src/core/resilience/timers';
import { SettingsSchema, type Settings } from '../src/core/settings';
import { LedgerBudgetGate } from '../src/core/budget/budgetGate';
import { ModelPrices } from '../src/core/pricing/priceBook';
import { UsageLedger } from '../src/core/ledger/usageLedger';
import type { FakeOpenAIServer } from '../test/fake-server';

export const BENCH_MODEL = 'gpt-4o-mini';
export const BENCH_KEY = 'sk-bench-loopback';
/** A model for warming a pipeline up: the fake server's limits count per model, so it costs the measured model nothing. */
export const WARMUP_MODEL = 'gpt-4o-warmup';

export interface Pipeline {
  orchestrator: Orchestrator;
  cache: TieredResponseCache;
  ledger: UsageLedger;
  storageDir: string;
  settings: Settings;
  /** A second orchestrator and cache on the same storage, as after a restart (memory empty). */
  restarted(): Promise<{ orchestrator: Orchestrator; cache: TieredResponseCache; close(): void }>;
  close(): Promise<void>;
}

/** Settings of a user on the OpenAI preset whose endpoint is the fake server, plus `extra`. */
export function benchSettings(server: FakeOpenAIServer, extra: Record<string, unknown> = {}): Settings {
  return SettingsSchema.parse({
    provider: 'openai',
    endpoints: { openai: server.v1Url },
    models: { explain: [BENCH_MODEL] },
    budgets: { dailyUsd: 1_000, monthlyUsd: 10_000, monthlyTokens: 1_000_000_000 },
    ...extra,
  });
}

export interface PipelineOptions {
  timers?: Timers;
  /** Leave out the stages that write to disk or read the ledger (ledger, audit log, budget gate), to see what they cost. */
  withoutLedger?: boolean;
}

export async function startPipeline(server: FakeOpenAIServer, settings: Settings, options: PipelineOptions = {}): Promise<Pipeline> {
  const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-bench-'));
  const read = (): Settings => settings;
  const keys = new MemoryKeyStore();
  await keys.set('openai', BENCH_KEY);
  const audit = new AuditLog({ storageDir, settings: read });
  const build = (ledger: UsageLedger, cache: TieredResponseCache): Orchestrator => {
    const prices = new ModelPrices(read);
    const recording = {
      budget: new LedgerBudgetGate({ ledger, prices, settings: read, events: audit }),
      recorders: [ledger, audit],
      security: audit,
      contentAudit: audit,
    };
    return new Orchestrator({
      settings: read,
      keys,
      storageDir,
      env: {},
      workspaceHash: 'b'.repeat(64),
      guard: new SecretGuard({ settings: read, events: audit }),
      cache,
      prices,
      ...(options.withoutLedger ? {} : recording),
      ...(options.timers ? { timers: options.timers } : {}),
    });
  };
  const ledger = new UsageLedger({ storageDir, settings: read });
  const cache = new TieredResponseCache({ storageDir, settings: read });
  const orchestrator = build(ledger, cache);
  return {
    orchestrator,
    cache,
    ledger,
    storageDir,
    settings,
    restarted: async () => {
      const fresh = new TieredResponseCache({ storageDir, settings: read });
      const second = build(ledger, fresh);
      return { orchestrator: second, cache: fresh, close: () => void second.dispose() };
    },
    close: async () => {
      await orchestrator.dispose();
      await Promise.all([ledger.close(), audit.close()]);
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
