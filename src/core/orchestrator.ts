/**
 * The orchestrator: every model request goes through `run`, which reads like the pipeline in
 * the architecture notes —
 *
 *   validate → route (chain or forced model) → guard → estimate tokens → budget gate → cache
 *   → for each model of the chain: global slot → pacing → retries → provider call
 *   → cache store → result (handed over) → record (after the answer; `recorded` says when it is on disk)
 *
 * Each stage is a small module; this file only knows their order. The optional stages (guard,
 * budget, cache, prices, recorders) are skipped when absent, so the orchestrator also runs bare
 * (a CLI, a test). Settings are read once per request, so changes apply from the next request on.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { CatalogModel } from './catalog/catalogSchemas';
import { ModelCatalog } from './catalog/modelCatalog';
import { limitsFor, type ModelLimits } from './catalog/modelLimits';
import { ModelFactsBook } from './routing/modelFacts';
import { AurelisError } from './errors';
import { silentLogger, systemClock, type Clock, type KeyStore, type Logger } from './host';
import { answerIsUsable } from './cache/answerCheck';
import type { BudgetGate, CachedAnswer, ContentAudit, ModelTarget, Notice, PriceBook, PromptGuard, ResponseCache, UsageRecorder } from './pipeline';
import { answeredRecord, failedRecord, type RequestFacts } from './ledger/requestRecord';
import { afterRetriesError, asAurelisError, chainExhausted, describe, pausedError, quotaSpentError, tooLargeError } from './pipelineErrors';
import { BudgetAsk, PaceAsk } from './lazyAsks';
import { Recording } from './recording';
import { checkedRequest } from './requestCheck';
import { ChatProvider, type ChatAnswer, type ChatCall } from './providers/chatProvider';
import { connectionWithKey, resolveConnection, type Connection, type KeySource } from './providers/connection';
import { messagesOf } from './providers/messages';
import type { NetworkOptions } from './providers/network';
import { describeDuration, ProviderFailure } from './providers/providerErrors';
import { PROVIDER_PRESETS, providerLabel } from './providers/presets';
import { CircuitBreakers, type BreakerSnapshot } from './resilience/circuitBreaker';
import { ConcurrencyQueue } from './resilience/concurrencyQueue';
import { DailyQuota } from './resilience/dailyQuota';
import { ModelPacer, type PacePermit, type Pacer } from './resilience/modelPacer';
import { answeredOutcome, failedOutcome } from './resilience/paceOutcome';
import { RetryStop, withRetries } from './resilience/retry';
import { realTimers, throwIfAborted, type Timers } from './resilience/timers';
import { cheapestFirst, chainFor, resolveChain } from './routing/modelChain';
import { reasoningEffortFor } from './routing/outputAllowance';
import { reportedCostOf } from './pricing/reportedCost';
import { targetKey } from './routing/modelRef';
import type { SecurityEventSink } from './audit/auditEvents';
import type { Settings } from './settings';
import { countTokens, PromptSize } from './tokens';
import { type AnswerCheck, type ChatMessage, type ProviderId, type RunOptions, type TaskRequest, type TaskResult, type TaskType, type TokenUsage } from './types';

/**
 * What `run` returns: the result, plus `recorded`, which resolves once the request's usage record
 * (ledger and audit log) is acknowledged — on disk as the ledger's file comment defines it. The
 * answer does not wait for it. Not enumerable: it is not part of the result's data (JSON, equality).
 */
export type RecordedResult = TaskResult & { readonly recorded: Promise<void> };

export type { CatalogModel } from './catalog/catalogSchemas';

export interface OrchestratorDeps {
  /** Read live: changes apply without reload. */
  settings: () => Settings;
  keys: KeyStore;
  /** Per-model daily request counts persist in `<storageDir>/ratelimits.json`. */
  storageDir: string;
  clock?: Clock;
  logger?: Logger;
  /** Key variables the host allows when no key is stored (`KEY_VARIABLES`; the editor passes `GITHUB_TOKEN` only). */
  env?: Record<string, string | undefined>;
  /** SHA-256 of the workspace identity, carried into usage records. */
  workspaceHash?: string;
  guard?: PromptGuard;
  budget?: BudgetGate;
  cache?: ResponseCache;
  prices?: PriceBook;
  recorders?: UsageRecorder[];
  /** Hears which key source each provider uses (secret storage or GITHUB_TOKEN), never the key. */
  security?: SecurityEventSink;
  /** Keeps prompt and response text when the user asked for it (audit.includeContent). */
  contentAudit?: ContentAudit;
  /** Waiting (backoff, pacing, timeouts); tests pass fake timers that move a fake clock. */
  timers?: Timers;
  /** Source of backoff jitter, [0, 1). */
  random?: () => number;
  /** The editor's proxy settings (VS Code's http.proxy and http.proxyStrictSSL), read for every request. */
  httpProxy?: () => { proxy?: string; strictSSL: boolean };
  /** Team mode: wraps a model's local pacer in one that shares its windows with the team. */
  sharedPacer?: (target: ModelTarget, local: Pacer, timers: Timers) => Pacer;
}

/** Waits shorter than this are not worth telling the user about. */
const NOTICE_WAIT_MS = 1000;

/** Errors that end the request instead of trying the chain's next model. */
const STOPS_THE_CHAIN = new Set<AurelisError['kind']>(['cancelled', 'content_filtered', 'stream_broken', 'budget_exceeded', 'secret_blocked', 'restricted_mode']);
/** Errors that no other model of the same provider can avoid. */
const PROVIDER_WIDE = new Set<AurelisError['kind']>(['auth', 'no_key', 'retired', 'config']);

/** One request on its way through the pipeline: what the usage record will say. */
interface RunState extends RequestFacts {
  /** Read once when the request starts. */
  settings: Settings;
  signal: AbortSignal;
  options: RunOptions;
  target?: ModelTarget;
  fallbackDepth: number;
  /** The prompt's byte bound at once; its exact token count only for the stages that need it. */
  prompt: PromptSize;
  /** The chat messages of the request as the guard let it through: what every attempt sends. */
  messages?: ChatMessage[];
  /** Where the answering model's API key came from (logged after the answer). */
  keySource?: KeySource;
  /** The environment variable the key came from, when it did. */
  keyVariable?: string;
  /** The model the budget gate last priced this request for. */
  budgetedFor?: string;
  /** Budget messages already passed on for this request (made when there is one). */
  budgetNotices?: Set<string>;
  /** Audit lines written on the request's behalf (its prompt text, a new key source); `recorded` waits for them. */
  audits: Promise<void>[];
}

interface Answer extends ChatAnswer {
  target: ModelTarget;
  fallbackDepth: number;
}

export class Orchestrator {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly chat: ChatProvider;
  private readonly catalog: ModelCatalog;
  private readonly facts: ModelFactsBook;
  private readonly breakers: CircuitBreakers;
  private readonly quota: DailyQuota;
  private readonly slots: ConcurrencyQueue;
  private readonly pacers = new Map<string, Pacer>();
  /** The key source last used per provider, so a change of source is logged once. */
  private readonly keySources = new Map<ProviderId, KeySource>();
  /** Aborts everything still running when the orchestrator is disposed. */
  private readonly lifetime = new AbortController();
  private readonly recording: Recording;
  /** Requests still running, so `dispose()` can wait for them to unwind and record how they ended. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: OrchestratorDeps) {
    this.clock = deps.timers ?? deps.clock ?? systemClock;
    this.timers = deps.timers ?? realTimers(this.clock);
    this.logger = deps.logger ?? silentLogger;
    this.chat = new ChatProvider(this.timers, () => networkOptions(deps.httpProxy?.(), deps.settings().network.caFile));
    this.catalog = new ModelCatalog(this.chat, this.clock, () => this.timeoutMs());
    this.facts = new ModelFactsBook(this.catalog);
    this.breakers = new CircuitBreakers(this.clock, () => {
      const b = deps.settings().breaker;
      return { failureThreshold: b.failureThreshold, cooldownSeconds: b.cooldownSeconds, halfOpenMaxCalls: b.halfOpenMaxCalls };
    });
    this.quota = new DailyQuota(deps.storageDir, this.clock, this.logger);
    this.slots = new ConcurrencyQueue(() => deps.settings().maxConcurrentRequests);
    this.recording = new Recording(deps.recorders ?? [], this.logger);
    // Every running request listens for disposal; a busy batch easily passes the default of 10.
    setMaxListeners(0, this.lifetime.signal);
  }

  run(input: TaskRequest, options: RunOptions = {}): Promise<RecordedResult> {
    const running = this.runSignalled(input, options);
    this.running.add(running);
    const settled = (): void => void this.running.delete(running);
    running.then(settled, settled);
    return running;
  }

  private runSignalled(input: TaskRequest, options: RunOptions): Promise<RecordedResult> {
    // Without a signal of the caller's, the orchestrator's own lifetime is the request's: no link
    // needed, and no async layer of its own (each one is more promise turns before the answer).
    if (!options.signal) return this.runLinked(input, options, this.lifetime.signal);
    return this.runWithLink(input, options, options.signal);
  }

  private async runWithLink(input: TaskRequest, options: RunOptions, signal: AbortSignal): Promise<RecordedResult> {
    const link = linkSignals(this.lifetime.signal, signal);
    try {
      return await this.runLinked(input, options, link.signal);
    } finally {
      link.unlink();
    }
  }

  private async runLinked(input: TaskRequest, options: RunOptions, signal: AbortSignal): Promise<RecordedResult> {
    const run = this.start(input, options, signal);
    try {
      const settings = run.settings;
      let chain = await this.chainOf(run.request, settings);
      const first = chain[0] as ModelTarget;
      run.target = first;
      const request = await this.guard(run, first, settings);
      const messages = messagesOf(request);
      run.messages = messages;
      run.prompt = new PromptSize(messages);
      if (this.keepsContent()) this.keepContent(run, 'prompt', messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n'));
      // A cached answer costs nothing, so it is served whatever the budget says (and still recorded).
      // With the cache switched off there is nothing to look up, and no turn to wait for it.
      const hit = settings.cache.enabled ? await this.cacheLookup(run, request, first) : undefined;
      if (hit) return this.fromCache(run, hit);
      if (await this.budgetCheck(run, request, first, settings)) chain = this.cheapestFirst(chain, run, request, settings);
      const answer = await this.walkChain(run, request, chain);
      await this.cacheStore(run, request, first, answer);
      return this.finish(run, answer);
    } catch (err) {
      const error = asAurelisError(err, run.signal);
      this.recordFailure(run, error);
      throw error;
    }
  }

  /**
   * The task's chain. A server that runs one model (vLLM, llama-server) with no chain set
   * answers with the model its /models lists first, so choosing the preset is enough.
   */
  private async chainOf(request: TaskRequest, settings: Settings): Promise<readonly ModelTarget[]> {
    const preset = PROVIDER_PRESETS[settings.provider];
    if (request.model !== undefined || !preset.servesOneModel || chainFor(request.task, settings).length > 0) return resolveChain(request.task, request.model, settings);
    const served = (await this.listModels(settings.provider))[0];
    return served ? [{ provider: settings.provider, model: served.id }] : resolveChain(request.task, undefined, settings);
  }

  /**
   * Runs every request (the global concurrency limit applies); results keep the input order.
   * `onSettled` hears each outcome as it arrives (a batch's progress bar).
   */
  /**
   * Runs many requests under the same limits. `usableAt` gives each request its own answer check
   * (a batch review reads each piece against the code it sent), so an unusable answer is not cached.
   */
  async runBatch(
    requests: TaskRequest[],
    options: RunOptions = {},
    onSettled?: (index: number, outcome: RecordedResult | AurelisError) => void,
    usableAt?: (index: number) => AnswerCheck | undefined,
  ): Promise<Array<RecordedResult | AurelisError>> {
    // One linked signal for the batch, so the caller's signal carries one listener, not one per request.
    const link = linkSignals(this.lifetime.signal, options.signal);
    try {
      return await Promise.all(
        requests.map(async (request, index) => {
          const usable = usableAt?.(index) ?? options.usable;
          const outcome = await this.run(request, { ...options, requestId: undefined, signal: link.signal, ...(usable ? { usable } : {}) }).catch((err: unknown) =>
            asAurelisError(err, link.signal),
          );
          onSettled?.(index, outcome);
          return outcome;
        }),
      );
    } finally {
      link.unlink();
    }
  }

  chainFor(task: TaskType): ModelTarget[] {
    return chainFor(task, this.deps.settings());
  }

  /** The provider's models with limits and rate tier (cached for an hour; `refresh` refetches). */
  async listModels(provider?: ProviderId, opts: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<CatalogModel[]> {
    const settings = this.deps.settings();
    const connection = await this.connection(provider ?? settings.provider, settings);
    const models = await this.catalog.list(connection, opts);
    return models.map((model) => withLimits(model, settings));
  }

  /**
   * Checks a key before it is stored, by listing the provider's models with it. Some servers
   * (a LiteLLM proxy, vLLM) list their models without looking at the key; when the list also
   * answers with no key at all, it proved nothing, so a one-token request with the key decides.
   */
  async validateKey(provider: ProviderId, key: string, signal?: AbortSignal): Promise<{ ok: true; models: number } | { ok: false; error: AurelisError }> {
    try {
      const settings = this.deps.settings();
      const connection = connectionWithKey(provider, settings, key.trim());
      const models = await this.catalog.fetch(connection, signal);
      const model = chainFor('explain', { ...settings, provider })[0]?.model ?? models[0]?.id;
      if (model !== undefined && (await this.listsWithoutKey(provider, settings, signal))) {
        try {
          await this.chat.complete({ connection, model, messages: [{ role: 'user', content: 'ping' }], maxTokens: 1, stream: false, signal, timeoutMs: this.timeoutMs() });
        } catch (err) {
          // Only a refusal of the key says the key is wrong; anything else (a model that is
          // not loaded, a busy server) is not the key's fault.
          const error = asAurelisError(err, signal);
          if (error.kind === 'auth' || error.kind === 'cancelled') throw error;
          this.logger.info(`Checking the key with one request to ${model} did not settle it (${error.kind}); the key is kept.`);
        }
      }
      return { ok: true, models: models.length };
    } catch (err) {
      return { ok: false, error: asAurelisError(err, signal) };
    }
  }

  private async listsWithoutKey(provider: ProviderId, settings: Settings, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.catalog.fetch(connectionWithKey(provider, settings, undefined), signal);
      return true;
    } catch {
      return false;
    }
  }

  /** One tiny request for the Health Check: no retries, no fallback; paced and counted like any other. */
  async probe(target: ModelTarget, signal?: AbortSignal): Promise<{ latencyMs: number }> {
    const settings = this.deps.settings();
    const connection = await this.connection(target.provider, settings);
    await this.quota.ready();
    const permit = await this.pace(target, settings, signal);
    const started = this.clock.now();
    try {
      await this.chat.complete({ connection, model: target.model, messages: [{ role: 'user', content: 'ping' }], maxTokens: 1, stream: false, signal, timeoutMs: this.timeoutMs() });
      return { latencyMs: this.clock.now() - started };
    } catch (err) {
      throw asAurelisError(err, signal);
    } finally {
      permit.release();
    }
  }

  breakerStates(): BreakerSnapshot[] {
    return this.breakers.snapshots();
  }

  /**
   * Resolves when everything counted and recorded so far is on disk: the daily request counts,
   * and every finished request's usage record and audit lines (see RecordedResult.recorded).
   */
  async flush(): Promise<void> {
    await Promise.all([this.quota.flush(), this.recording.flush()]);
  }

  /**
   * Cancels everything still running, then resolves when everything is on disk: the daily
   * counts already counted and the records of every request that ended, cancelled ones included.
   */
  async dispose(): Promise<void> {
    this.lifetime.abort();
    this.chat.dispose();
    // Cancelled requests record their failure once their stages have unwound.
    await Promise.allSettled([...this.running]);
    await this.flush();
  }

  // ── the stages, in pipeline order ──────────────────────────────────────────────────────

  private start(input: TaskRequest, options: RunOptions, signal: AbortSignal): RunState {
    const requestId = options.requestId ?? randomUUID();
    const request = checkedRequest(input);
    return { requestId, started: this.clock.now(), request, workspace: this.deps.workspaceHash ?? '', settings: this.deps.settings(), signal, options, fallbackDepth: 0, prompt: PromptSize.NONE, audits: [] };
  }

  private async guard(run: RunState, first: ModelTarget, settings: Settings): Promise<TaskRequest> {
    if (!this.deps.guard) return run.request;
    const limits = this.limits(first, settings);
    const inspected = await this.deps.guard.inspect(run.request, {
      requestId: run.requestId,
      target: first,
      signal: run.signal,
      notify: (notice) => this.notify(run, notice),
      ...(run.options.onRedactions ? { onRedactions: run.options.onRedactions } : {}),
      ...(limits.maxInputTokens === undefined ? {} : { inputTokenLimit: limits.maxInputTokens }),
    });
    throwIfAborted(run.signal);
    // The guard hands back the request it was given, or a copy with text redacted: validated once, at start.
    return inspected;
  }

  /** Returns whether the gate asked for the cheapest model. Throws 'budget_exceeded'. */
  private async budgetCheck(run: RunState, request: TaskRequest, first: ModelTarget, settings: Settings): Promise<boolean> {
    if (!this.deps.budget) return false;
    run.budgetedFor = targetKey(first);
    // The prompt is counted only if the gate reads it: a gate the bound already settles does not.
    const decision = await this.deps.budget.check(new BudgetAsk(run.requestId, request.task, first, run.prompt, this.outputAllowance(request, first, settings), request.budgetOverride === true));
    throwIfAborted(run.signal);
    // A re-check for a fallback model repeats what the first check said; the user hears it once.
    if (decision.action !== 'allow' && !run.budgetNotices?.has(decision.message)) {
      (run.budgetNotices ??= new Set()).add(decision.message);
      this.notify(run, { kind: decision.action === 'warn' ? 'budget_warn' : 'budget_throttle', message: decision.message });
    }
    return decision.action === 'throttle';
  }

  /** A broken cache is a slower request, never a failed one; a hit the caller could not use is a miss. */
  private async cacheLookup(run: RunState, request: TaskRequest, first: ModelTarget): Promise<CachedAnswer | undefined> {
    if (!this.deps.cache || request.bypassCache) return undefined;
    try {
      const hit = await this.deps.cache.get(request, first);
      if (!hit || answerIsUsable(run.options.usable, hit, this.logger)) return hit;
      this.logger.info(`[${run.requestId}] The cached answer is not usable for this command; asking the model instead.`);
      return undefined;
    } catch (err) {
      this.logger.warn(`Cache lookup failed; asking the model instead: ${describe(err)}`);
      return undefined;
    }
  }

  private cheapestFirst(chain: readonly ModelTarget[], run: RunState, request: TaskRequest, settings: Settings): readonly ModelTarget[] {
    const prices = this.deps.prices;
    if (!prices) return chain;
    return cheapestFirst(chain, (target) =>
      prices.cost(target, { promptTokens: run.prompt.tokens, completionTokens: this.outputAllowance(request, target, settings), cachedTokens: 0 }),
    );
  }

  /** Tries each model in turn; a model that cannot answer hands over to the next. */
  private async walkChain(run: RunState, request: TaskRequest, chain: readonly ModelTarget[]): Promise<Answer> {
    const failures: Array<{ target: ModelTarget; error: AurelisError }> = [];
    /** Providers that failed in a way no other of their models can avoid (made at the first). */
    let deadProviders: Set<ProviderId> | undefined;
    // Read from disk by the first request only; later ones do not wait a turn for it.
    const quotaLoading = this.quota.ready();
    if (quotaLoading) await quotaLoading;
    const settings = run.settings;
    for (let depth = 0; depth < chain.length; depth++) {
      const target = chain[depth] as ModelTarget;
      throwIfAborted(run.signal);
      if (deadProviders?.has(target.provider)) continue;
      const skip = this.unusable(target, settings);
      if (skip) {
        failures.push({ target, error: skip });
        continue;
      }
      // A fallback (or the cheapest model a throttle put first) has its own price: the gate
      // checks the request again before that model is tried. "Allow once" covered the request.
      if (this.deps.budget && run.budgetedFor !== targetKey(target) && request.budgetOverride !== true) await this.budgetCheck(run, request, target, settings);
      const previous = failures[failures.length - 1];
      if (previous) this.notify(run, { kind: 'fallback', message: `${previous.target.model} could not answer (${previous.error.kind}); trying ${target.model} on ${providerLabel(target.provider)}.` });
      run.target = target;
      run.fallbackDepth = depth;
      try {
        const answer = await this.tryModel(run, request, target, settings);
        return { ...answer, target, fallbackDepth: depth };
      } catch (err) {
        const error = asAurelisError(err, run.signal);
        if (STOPS_THE_CHAIN.has(error.kind)) throw error;
        this.logger.info(`[${run.requestId}] ${target.provider}:${target.model} failed (${error.kind}): ${error.message}`);
        failures.push({ target, error });
        if (PROVIDER_WIDE.has(error.kind)) (deadProviders ??= new Set()).add(target.provider);
      }
    }
    throw chainExhausted(failures, this.clock.now());
  }

  /** Why selection skips a model right now (open breaker, spent quota), or undefined. */
  private unusable(target: ModelTarget, settings: Settings): AurelisError | undefined {
    if (this.breakers.isBlocked(target)) {
      const snap = this.breakers.for(target).snapshot(settings.breaker);
      const retryAt = (snap.openedAt ?? this.clock.now()) + settings.breaker.cooldownSeconds * 1000;
      return pausedError(target, snap.failures, retryAt - this.clock.now());
    }
    const limits = this.facts.of(target, settings).paceLimits;
    const spentUntil = this.quota.spentUntil(target, limits.requestsPerDay);
    if (spentUntil === undefined) return undefined;
    const countRanOut = limits.requestsPerDay !== undefined && this.quota.count(target) >= limits.requestsPerDay;
    return quotaSpentError(target, spentUntil, this.clock.now(), countRanOut ? limits.requestsPerDay : undefined);
  }

  /**
   * One model: size check, a global slot, the breaker's pass, then attempts (each paced) with
   * retries. The breaker hears about the request once, however many attempts it took: a burst
   * of retries is one failing request, not several.
   */
  private async tryModel(run: RunState, request: TaskRequest, target: ModelTarget, settings: Settings): Promise<ChatAnswer> {
    const connection = await this.connection(target.provider, settings);
    run.keySource = connection.keySource;
    run.keyVariable = connection.keyVariable;
    this.checkSize(run, target, settings);
    const releaseSlot = await this.slots.acquire(run.signal);
    try {
      if (!this.breakers.tryPass(target)) {
        throw this.unusable(target, settings) ?? new AurelisError('unavailable', `${target.model} is paused by its circuit breaker.`, { provider: target.provider, model: target.model });
      }
      const tally = { sent: 0 };
      try {
        const retry = settings.retry;
        const answer = await withRetries(
          (attempt) => this.attempt(run, request, target, connection, attempt, tally),
          { maxAttempts: retry.maxAttempts, baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs, maxServerWaitMs: retry.maxServerWaitSeconds * 1000 },
          {
            timers: this.timers,
            signal: run.signal,
            ...(this.deps.random ? { random: this.deps.random } : {}),
            onWait: (ms, failure) => {
              this.logger.info(`[${run.requestId}] ${target.model}: ${failure.error.kind}; retrying in ${ms} ms.`);
              if (ms >= NOTICE_WAIT_MS) this.notify(run, { kind: 'rate_wait', message: `${target.model} is busy (${failure.error.kind}); trying again in ${describeDuration(ms)}.` });
            },
          },
        );
        this.breakers.recordSuccess(target);
        return answer;
      } catch (err) {
        const failure = err instanceof RetryStop ? err.failure : err instanceof ProviderFailure ? err : undefined;
        if (failure?.breakerFailure) this.breakers.recordFailure(target);
        else this.breakers.recordNeutral(target);
        if (!(err instanceof RetryStop)) throw err;
        return await this.afterRetries(err, target, tally.sent);
      }
    } finally {
      releaseSlot();
    }
  }

  /** Turns the loop's last failure into the error to report, remembering long quota resets. */
  private async afterRetries(stop: RetryStop, target: ModelTarget, sent: number): Promise<never> {
    const { failure } = stop;
    const wait = failure.serverWaitMs;
    if (stop.waitTooLong && wait !== undefined) await this.quota.block(target, this.clock.now() + wait);
    throw afterRetriesError(failure.error, target, sent);
  }

  /** One attempt: pacing, then the provider call. */
  private async attempt(run: RunState, request: TaskRequest, target: ModelTarget, connection: Connection, attempt: number, tally: { sent: number }): Promise<ChatAnswer> {
    let permit: PacePermit | undefined;
    const settings = run.settings;
    const effort = reasoningEffortFor(request.task, settings);
    try {
      const maxTokens = this.outputAllowance(request, target, settings);
      // The prompt is counted only if the pacer reads it: when the server announced a tokens-per-window limit.
      permit = await this.pace(target, settings, run.signal, run, { prompt: run.prompt, outputTokens: maxTokens, retry: attempt > 0 });
      if (attempt > 0) this.logger.debug(`[${run.requestId}] attempt ${attempt + 1} on ${target.model}`);
      tally.sent++;
      const call: ChatCall = {
        connection,
        model: target.model,
        messages: run.messages ?? messagesOf(request),
        stream: request.stream === true,
        signal: run.signal,
        timeoutMs: settings.requestTimeoutSeconds * 1000,
        maxTokens,
      };
      // Set one by one: spreading a throwaway object per optional field cost an allocation each.
      if (request.temperature !== undefined) call.temperature = request.temperature;
      if (effort !== undefined) call.reasoningEffort = effort;
      if (request.topP !== undefined) call.topP = request.topP;
      if (request.responseFormat !== undefined) call.responseFormat = request.responseFormat;
      if (run.options.onDelta) call.onDelta = run.options.onDelta;
      const answer = await this.chat.complete(call);
      permit.report(answeredOutcome(answer.headers, this.clock.now()));
      return answer;
    } catch (err) {
      if (err instanceof ProviderFailure) permit?.report(failedOutcome(err, this.clock.now()));
      throw err;
    } finally {
      permit?.release();
    }
  }

  /** Waits for the model's pacing slot and counts the request against its daily quota. */
  private async pace(target: ModelTarget, settings: Settings, signal: AbortSignal | undefined, run?: RunState, request?: { prompt: PromptSize; outputTokens: number; retry: boolean }): Promise<PacePermit> {
    const key = targetKey(target);
    let pacer = this.pacers.get(key);
    if (!pacer) {
      const local = new ModelPacer(this.timers);
      pacer = this.deps.sharedPacer?.(target, local, this.timers) ?? local;
      this.pacers.set(key, pacer);
    }
    const facts = this.facts.of(target, settings);
    const limits = facts.paceLimits;
    const permit = settings.rateLimits.pacing
      ? await pacer.acquire(
          limits,
          signal,
          (ms) => {
            if (run && ms >= NOTICE_WAIT_MS) this.notify(run, { kind: 'rate_wait', message: `Waiting ${describeDuration(ms)} for ${target.model}'s rate limit on ${providerLabel(target.provider)}.` });
          },
          // What the server announces paces the model unless the user's override sets its limits.
          new PaceAsk(request?.prompt ?? PromptSize.NONE, request?.outputTokens ?? 0, request?.retry ?? false, !facts.userSetLimits),
        )
      : { report: () => undefined, release: () => undefined };
    // Counted in memory at once; the file is saved in the background (flush() waits for it).
    void this.quota.recordRequest(target);
    return permit;
  }

  private checkSize(run: RunState, target: ModelTarget, settings: Settings): void {
    const limits = this.limits(target, settings);
    if (limits.maxInputTokens === undefined || run.prompt.fits(limits.maxInputTokens)) return;
    throw tooLargeError(target, run.prompt.tokens, limits.maxInputTokens, limits.inputLimitSource);
  }

  /** Only complete answers the caller could use are stored: never a cut-off ('length'), filtered or unreadable one. */
  private async cacheStore(run: RunState, request: TaskRequest, first: ModelTarget, answer: Answer): Promise<void> {
    if (!this.deps.cache || answer.finishReason !== 'stop') return;
    if (!answerIsUsable(run.options.usable, answer, this.logger)) {
      this.logger.info(`[${run.requestId}] The answer was not usable for this command, so it is not cached.`);
      return;
    }
    try {
      await this.deps.cache.set(request, first, {
        content: answer.content,
        provider: answer.target.provider,
        model: answer.target.model,
        usage: this.usageOf(answer, PromptSize.NONE),
        finishReason: answer.finishReason,
        storedAt: this.clock.now(),
      });
    } catch (err) {
      this.logger.warn(`Could not store the answer in the cache: ${describe(err)}`);
    }
  }

  /** The answer goes back at once; its record and audit lines are written after (`recorded`). */
  private finish(run: RunState, answer: Answer): RecordedResult {
    const usage = this.usageOf(answer, run.prompt);
    const result: TaskResult = {
      requestId: run.requestId,
      content: answer.content,
      model: answer.target.model,
      provider: answer.target.provider,
      usage,
      latencyMs: this.clock.now() - run.started,
      finishReason: answer.finishReason,
      fallbackDepth: answer.fallbackDepth,
      cached: false,
      costUsd: null,
    };
    const reported = reportedCostOf(answer, answer.target.provider);
    result.costUsd = reported ?? this.deps.prices?.cost(answer.target, usage) ?? null;
    if (reported !== undefined) result.costSource = 'provider';
    else if (result.costUsd !== null) result.costSource = 'estimate';
    if (answer.ttftMs !== undefined) result.ttftMs = answer.ttftMs;
    if (run.keySource) this.noteKeySource(run, result.provider, run.keySource, run.keyVariable);
    return this.recorded(run, result);
  }

  /** A cache hit is free, answers at once, and is still recorded (as a hit). */
  private fromCache(run: RunState, hit: CachedAnswer): RecordedResult {
    if (run.request.stream && hit.content !== '') run.options.onDelta?.(hit.content);
    const result: TaskResult = {
      requestId: run.requestId,
      content: hit.content,
      model: hit.model,
      provider: hit.provider,
      usage: hit.usage,
      latencyMs: this.clock.now() - run.started,
      finishReason: hit.finishReason,
      fallbackDepth: 0,
      cached: true,
      costUsd: 0,
    };
    return this.recorded(run, result);
  }

  /** Hands the record (and the response text, for the audit log) over, and attaches `recorded`. */
  private recorded(run: RunState, result: TaskResult): RecordedResult {
    if (this.keepsContent()) this.keepContent(run, 'response', result.content);
    const recorded = this.recording.record(answeredRecord(run, result), run.audits);
    return Object.defineProperty(result, 'recorded', { value: recorded, enumerable: false }) as RecordedResult;
  }

  /** A request that ended with an error is recorded too (once it got as far as choosing a model). */
  private recordFailure(run: RunState, error: AurelisError): void {
    if (!run.target) return;
    const at = { promptTokens: run.prompt.tokens, fallbackDepth: run.fallbackDepth, now: this.clock.now() };
    void this.recording.record(failedRecord(run, run.target, error, at, this.deps.prices), run.audits);
  }

  private keepsContent(): boolean {
    const audit = this.deps.contentAudit;
    return audit !== undefined && (audit.keepsContent?.() ?? true);
  }

  /** Prompt or response text for the audit log (kept only with audit.includeContent); written later, never fatal. */
  private keepContent(run: RunState, direction: 'prompt' | 'response', text: string): void {
    const audit = this.deps.contentAudit;
    if (!audit) return;
    const written = audit.content({ requestId: run.requestId, direction, text }).catch((err: unknown) => {
      this.logger.error(`Could not write request ${run.requestId}'s ${direction} to the audit log: ${describe(err)}`);
    });
    run.audits.push(written);
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────

  private connection(provider: ProviderId, settings: Settings): Promise<Connection> {
    return resolveConnection(provider, { settings, keys: this.deps.keys, env: this.deps.env ?? {} });
  }

  /** Logs and audits which source a provider's key came from when it changes — the source, never the key. */
  private noteKeySource(run: RunState, provider: ProviderId, source: KeySource, variable = 'GITHUB_TOKEN'): void {
    if (this.keySources.get(provider) === source) return;
    this.keySources.set(provider, source);
    const where = source === 'environment' ? `the ${variable} environment variable (no key is stored)` : "VS Code's secret storage";
    this.logger.info(`${providerLabel(provider)}: using the API key from ${where}.`);
    const security = this.deps.security;
    if (!security) return;
    run.audits.push(
      security.securityEvent({ type: 'key_source', provider, source }).catch((err: unknown) => {
        this.logger.error(`Could not write the key source to the audit log: ${describe(err)}`);
      }),
    );
  }

  private limits(target: ModelTarget, settings: Settings): ModelLimits {
    return this.facts.of(target, settings).limits;
  }

  private outputAllowance(request: TaskRequest, target: ModelTarget, settings: Settings): number {
    return this.facts.of(target, settings).allowance(request);
  }

  /** The server's usage; only a server that reported none has the prompt counted here. */
  private usageOf(answer: ChatAnswer, prompt: PromptSize): TokenUsage {
    if (answer.usage) return { ...answer.usage, estimated: false };
    return { promptTokens: prompt.tokens, completionTokens: countTokens(answer.content), cachedTokens: 0, estimated: true };
  }

  private timeoutMs(): number {
    return this.deps.settings().requestTimeoutSeconds * 1000;
  }

  private notify(run: RunState, notice: Notice): void {
    try {
      run.options.onNotice?.(notice);
    } catch (err) {
      this.logger.warn(`A notice handler failed: ${describe(err)}`);
    }
  }
}

/** Undefined when nothing asks for more than the editor's own fetch does. */
function networkOptions(proxy: { proxy?: string; strictSSL: boolean } | undefined, caFile: string | undefined): NetworkOptions | undefined {
  if (proxy?.proxy === undefined && proxy?.strictSSL !== false && caFile === undefined) return undefined;
  return { strictSSL: proxy?.strictSSL ?? true, ...(proxy?.proxy === undefined ? {} : { proxy: proxy.proxy }), ...(caFile === undefined ? {} : { caFile }) };
}

/** Catalog entries with the built-in limits filled in where the provider gave none. */
function withLimits(model: CatalogModel, settings: Settings): CatalogModel {
  if (model.maxInputTokens !== undefined) return model;
  const limits = limitsFor({ provider: model.provider, model: model.id }, settings, model);
  return {
    ...model,
    ...(limits.maxInputTokens === undefined ? {} : { maxInputTokens: limits.maxInputTokens }),
    ...(limits.maxOutputTokens === undefined || model.maxOutputTokens !== undefined ? {} : { maxOutputTokens: limits.maxOutputTokens }),
  };
}

/**
 * A signal of our own that aborts when any of `sources` does. Waiting stages add a listener each,
 * so it may carry many; `unlink` detaches it from the sources once the request is over.
 */
function linkSignals(...sources: Array<AbortSignal | undefined>): { signal: AbortSignal; unlink: () => void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const abort = (): void => controller.abort();
  const present = sources.filter((s): s is AbortSignal => s !== undefined);
  for (const source of present) {
    if (source.aborted) controller.abort();
    else source.addEventListener('abort', abort, { once: true });
  }
  return { signal: controller.signal, unlink: () => present.forEach((s) => s.removeEventListener('abort', abort)) };
}
