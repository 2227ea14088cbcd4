/**
 * Shared setup for the orchestrator tests: fake timers that move a fake clock instead of
 * sleeping, settings built from a partial object, a temporary storage folder, and an
 * orchestrator wired to a FakeOpenAIServer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAurelisError, type AurelisError } from '../../../src/core/errors';
import { MemoryKeyStore } from '../../../src/core/host';
import { Orchestrator, type OrchestratorDeps } from '../../../src/core/orchestrator';
import { cancelledError, type Timers } from '../../../src/core/resilience/timers';
import { SettingsSchema, type Settings } from '../../../src/core/settings';
import { FakeOpenAIServer, type FakeServerOptions } from '../../fake-server';

/** 2026-05-04 10:00 UTC: a Monday morning, far from a UTC day boundary. */
export const T0 = Date.UTC(2026, 4, 4, 10, 0, 0);

export class FakeTimers implements Timers {
  private t: number;
  /** Every wait asked for, in order (backoff, pacing). */
  readonly sleeps: number[] = [];
  private readonly timeouts = new Set<{ due: number; fire: () => void }>();

  constructor(start = T0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    this.t += ms;
  }

  /** Moves the clock instead of waiting, then lets other work run. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw cancelledError();
    this.sleeps.push(ms);
    this.t += ms;
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw cancelledError();
  }

  /** Request timeouts never fire on their own: a test fires them when it wants a timeout. */
  startTimer(ms: number, fire: () => void): () => void {
    const timer = { due: this.t + ms, fire };
    this.timeouts.add(timer);
    return () => this.timeouts.delete(timer);
  }

  /**
   * Fires every pending request timeout: its time has come, so the clock moves on to it (a
   * timeout that looks at the clock when it fires sees it due). Returns how many fired.
   */
  fireTimeouts(): number {
    const due = [...this.timeouts];
    this.timeouts.clear();
    for (const timer of due) {
      this.t = Math.max(this.t, timer.due);
      timer.fire();
    }
    return due.length;
  }
}

/**
 * Timers whose waits end only when the test releases them (or when they are aborted), and that tell
 * the test when a wait starts: for tests of what cuts a wait short. A fake sleep ends at once, so
 * nothing could interrupt it; a real one would make the test depend on how fast the machine is.
 * Here a request that settles while its wait is held was cut short by its cancellation.
 */
export class HeldTimers implements Timers {
  /** Every wait asked for, in order. */
  readonly sleeps: number[] = [];
  private t: number;
  private watchers: Array<(ms: number) => void> = [];
  private held: Array<() => void> = [];

  constructor(start = T0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    this.sleeps.push(ms);
    const sleeping = new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(cancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.held.push(() => {
        signal?.removeEventListener('abort', onAbort);
        this.t += ms;
        resolve();
      });
    });
    const watchers = this.watchers;
    this.watchers = [];
    for (const tell of watchers) tell(ms);
    return sleeping;
  }

  /** Request timeouts never fire here. */
  startTimer(): () => void {
    return () => undefined;
  }

  /** Resolves with its length once the next sleep has started. */
  nextSleep(): Promise<number> {
    return new Promise((resolve) => this.watchers.push(resolve));
  }

  /** Ends every wait in progress as if its time had come; returns how many. */
  release(): number {
    const due = this.held;
    this.held = [];
    for (const end of due) end();
    return due.length;
  }
}

export type SettingsInput = Parameters<typeof SettingsSchema.parse>[0];

export function settingsFrom(input: Record<string, unknown>): Settings {
  return SettingsSchema.parse(input);
}

/** Settings for GitHub Models on the fake server, fast retries, with `extra` on top. */
export function githubSettings(server: FakeOpenAIServer, extra: Record<string, unknown> = {}): Settings {
  return settingsFrom({
    provider: 'github-models',
    endpoints: { 'github-models': server.inferenceUrl },
    ...extra,
  });
}

export interface Harness {
  server: FakeOpenAIServer;
  timers: FakeTimers;
  keys: MemoryKeyStore;
  storageDir: string;
  /** Mutable: tests change it between requests to show settings apply live. */
  settings: Settings;
  orchestrator: Orchestrator;
  /** A second orchestrator on the same storage (a restart). */
  restart(extra?: Partial<OrchestratorDeps>): Orchestrator;
  close(): Promise<void>;
}

export interface HarnessOptions {
  server?: FakeServerOptions;
  settings?: (server: FakeOpenAIServer) => Settings;
  deps?: Partial<OrchestratorDeps>;
  /** Key stored for github-models (default 'ghp_testtoken'); null stores none. */
  githubKey?: string | null;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const timers = new FakeTimers(T0);
  const server = await FakeOpenAIServer.start({ clock: timers, ...options.server });
  const keys = new MemoryKeyStore();
  if (options.githubKey !== null) await keys.set('github-models', options.githubKey ?? 'ghp_testtoken');
  const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-orch-'));
  const started: Orchestrator[] = [];
  const h: Harness = {
    server,
    timers,
    keys,
    storageDir,
    settings: options.settings ? options.settings(server) : githubSettings(server),
    orchestrator: undefined as unknown as Orchestrator,
    restart: (extra = {}) => {
      const orchestrator = new Orchestrator({ settings: () => h.settings, keys, storageDir, timers, random: () => 0.5, env: {}, ...options.deps, ...extra });
      started.push(orchestrator);
      return orchestrator;
    },
    close: async () => {
      // Every orchestrator of the test, restarts included, done writing before its folder goes.
      for (const orchestrator of started) await disposed(orchestrator);
      await server.stop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
  h.orchestrator = h.restart();
  return h;
}

/**
 * Disposes an orchestrator and waits until what it counted is on disk: a save still running after a
 * test removed its storage folder would create the folder again (a leak in the temp folder).
 */
export async function disposed(orchestrator: Orchestrator): Promise<void> {
  await orchestrator.dispose();
  await orchestrator.flush();
}

/** The AurelisError a request ends with; anything else (or success) fails the test. */
export async function failure(p: Promise<unknown>): Promise<AurelisError> {
  try {
    await p;
  } catch (e) {
    if (isAurelisError(e)) return e;
    throw e;
  }
  assert.fail('expected the request to fail');
}
