/**
 * Where output goes: results on stdout (or the --output file), messages on stderr, so a
 * report can be piped or redirected while the person still reads what happened.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scrubSecrets } from '../core/errors';
import type { Logger } from '../core/host';
import { CliError } from './exitCodes';
import { errorMessage } from '../shared/errorMessage';

/** A message for the person at the terminal (stderr). */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The command's result: to `output` when given, else stdout. */
export async function emit(text: string, output?: string): Promise<void> {
  if (output === undefined || output === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
    return;
  }
  const file = path.resolve(output);
  try {
    await writeFile(file, text);
  } catch (e) {
    throw new CliError(`Could not write ${file} (${errorMessage(e)}). Choose a folder you can write to with --output.`);
  }
  say(`Wrote ${path.relative(process.cwd(), file) || file}.`);
}

/** The core's log on stderr: warnings and errors always, the rest with --verbose. */
export function stderrLogger(verbose: boolean): Logger {
  const line = (level: string) => (message: string | Error) => say(`aurelis ${level}: ${scrubSecrets(message instanceof Error ? message.message : message)}`);
  const quiet = () => undefined;
  return {
    trace: verbose ? line('trace') : quiet,
    debug: verbose ? line('debug') : quiet,
    info: verbose ? line('info') : quiet,
    warn: line('warning'),
    error: line('error'),
  };
}
