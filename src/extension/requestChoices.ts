/**
 * How the requests of one command run differ from the usual: Regenerate and Retry skip the cache,
 * "Retry with a larger limit" asks for more output. Carried with the command's asynchronous
 * context, so a command handler does not need a parameter for it and a command running at the
 * same time is not affected.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestChoices {
  /** Ask the model even when the cache has an answer. */
  bypassCache?: boolean;
  /** The output limit to ask for (a retry after a cut-off answer). */
  maxTokens?: number;
}

const current = new AsyncLocalStorage<RequestChoices>();

/** Runs `work` so that every request it sends follows `choices`. */
export function withRequestChoices<T>(choices: RequestChoices, work: () => T): T {
  return current.run({ ...current.getStore(), ...choices }, work);
}

/** The choices in effect for the running command (none: the usual). */
export function requestChoices(): RequestChoices {
  return current.getStore() ?? {};
}
