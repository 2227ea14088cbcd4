/**
 * Shaping a request's usage record from what the pipeline knows at its end: the answer (or cache
 * hit) it returned, or the error it ended with. One record per request, whatever happened.
 */
import type { AurelisError } from '../errors';
import type { ModelTarget, PriceBook } from '../pipeline';
import { countTokens } from '../tokens';
import type { TaskRequest, TaskResult } from '../types';
import type { UsageRecord } from './usageRecord';

/** What every record of a request says, however it ended. */
export interface RequestFacts {
  requestId: string;
  /** Epoch ms when the request started. */
  started: number;
  request: TaskRequest;
  /** SHA-256 of the workspace identity ('' outside a workspace). */
  workspace: string;
}

/** The record of a request that returned `result` (a model's answer or a cache hit). */
export function answeredRecord(facts: RequestFacts, result: TaskResult): UsageRecord {
  const usage = result.usage;
  const record: UsageRecord = {
    ...common(facts, result.provider, result.model),
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    cachedTokens: usage.cachedTokens,
    tokensEstimated: usage.estimated,
    costUsd: result.costUsd,
    latencyMs: result.latencyMs,
    outcome: 'ok',
    cacheHit: result.cached,
    fallbackDepth: result.fallbackDepth,
  };
  if (usage.reasoningTokens !== undefined) record.reasoningTokens = usage.reasoningTokens;
  if (result.costSource !== undefined) record.costSource = result.costSource;
  if (result.ttftMs !== undefined) record.ttftMs = result.ttftMs;
  return withRequestMarks(record, facts.request);
}

/**
 * The record of a request that ended with `error` on `target`. A broken or cancelled stream
 * used tokens — the prompt, and what arrived before the break — and is priced for them.
 */
export function failedRecord(facts: RequestFacts, target: ModelTarget, error: AurelisError, at: { promptTokens: number; fallbackDepth: number; now: number }, prices: PriceBook | undefined): UsageRecord {
  const partial = error.partialText;
  const usedTokens = partial !== undefined;
  const promptTokens = usedTokens ? at.promptTokens : 0;
  const completionTokens = usedTokens ? countTokens(partial) : 0;
  const costUsd = usedTokens ? (prices?.cost(target, { promptTokens, completionTokens, cachedTokens: 0 }) ?? null) : 0;
  return withRequestMarks(
    {
      ...common(facts, target.provider, target.model),
      promptTokens,
      completionTokens,
      cachedTokens: 0,
      tokensEstimated: usedTokens,
      costUsd,
      latencyMs: at.now - facts.started,
      outcome: error.kind,
      errorMessage: error.message,
      cacheHit: false,
      fallbackDepth: at.fallbackDepth,
    },
    facts.request,
  );
}

function common(facts: RequestFacts, provider: UsageRecord['provider'], model: string): Pick<UsageRecord, 'ts' | 'requestId' | 'provider' | 'model' | 'task' | 'workspace'> {
  return { ts: facts.started, requestId: facts.requestId, provider, model, task: facts.request.task, workspace: facts.workspace };
}

/** "Allow once" and the prompt file's name, when the request carried them. */
function withRequestMarks(record: UsageRecord, request: TaskRequest): UsageRecord {
  if (request.budgetOverride) record.budgetOverride = true;
  const prompt = request.metadata?.prompt;
  if (prompt) record.prompt = prompt.slice(0, 200);
  return record;
}
