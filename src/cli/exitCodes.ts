/**
 * The command line's exit codes, part of its interface (CI steps and the pre-commit hook read them):
 * 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration error,
 * 3 provider or network failure, 4 budget refusal.
 */
import type { ErrorKind } from '../core/errors';

export const EXIT = { ok: 0, findings: 1, usage: 2, provider: 3, budget: 4, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a command that ended with this kind of error. */
export function exitCodeFor(kind: ErrorKind): ExitCode {
  switch (kind) {
    case 'budget_exceeded':
      return EXIT.budget;
    case 'config':
    case 'bad_request':
    case 'no_key':
    case 'secret_blocked':
    case 'restricted_mode':
    case 'too_large':
      return EXIT.usage;
    case 'cancelled':
      return EXIT.interrupted;
    default:
      return EXIT.provider;
  }
}

/** A failure the command line reports in its own words, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
