/**
 * `aurelis prompt run <file> --var name=value` prints the answer of a prompt file (GitHub's
 * `.prompt.yml` format); `aurelis prompt eval <file>` runs its testData rows through its
 * evaluators and prints a table of rows × evaluators, exiting 1 when a row fails — so a team's
 * prompts can be checked in CI as GitHub Models' `gh models eval` did.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluationText } from '../../core/prompts/evaluationTable';
import { evaluatePrompt } from '../../core/prompts/promptEvaluation';
import { parsePromptFile, PromptFileError, type PromptFile } from '../../core/prompts/promptFile';
import { chooseModel, promptRequest, type ModelChoice } from '../../core/prompts/promptRequest';
import { MissingVariablesError, variablesOf } from '../../core/prompts/promptVariables';
import { providerLabel } from '../../core/providers/presets';
import { isAllowedModel } from '../../core/routing/modelChain';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import { withProject } from '../projectInstructions';
import type { Session } from '../session';
import { emit, say } from '../terminal';
import { errorMessage } from '../../shared/errorMessage';

export const PROMPT_EVAL_FORMATS = ['text', 'json'] as const;

/** `--var name=value`, repeatable. */
export function collectVariable(spec: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = spec.indexOf('=');
  if (at <= 0) throw new CliError(`--var "${spec}": write it as name=value, e.g. --var audience="new hires".`);
  return { ...previous, [spec.slice(0, at).trim()]: spec.slice(at + 1) };
}

export async function promptRun(session: Session, file: string, variables: Record<string, string>, signal: AbortSignal): Promise<ExitCode> {
  const prompt = await readPrompt(session, file);
  const missing = variablesOf(prompt).filter((name) => !Object.hasOwn(variables, name));
  if (missing.length > 0) throw new CliError(`${prompt.file} uses ${missing.map((n) => `{{${n}}}`).join(', ')}: give ${missing.map((n) => `--var ${n}=…`).join(' ')}.`);
  const choice = await modelFor(session, prompt);
  const request = await withProject(session, promptRequest(prompt, variables, choice.model), undefined);
  const result = await session.core.orchestrator.run(request, { signal, onNotice: (n) => say(`aurelis: ${n.message}`) });
  await emit(result.content.endsWith('\n') ? result.content : `${result.content}\n`);
  if (result.finishReason === 'length') say("aurelis: the answer was cut off at the model's output limit (modelParameters.maxTokens or the model's own).");
  return EXIT.ok;
}

export async function promptEval(session: Session, file: string, options: { format: (typeof PROMPT_EVAL_FORMATS)[number]; output?: string }, signal: AbortSignal): Promise<ExitCode> {
  const prompt = await readPrompt(session, file);
  if (!prompt.testData?.length) throw new CliError(`${prompt.file} has no testData rows to evaluate. Add a testData list (one mapping of variable values per row) and evaluators.`);
  const choice = await modelFor(session, prompt);
  let evaluation;
  try {
    evaluation = await evaluatePrompt(prompt, session.core.orchestrator, {
      ...(choice.model ? { model: choice.model } : {}),
      signal,
      onNotice: (n) => say(`aurelis: ${n.message}`),
      onRow: (done, total) => say(`aurelis: row ${done} of ${total} done`),
    });
  } catch (e) {
    if (e instanceof MissingVariablesError) throw new CliError(e.message);
    throw e;
  }
  await emit(options.format === 'json' ? `${JSON.stringify(evaluation, null, 2)}\n` : `${evaluationText(evaluation)}\n`, options.output);
  return evaluation.failed > 0 ? EXIT.findings : EXIT.ok;
}

async function readPrompt(session: Session, file: string): Promise<PromptFile> {
  const absolute = path.resolve(file);
  const text = await readFile(absolute, 'utf8').catch((e: unknown) => {
    throw new CliError(`Could not read ${file} (${errorMessage(e)}). Name a prompt file that exists.`);
  });
  const shown = path.relative(session.project.root, absolute).split(path.sep).join('/');
  try {
    return parsePromptFile(text, shown.startsWith('..') ? absolute : shown);
  } catch (e) {
    if (e instanceof PromptFileError) throw new CliError(e.message);
    throw e;
  }
}

/** The file's model when the provider has it (and it is allowed), else the prompt chain — said on stderr. */
async function modelFor(session: Session, prompt: PromptFile): Promise<ModelChoice> {
  if (prompt.model === undefined) return {};
  const settings = session.settings;
  const orchestrator = session.core.orchestrator;
  const available = await orchestrator.listModels(settings.provider).then(
    (models) => models.map((m) => m.id),
    () => undefined,
  );
  const choice = chooseModel(prompt, available, providerLabel(settings.provider), (model) => isAllowedModel({ provider: settings.provider, model }, settings), orchestrator.chainFor('prompt'));
  if (choice.notice) say(`aurelis: ${choice.notice}`);
  return choice;
}
