/**
 * An answer that stopped at the model's output limit. It is never proposed as if it were
 * complete: the user is told, and offered a retry with a larger limit.
 */
import { AurelisError } from '../../errors';
import type { FinishReason } from '../../types';

/** What the model sent back, as the readers of answers need it. */
export interface ModelAnswer {
  content: string;
  finishReason: FinishReason;
  /** Tokens the answer used, when known: the next try asks for more than this. */
  completionTokens?: number;
}

export const CUT_OFF_MESSAGE = "The answer was cut off at the model's output limit";

export class CutOffError extends AurelisError {
  /** Tokens the cut-off answer used (the limit it ran into), when known. */
  readonly outputTokens: number | undefined;

  constructor(what: string, outputTokens?: number) {
    super('invalid_response', `${CUT_OFF_MESSAGE}, so ${what}. Retry with a larger limit, or select a smaller part of the code.`, {
      nextSteps: ['retryLarger', 'chooseModel'],
    });
    this.name = 'CutOffError';
    this.outputTokens = outputTokens;
  }
}

export function isCutOffError(e: unknown): e is CutOffError {
  return e instanceof CutOffError;
}

/** Smallest limit a retry asks for, and the most (providers refuse more than their models allow anyway). */
const MIN_RETRY_LIMIT = 4096;
export const MAX_RETRY_LIMIT = 65_536;

/** The output limit for "Retry with a larger limit": twice what the cut-off answer used. */
export function largerOutputLimit(used: number | undefined): number {
  return Math.min(MAX_RETRY_LIMIT, Math.max(MIN_RETRY_LIMIT, 2 * (used ?? 0)));
}

/** The answer part of a request's result, as the readers of answers take it. */
export function answerOf(result: { content: string; finishReason: FinishReason; usage: { completionTokens: number } }): ModelAnswer {
  return { content: result.content, finishReason: result.finishReason, completionTokens: result.usage.completionTokens };
}
