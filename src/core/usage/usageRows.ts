/**
 * The ledger's in-memory index: every loaded record as one row of typed-array columns (about 60
 * bytes a row, against several hundred as objects), so a year of history fits in memory and
 * any query is one pass over numbers rather than a rescan of files. Request ids are not kept
 * (no query needs them); error messages are kept only for failed rows.
 */
import type { ModelTarget, UsageRecord } from '../pipeline';
import { PROVIDER_IDS, TASK_TYPES, type ProviderId, type TaskType } from '../types';
import { OUTCOMES, type Outcome } from './records';

export const FLAG_CACHE_HIT = 1;
export const FLAG_ESTIMATED = 2;
export const FLAG_OVERRIDE = 4;

const providerIndex = new Map<ProviderId, number>(PROVIDER_IDS.map((p, i) => [p, i]));
const taskIndex = new Map<TaskType, number>(TASK_TYPES.map((t, i) => [t, i]));
const outcomeIndex = new Map<Outcome, number>(OUTCOMES.map((o, i) => [o, i]));
export const OUTCOME_OK = 0;

export class UsageRows {
  length = 0;
  ts = new Float64Array(0);
  promptTokens = new Uint32Array(0);
  completionTokens = new Uint32Array(0);
  cachedTokens = new Uint32Array(0);
  /** NaN: price unknown. */
  costUsd = new Float64Array(0);
  latencyMs = new Float64Array(0);
  /** NaN: not streamed. */
  ttftMs = new Float64Array(0);
  /** Index into `targets`. */
  target = new Uint32Array(0);
  /** Index into PROVIDER_IDS. */
  provider = new Uint8Array(0);
  /** Index into TASK_TYPES. */
  task = new Uint8Array(0);
  /** Index into OUTCOMES (0 = ok). */
  outcome = new Uint8Array(0);
  flags = new Uint8Array(0);
  fallbackDepth = new Uint8Array(0);
  /** Index into `workspaces`. */
  workspace = new Uint32Array(0);
  /** Error message by row, for failed rows that had one. */
  readonly errorMessages = new Map<number, string>();
  readonly targets: ModelTarget[] = [];
  readonly workspaces: string[] = [];
  private readonly targetIds = new Map<string, number>();
  private readonly workspaceIds = new Map<string, number>();

  add(r: UsageRecord): void {
    if (this.length === this.ts.length) this.grow();
    const i = this.length++;
    this.ts[i] = r.ts;
    this.promptTokens[i] = r.promptTokens;
    this.completionTokens[i] = r.completionTokens;
    this.cachedTokens[i] = r.cachedTokens;
    this.costUsd[i] = r.costUsd ?? NaN;
    this.latencyMs[i] = r.latencyMs;
    this.ttftMs[i] = r.ttftMs ?? NaN;
    this.target[i] = this.intern(this.targetIds, this.targets, `${r.provider}\u0000${r.model}`, { provider: r.provider, model: r.model });
    this.provider[i] = providerIndex.get(r.provider) ?? 0;
    this.task[i] = taskIndex.get(r.task) ?? 0;
    this.outcome[i] = outcomeIndex.get(r.outcome) ?? 0;
    this.flags[i] = (r.cacheHit ? FLAG_CACHE_HIT : 0) | (r.tokensEstimated ? FLAG_ESTIMATED : 0) | (r.budgetOverride ? FLAG_OVERRIDE : 0);
    this.fallbackDepth[i] = r.fallbackDepth;
    this.workspace[i] = this.intern(this.workspaceIds, this.workspaces, r.workspace, r.workspace);
    if (r.outcome !== 'ok' && r.errorMessage !== undefined) this.errorMessages.set(i, r.errorMessage);
  }

  targetAt(id: number): ModelTarget {
    return this.targets[id] as ModelTarget;
  }
  providerAt(id: number): ProviderId {
    return PROVIDER_IDS[id] ?? 'openai';
  }
  taskAt(id: number): TaskType {
    return TASK_TYPES[id] ?? 'general';
  }
  /** Column value for a provider, for fast filtering. */
  providerIndexOf(provider: ProviderId): number {
    return providerIndex.get(provider) ?? -1;
  }
  taskIndexOf(task: TaskType): number {
    return taskIndex.get(task) ?? -1;
  }

  providerOf(row: number): ProviderId {
    return PROVIDER_IDS[this.provider[row] ?? 0] ?? 'openai';
  }
  taskOf(row: number): TaskType {
    return TASK_TYPES[this.task[row] ?? 0] ?? 'general';
  }
  outcomeOf(row: number): Outcome {
    return OUTCOMES[this.outcome[row] ?? 0] ?? 'ok';
  }

  private intern<T>(ids: Map<string, number>, values: T[], key: string, value: T): number {
    let id = ids.get(key);
    if (id === undefined) {
      id = values.length;
      values.push(value);
      ids.set(key, id);
    }
    return id;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.ts.length * 2);
    const grown = <A extends Float64Array | Uint32Array | Uint8Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.ts = grown(this.ts, (n) => new Float64Array(n));
    this.promptTokens = grown(this.promptTokens, (n) => new Uint32Array(n));
    this.completionTokens = grown(this.completionTokens, (n) => new Uint32Array(n));
    this.cachedTokens = grown(this.cachedTokens, (n) => new Uint32Array(n));
    this.costUsd = grown(this.costUsd, (n) => new Float64Array(n));
    this.latencyMs = grown(this.latencyMs, (n) => new Float64Array(n));
    this.ttftMs = grown(this.ttftMs, (n) => new Float64Array(n));
    this.target = grown(this.target, (n) => new Uint32Array(n));
    this.provider = grown(this.provider, (n) => new Uint8Array(n));
    this.task = grown(this.task, (n) => new Uint8Array(n));
    this.outcome = grown(this.outcome, (n) => new Uint8Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.fallbackDepth = grown(this.fallbackDepth, (n) => new Uint8Array(n));
    this.workspace = grown(this.workspace, (n) => new Uint32Array(n));
  }
}
