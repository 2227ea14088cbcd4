/**
 * The contracts between the orchestrator and the stages around the provider call
 * (see ../shared/design/architecture.md, "The pipeline"). The orchestrator is the only place
 * that knows their order; each stage is a small module implementing one interface here.
 */
import type { UsageRecord } from './ledger/usageRecord';
import type { FinishReason, ProviderId, SentRedactions, TaskRequest, TaskType, TokenUsage } from './types';

export type { CostSource, UsageRecord } from './ledger/usageRecord';

/** A concrete model on a concrete provider. */
export interface ModelTarget {
  provider: ProviderId;
  model: string;
}

/** Stage: secret scan and size check of the outgoing prompt. */
export interface PromptGuard {
  /**
   * Returns the request to send (unchanged, or with secrets redacted). Throws
   * AurelisError 'secret_blocked', 'too_large' or 'cancelled' (the user chose Cancel).
   */
  inspect(request: TaskRequest, context: GuardContext): Promise<TaskRequest>;
}
export interface GuardContext {
  requestId: string;
  target: ModelTarget;
  /** The target model's input token limit, when the catalog knows it. */
  inputTokenLimit?: number;
  signal?: AbortSignal;
  /** Tells the user something while the request runs (e.g. that secrets were redacted). */
  notify?: (notice: Notice) => void;
  /** Hears which placeholders stand for which values when secrets were redacted (kept in memory only). */
  onRedactions?: (redactions: SentRedactions) => void;
}

/** Stage: the budget gate, before anything is sent. */
export interface BudgetGate {
  /** Throws AurelisError 'budget_exceeded' (next steps: raiseBudget, allowOnce) to stop the request. */
  check(check: BudgetCheck): Promise<BudgetDecision>;
}
export interface BudgetCheck {
  requestId: string;
  task: TaskType;
  target: ModelTarget;
  /** The prompt's exact token count (the tokenizer runs when this is first read). */
  promptTokens: number;
  /**
   * At least `promptTokens`, known without counting: a gate whose decision with it is "allow"
   * would allow with the exact count too, and need not count.
   */
  promptTokenBound?: number;
  /** The most the answer may cost: the request's max tokens or the model's output limit. */
  maxOutputTokens: number;
  /** The user chose "Allow once". */
  override: boolean;
}
export type BudgetDecision =
  | { action: 'allow' }
  /** Past the warn threshold: tell the user once per period, then send. */
  | { action: 'warn'; message: string }
  /** Past the throttle threshold: route to the cheapest capable model of the chain. */
  | { action: 'throttle'; message: string };

/** What the cache keeps for one answer. */
export interface CachedAnswer {
  content: string;
  provider: ProviderId;
  model: string;
  usage: TokenUsage;
  finishReason: FinishReason;
  /** Epoch ms. */
  storedAt: number;
}

/** Stage: the response cache (memory, then disk). Keyed on the request and the chain's first target. */
export interface ResponseCache {
  get(request: TaskRequest, target: ModelTarget): Promise<CachedAnswer | undefined>;
  /** Only complete, successful answers are stored; never failures or cancelled streams. */
  set(request: TaskRequest, target: ModelTarget, answer: CachedAnswer): Promise<void>;
}

/** Prices: null means "price unknown" — never shown as $0. */
export interface PriceBook {
  cost(target: ModelTarget, usage: Pick<TokenUsage, 'promptTokens' | 'completionTokens' | 'cachedTokens'>): number | null;
}

/** Stage: where every finished request is written (usage ledger, audit log). */
export interface UsageRecorder {
  record(record: UsageRecord): Promise<void>;
}

/**
 * Where prompt and response text may be kept for audit (`aurelis.audit.includeContent`); the
 * implementation decides whether to keep it and scans and redacts it first.
 */
export interface ContentAudit {
  /** Whether text would be kept now; when it says no, the request does not even build the text. */
  keepsContent?(): boolean;
  content(entry: { requestId: string; direction: 'prompt' | 'response'; text: string }): Promise<void>;
}

/** Things the user should hear about while a request runs (budget warnings, throttling, fallbacks). */
export interface Notice {
  kind: 'budget_warn' | 'budget_throttle' | 'fallback' | 'rate_wait' | 'secret_redacted';
  message: string;
}
