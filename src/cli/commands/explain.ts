/** `aurelis explain <file>[:<from>-<to>]`: the explanation streams to stdout as it arrives. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSendable } from '../../core/tasks/codeContext';
import { explainRequest } from '../../core/tasks/requests';
import { languageOf } from '../../core/review/languages';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import { withProject } from '../projectInstructions';
import type { Session } from '../session';
import { say } from '../terminal';
import { errorMessage } from '../../shared/errorMessage';

export interface FileSpan {
  file: string;
  from?: number;
  to?: number;
}

/** `src/a.ts`, `src/a.ts:12` or `src/a.ts:12-40`. */
export function parseFileSpan(spec: string): FileSpan {
  const m = /^(.*?):(\d+)(?:-(\d+))?$/.exec(spec);
  if (!m) return { file: spec };
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (from < 1 || to < from) throw new CliError(`"${spec}": the lines must be <from>-<to> with 1 ≤ from ≤ to, e.g. src/app.ts:10-42.`);
  return { file: m[1] as string, from, to };
}

export async function explain(session: Session, spec: string, signal: AbortSignal): Promise<ExitCode> {
  const span = parseFileSpan(spec);
  const absolute = path.resolve(span.file);
  const text = await readFile(absolute, 'utf8').catch((e: unknown) => {
    throw new CliError(`Could not read ${span.file} (${errorMessage(e)}). Name a file that exists.`);
  });
  const lines = text.split('\n');
  const from = span.from ?? 1;
  const to = Math.min(span.to ?? lines.length, lines.length);
  if (from > lines.length) throw new CliError(`${span.file} has ${lines.length} lines; line ${from} is past its end.`);
  const code = lines.slice(from - 1, to).join('\n');
  const rel = path.relative(session.project.root, absolute).split(path.sep).join('/');
  assertSendable(code, rel, session.settings.security.maxFileKB);
  const whole = span.from === undefined;
  const request = await withProject(session, explainRequest({ language: languageOf(rel), path: rel, code, firstLine: from, scope: whole ? 'whole file' : 'selection', diagnostics: [] }), rel);
  let streamed = false;
  const result = await session.core.orchestrator.run(request, {
    signal,
    onDelta: (t) => {
      streamed = true;
      process.stdout.write(t);
    },
    onNotice: (n) => say(`aurelis: ${n.message}`),
  });
  if (!streamed) process.stdout.write(result.content);
  process.stdout.write('\n');
  if (result.finishReason === 'length') say('aurelis: the explanation was cut off at the model\'s output limit.');
  return EXIT.ok;
}
