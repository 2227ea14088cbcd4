/**
 * The ledger's in-memory index: every loaded record as one row of typed-array columns (about 60
 * bytes a row, against several hundred as objects), so a year of history fits in memory and
 * any query is one pass over numbers rather than a rescan of files. Request ids are not kept
 * (no query needs them); error messages are kept only for failed rows.
 *
 * Rows are grouped into segments of consecutive rows with their time span, so a query about
 * this month skips the rest of the year without looking at it.
 */
import type { ModelTarget, UsageRecord } from '../pipeline';
import { RECORDED_TASKS, type RecordedTask } from '../../shared/taskTypes';
import { PROVIDER_IDS, type ProviderId } from '../types';
import { OUTCOMES, type Outcome } from './usageRecord';

export const FLAG_CACHE_HIT = 1;
export const FLAG_ESTIMATED = 2;
export const FLAG_OVERRIDE = 4;
/** The provider said what the request cost (the cost is its figure, not our estimate). */
export const FLAG_COST_REPORTED = 8;

const providerIndex = new Map<ProviderId, number>(PROVIDER_IDS.map((p, i) => [p, i]));
const taskIndex = new Map<RecordedTask, number>(RECORDED_TASKS.map((t, i) => [t, i]));
const outcomeIndex = new Map<Outcome, number>(OUTCOMES.map((o, i) => [o, i]));
export const OUTCOME_OK = 0;

/** Rows per segment: small enough to skip finely, large enough to keep the list short. */
const SEGMENT_ROWS = 8192;

type Column = Float64Array | Uint32Array | Uint8Array;
export const COLUMN_TYPES = {
  ts: Float64Array,
  promptTokens: Uint32Array,
  completionTokens: Uint32Array,
  cachedTokens: Uint32Array,
  costUsd: Float64Array,
  latencyMs: Float64Array,
  ttftMs: Float64Array,
  target: Uint32Array,
  provider: Uint8Array,
  task: Uint8Array,
  outcome: Uint8Array,
  flags: Uint8Array,
  fallbackDepth: Uint8Array,
  workspace: Uint32Array,
  prompt: Uint32Array,
} as const;
export type ColumnName = keyof typeof COLUMN_TYPES;
export const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as ColumnName[];

export interface Segment {
  start: number;
  /** Exclusive. */
  end: number;
  minTs: number;
  maxTs: number;
}

/** Rows of one ledger file as saved in an index snapshot (see indexSnapshot.ts). */
export interface RowBlock {
  length: number;
  columns: Record<ColumnName, Column>;
  targets: ModelTarget[];
  workspaces: string[];
  /** Prompt file names; index 0 is "no prompt file". */
  prompts: string[];
  /** Error messages by row number within the block. */
  errorMessages: Array<[number, string]>;
}

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
  /** Index into RECORDED_TASKS. */
  task = new Uint8Array(0);
  /** Index into OUTCOMES (0 = ok). */
  outcome = new Uint8Array(0);
  flags = new Uint8Array(0);
  fallbackDepth = new Uint8Array(0);
  /** Index into `workspaces`. */
  workspace = new Uint32Array(0);
  /** Index into `prompts` (0: not a prompt file's request). */
  prompt = new Uint32Array(0);
  /** Error message by row, for failed rows that had one. */
  readonly errorMessages = new Map<number, string>();
  readonly targets: ModelTarget[] = [];
  readonly workspaces: string[] = [];
  readonly prompts: string[] = [''];
  readonly segments: Segment[] = [];
  private readonly targetIds = new Map<string, number>();
  private readonly workspaceIds = new Map<string, number>();
  private readonly promptIds = new Map<string, number>([['', 0]]);

  add(r: UsageRecord): void {
    if (this.length === this.ts.length) this.reserve(this.length + 1);
    const i = this.length++;
    this.ts[i] = r.ts;
    this.promptTokens[i] = r.promptTokens;
    this.completionTokens[i] = r.completionTokens;
    this.cachedTokens[i] = r.cachedTokens;
    this.costUsd[i] = r.costUsd ?? NaN;
    this.latencyMs[i] = r.latencyMs;
    this.ttftMs[i] = r.ttftMs ?? NaN;
    this.target[i] = this.internTarget({ provider: r.provider, model: r.model });
    this.provider[i] = providerIndex.get(r.provider) ?? 0;
    this.task[i] = taskIndex.get(r.task) ?? 0;
    this.outcome[i] = outcomeIndex.get(r.outcome) ?? 0;
    this.flags[i] = (r.cacheHit ? FLAG_CACHE_HIT : 0) | (r.tokensEstimated ? FLAG_ESTIMATED : 0) | (r.budgetOverride ? FLAG_OVERRIDE : 0) | (r.costSource === 'provider' ? FLAG_COST_REPORTED : 0);
    this.fallbackDepth[i] = r.fallbackDepth;
    this.workspace[i] = this.internWorkspace(r.workspace);
    this.prompt[i] = this.internPrompt(r.prompt ?? '');
    if (r.outcome !== 'ok' && r.errorMessage !== undefined) this.errorMessages.set(i, r.errorMessage);
    this.extendSegments(i, i + 1);
  }

  /** Appends a block of rows read from a snapshot, mapping its string tables onto ours. */
  addBlock(block: RowBlock): void {
    const first = this.length;
    this.reserve(first + block.length);
    for (const name of COLUMN_NAMES) this.column(name).set(block.columns[name].subarray(0, block.length), first);
    const targetMap = block.targets.map((t) => this.internTarget(t));
    const workspaceMap = block.workspaces.map((w) => this.internWorkspace(w));
    const promptMap = block.prompts.map((p) => this.internPrompt(p));
    for (let i = first; i < first + block.length; i++) {
      this.target[i] = targetMap[this.target[i] as number] ?? 0;
      this.workspace[i] = workspaceMap[this.workspace[i] as number] ?? 0;
      this.prompt[i] = promptMap[this.prompt[i] as number] ?? 0;
    }
    for (const [row, message] of block.errorMessages) this.errorMessages.set(first + row, message);
    this.length = first + block.length;
    this.extendSegments(first, this.length);
  }

  /** Rows `[start, end)` as a self-contained block (for a snapshot). */
  block(start: number, end: number): RowBlock {
    const columns = Object.fromEntries(COLUMN_NAMES.map((n) => [n, this.column(n).slice(start, end)])) as Record<ColumnName, Column>;
    // Local string tables, so the block does not depend on this index's numbering.
    const targets: ModelTarget[] = [];
    const workspaces: string[] = [];
    const targetIds = new Map<number, number>();
    const workspaceIds = new Map<number, number>();
    const prompts: string[] = [''];
    const promptIds = new Map<number, number>([[0, 0]]);
    const local = (ids: Map<number, number>, id: number, add: () => void) => {
      let mapped = ids.get(id);
      if (mapped === undefined) {
        mapped = ids.size;
        ids.set(id, mapped);
        add();
      }
      return mapped;
    };
    for (let i = 0; i < end - start; i++) {
      const t = columns.target[i] as number;
      columns.target[i] = local(targetIds, t, () => targets.push(this.targetAt(t)));
      const w = columns.workspace[i] as number;
      columns.workspace[i] = local(workspaceIds, w, () => workspaces.push(this.workspaces[w] ?? ''));
      const p = columns.prompt[i] as number;
      columns.prompt[i] = local(promptIds, p, () => prompts.push(this.prompts[p] ?? ''));
    }
    const errorMessages: Array<[number, string]> = [];
    for (const [row, message] of this.errorMessages) if (row >= start && row < end) errorMessages.push([row - start, message]);
    return { length: end - start, columns, targets, workspaces, prompts, errorMessages };
  }

  column(name: ColumnName): Column {
    return this[name];
  }

  targetAt(id: number): ModelTarget {
    return this.targets[id] as ModelTarget;
  }
  providerAt(id: number): ProviderId {
    return PROVIDER_IDS[id] ?? 'openai';
  }
  taskAt(id: number): RecordedTask {
    return RECORDED_TASKS[id] ?? 'general';
  }
  /** Column value for a provider, for fast filtering. */
  providerIndexOf(provider: ProviderId): number {
    return providerIndex.get(provider) ?? -1;
  }
  taskIndexOf(task: RecordedTask): number {
    return taskIndex.get(task) ?? -1;
  }

  providerOf(row: number): ProviderId {
    return this.providerAt(this.provider[row] ?? 0);
  }
  taskOf(row: number): RecordedTask {
    return this.taskAt(this.task[row] ?? 0);
  }
  outcomeOf(row: number): Outcome {
    return OUTCOMES[this.outcome[row] ?? 0] ?? 'ok';
  }

  /** Calls `visit(start, end)` for each run of rows that may hold times in `[from, to)`. */
  forEachSpan(from: number, to: number, visit: (start: number, end: number) => void): void {
    for (const s of this.segments) if (s.maxTs >= from && s.minTs < to) visit(s.start, s.end);
  }

  private internTarget(t: ModelTarget): number {
    const key = `${t.provider}\u0000${t.model}`;
    let id = this.targetIds.get(key);
    if (id === undefined) {
      id = this.targets.length;
      this.targets.push({ provider: t.provider, model: t.model });
      this.targetIds.set(key, id);
    }
    return id;
  }

  private internWorkspace(w: string): number {
    return intern(this.workspaces, this.workspaceIds, w);
  }

  private internPrompt(p: string): number {
    return intern(this.prompts, this.promptIds, p);
  }

  /** Extends the last segment with rows `[start, end)`, opening new segments as they fill. */
  private extendSegments(start: number, end: number): void {
    let row = start;
    while (row < end) {
      let seg = this.segments[this.segments.length - 1];
      if (!seg || seg.end !== row || seg.end - seg.start >= SEGMENT_ROWS) {
        seg = { start: row, end: row, minTs: Infinity, maxTs: -Infinity };
        this.segments.push(seg);
      }
      const stop = Math.min(end, seg.start + SEGMENT_ROWS);
      for (; row < stop; row++) {
        const t = this.ts[row] as number;
        if (t < seg.minTs) seg.minTs = t;
        if (t > seg.maxTs) seg.maxTs = t;
      }
      seg.end = stop;
    }
  }

  private reserve(needed: number): void {
    if (needed <= this.ts.length) return;
    const capacity = Math.max(1024, this.ts.length * 2, needed);
    for (const name of COLUMN_NAMES) {
      const old = this.column(name);
      const next = new COLUMN_TYPES[name](capacity);
      next.set(old);
      (this as Record<ColumnName, Column>)[name] = next;
    }
  }
}

/** The id of `value` in a string table, adding it when new. */
function intern(table: string[], ids: Map<string, number>, value: string): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = table.length;
    table.push(value);
    ids.set(value, id);
  }
  return id;
}
