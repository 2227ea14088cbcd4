/**
 * The errors a request ends with, composed from what the stages reported: a model that cannot be
 * used right now (paused breaker, spent daily quota, a prompt too large for it), the last failure
 * after retries, a whole chain that could not answer, and anything unexpected thrown on the way.
 * Each says what happened and what the user can do next.
 */
import { AurelisError, isAurelisError, scrubSecrets } from './errors';
import type { ModelTarget } from './pipeline';
import { describeDuration, describeReset, ProviderFailure } from './providers/providerErrors';
import { providerLabel } from './providers/presets';
import { RetryStop } from './resilience/retry';
import { cancelledError } from './resilience/timers';

/** Anything thrown inside the pipeline, as the typed error the caller gets. */
export function asAurelisError(err: unknown, signal: AbortSignal | undefined): AurelisError {
  if (err instanceof ProviderFailure) return err.error;
  if (err instanceof RetryStop) return err.failure.error;
  if (isAurelisError(err)) return err;
  if (signal?.aborted) return cancelledError();
  return new AurelisError('unavailable', `Aurelis failed while handling the request: ${describe(err)}. See the log for details.`, { nextSteps: ['viewLog', 'retry'], cause: err });
}

/** An error's message for the log, with anything that looks like a secret taken out. */
export function describe(err: unknown): string {
  return scrubSecrets(err instanceof Error ? err.message : String(err));
}

/** The model's circuit breaker is open after `failures` failures in a row. */
export function pausedError(target: ModelTarget, failures: number, retryInMs: number): AurelisError {
  return new AurelisError(
    'unavailable',
    `${target.model} on ${providerLabel(target.provider)} is paused after ${failures} failures in a row; Aurelis tries it again in ${describeDuration(retryInMs)}. Choose another model, or wait.`,
    { provider: target.provider, model: target.model, nextSteps: ['chooseModel', 'viewLog'] },
  );
}

/** The model's daily quota is spent until `spentUntil` (`requestsPerDay` when the count is what ran out). */
export function quotaSpentError(target: ModelTarget, spentUntil: number, now: number, requestsPerDay: number | undefined): AurelisError {
  const quota = requestsPerDay === undefined ? '' : ` (${requestsPerDay} requests a day, all used)`;
  return new AurelisError(
    'rate_limited',
    `The daily quota of ${target.model} on ${providerLabel(target.provider)}${quota} is spent; it resets ${describeReset(spentUntil, now)}. Choose another model or provider, or wait.`,
    { provider: target.provider, model: target.model, status: 429, resetAt: spentUntil, nextSteps: ['chooseModel', 'selectProvider'] },
  );
}

/** The prompt is larger than the model's input limit. */
export function tooLargeError(target: ModelTarget, promptTokens: number, maxInputTokens: number, limitSource: string | undefined): AurelisError {
  return new AurelisError(
    'too_large',
    `The request is about ${promptTokens.toLocaleString('en-US')} tokens, more than ${target.model} on ${providerLabel(target.provider)} accepts: ${maxInputTokens.toLocaleString('en-US')} tokens (${limitSource ?? 'its input limit'}). Send a smaller selection, or choose a model with a larger limit.`,
    { provider: target.provider, model: target.model, nextSteps: ['chooseModel', 'openSettings'] },
  );
}

/** The last failure after retries; a server that kept failing says how often it was tried. */
export function afterRetriesError(failure: AurelisError, target: ModelTarget, sent: number): AurelisError {
  if (sent <= 1 || (failure.kind !== 'unavailable' && failure.kind !== 'timeout')) return failure;
  return new AurelisError(failure.kind, `${failure.message} (Aurelis tried ${sent} times.)`, {
    provider: target.provider,
    model: target.model,
    nextSteps: failure.nextSteps,
    ...(failure.status === undefined ? {} : { status: failure.status }),
    cause: failure,
  });
}

/**
 * The error to report when no model of the chain could answer: the first model's (the one the
 * user expects), naming the others that were tried; if every model is rate limited, the one
 * that frees up first.
 */
export function chainExhausted(failures: Array<{ target: ModelTarget; error: AurelisError }>, now: number): AurelisError {
  const first = failures[0];
  if (!first) return new AurelisError('config', 'No model of the chain could be used. Check aurelis.models and the provider setting.');
  if (failures.length === 1) return first.error;
  const others = failures.slice(1).map((f) => `${f.target.model} (${f.error.kind})`).join(', ');
  const limited = failures.every((f) => f.error.kind === 'rate_limited');
  if (limited) {
    const resets = failures.map((f) => f.error.resetAt).filter((t): t is number => t !== undefined);
    const soonest = resets.length > 0 ? Math.min(...resets) : undefined;
    const when = soonest === undefined ? '' : ` The first frees up ${describeReset(soonest, now)}.`;
    return new AurelisError('rate_limited', `Every model of the chain is rate limited (${failures.map((f) => f.target.model).join(', ')}).${when} Wait, or choose another provider.`, {
      provider: first.target.provider,
      model: first.target.model,
      status: 429,
      ...(soonest === undefined ? {} : { resetAt: soonest }),
      nextSteps: ['selectProvider', 'chooseModel'],
    });
  }
  const e = first.error;
  return new AurelisError(e.kind, `${e.message} Also tried: ${others}.`, {
    nextSteps: e.nextSteps,
    ...(e.provider === undefined ? {} : { provider: e.provider }),
    ...(e.model === undefined ? {} : { model: e.model }),
    ...(e.status === undefined ? {} : { status: e.status }),
    ...(e.resetAt === undefined ? {} : { resetAt: e.resetAt }),
    cause: e,
  });
}
