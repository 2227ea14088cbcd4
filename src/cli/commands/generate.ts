/**
 * `aurelis generate "<instruction>" [--file <f>]`: new code on stdout (or --output). With --file,
 * the file is the context and the code is what would follow it; the file itself is never changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSendable } from '../../core/tasks/codeContext';
import { answerOf } from '../../core/tasks/answers/cutOff';
import { insertionFor } from '../../core/tasks/answers/proposedEdit';
import { SYSTEM_PROMPTS } from '../../core/tasks/prompts';
import { insertionRequest } from '../../core/tasks/requests';
import { languageOf } from '../../core/review/languages';
import type { TaskRequest } from '../../core/types';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import { withProject } from '../projectInstructions';
import type { Session } from '../session';
import { emit, say } from '../terminal';
import { errorMessage } from '../../shared/errorMessage';

export async function generate(session: Session, instruction: string, options: { file?: string; language?: string; output?: string }, signal: AbortSignal): Promise<ExitCode> {
  if (instruction.trim() === '') throw new CliError('Say what to generate, e.g. aurelis generate "a function that parses ISO dates".');
  let request: TaskRequest;
  let context = '';
  if (options.file !== undefined) {
    const absolute = path.resolve(options.file);
    const text = await readFile(absolute, 'utf8').catch((e: unknown) => {
      throw new CliError(`Could not read ${options.file} (${errorMessage(e)}). Name a file that exists.`);
    });
    const rel = path.relative(session.project.root, absolute).split(path.sep).join('/');
    assertSendable(text, rel, session.settings.security.maxFileKB);
    context = text.endsWith('\n') || text === '' ? text : `${text}\n`;
    request = insertionRequest({ language: options.language ?? languageOf(rel), path: rel, before: context, after: '' }, instruction);
  } else {
    const language = options.language ?? 'plaintext';
    request = {
      task: 'generate',
      systemPrompt: SYSTEM_PROMPTS.generate,
      prompt: language === 'plaintext' ? `Instruction: ${instruction}` : `Instruction: ${instruction}\n\nLanguage: ${language}`,
      temperature: 0.2,
      metadata: { language },
    };
  }
  const sent = await withProject(session, request, request.metadata?.file);
  const result = await session.core.orchestrator.run(sent, { signal, onNotice: (n) => say(`aurelis: ${n.message}`) });
  if (result.finishReason === 'length') throw new CliError('The generated code was cut off at the model\'s output limit, so it is not shown. Ask for less, or choose a model with a larger output limit (--model).', EXIT.provider);
  // One code block, the prose around it left out; with --file, lines the model repeated from the file's end are dropped.
  const code = insertionFor(answerOf(result), request.metadata?.language ?? 'plaintext', { before: context, after: '' }, '');
  await emit(code.endsWith('\n') ? code : `${code}\n`, options.output);
  return EXIT.ok;
}
