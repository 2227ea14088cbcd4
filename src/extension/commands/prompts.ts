import * as vscode from 'vscode';
import { AurelisError } from '../../core/errors';
import { evaluationMarkdown } from '../../core/prompts/evaluationTable';
import { evaluatePrompt as evaluateRows, type PromptEvaluation } from '../../core/prompts/promptEvaluation';
import { isPromptFile, type PromptFile } from '../../core/prompts/promptFile';
import { chooseModel, promptRequest, type ModelChoice } from '../../core/prompts/promptRequest';
import { EDITOR_VARIABLES, variablesOf } from '../../core/prompts/promptVariables';
import { providerLabel } from '../../core/providers/presets';
import { isAllowedModel } from '../../core/routing/modelChain';
import { assertSendable } from '../../core/tasks/codeContext';
import { answerOf } from '../../core/tasks/answers/cutOff';
import { replacementFor } from '../../core/tasks/answers/proposedEdit';
import type { SentRedactions, TaskRequest } from '../../core/types';
import { relativePath } from '../editorContext';
import type { EditorParts } from '../editorParts';
import { findPromptFiles, readPromptFile, type PromptEntry } from '../prompts/promptLibrary';
import type { ProposalSummary } from '../proposedChanges';
import { succeeds } from './edits';
import { resultFooter } from './resultFooter';
import { errorMessage } from '../../shared/errorMessage';
import { fromAurelis } from '../fromAurelis';

export interface PromptArgs {
  /** The prompt file's URI; asked for (a list by name) when absent. */
  file?: string;
  /** Values for the prompt's variables; any other variable is asked for. */
  variables?: Record<string, string>;
}

export type RunPromptOutcome = { kind: 'shown'; uri: string; text: string } | { kind: 'proposed'; proposal: ProposalSummary } | { kind: 'unchanged' };

/**
 * Aurelis: Run Prompt… — a prompt file from the workspace or the user's folder, with
 * `{{selection}}`, `{{file}}` and `{{language}}` from the editor and any other variable asked
 * for, through the orchestrator like every request (task `prompt`). The answer opens as
 * Markdown, or — for a prompt with `edits: selection` — as a diff of the selection to accept.
 */
export async function runPrompt(parts: EditorParts, args: PromptArgs = {}): Promise<RunPromptOutcome | undefined> {
  const prompt = await choosePrompt(parts, args.file, 'Run Prompt');
  if (!prompt) return undefined;
  const editor = codeEditor();
  const names = variablesOf(prompt);
  // Values given by the caller win; the editor fills only the rest (no selection needed when one was given).
  const given = args.variables ?? {};
  const values: Record<string, string> = { ...editorValues(parts, prompt, editor, names.filter((n) => !Object.hasOwn(given, n))), ...given };
  if (prompt.edits === 'selection' && (!editor || editor.selection.isEmpty)) {
    throw new AurelisError('bad_request', `${prompt.file} edits the selection: select the code it should change in an editor, then run it again.`, { nextSteps: [] });
  }
  for (const name of names) {
    if (Object.hasOwn(values, name)) continue;
    const value = await vscode.window.showInputBox({ title: `${prompt.title}: {{${name}}}`, prompt: `The value of {{${name}}} for ${prompt.file}`, ignoreFocusOut: true });
    if (value === undefined) return undefined;
    values[name] = value;
  }
  const choice = await modelFor(parts, prompt);
  const request = promptRequest(prompt, values, choice.model);
  if (prompt.edits === 'selection' && editor) return proposeSelectionEdit(parts, prompt, editor.document, new vscode.Range(editor.selection.start, editor.selection.end), request);
  const result = await parts.runner.run(`Running ${prompt.title}…`, request, editor ? { document: editor.document.uri } : {});
  const uri = parts.views.create(prompt.title);
  const note = choice.notice ? `> ${choice.notice}\n\n` : '';
  const text = `# ${prompt.title}\n\n*${prompt.file}*\n\n${note}${result.content.trim()}\n\n---\n\n${resultFooter(result)}\n`;
  parts.views.set(uri, text, true);
  await parts.views.show(uri);
  return { kind: 'shown', uri: uri.toString(), text };
}

/** `edits: selection`: the answer read as an edit of the selection (one block, or search/replace), shown as a diff to accept. */
async function proposeSelectionEdit(parts: EditorParts, prompt: PromptFile, doc: vscode.TextDocument, range: vscode.Range, request: TaskRequest): Promise<RunPromptOutcome> {
  const original = doc.getText(range);
  let redactions: SentRedactions | undefined;
  const replacement = (answer: Parameters<typeof replacementFor>[0]) => replacementFor(answer, original, doc.languageId, redactions);
  const result = await parts.runner.run(`Running ${prompt.title}…`, request, {
    document: doc.uri,
    onRedactions: (r) => (redactions = r),
    usable: (answer) => succeeds(() => replacement(answer)),
  });
  const text = replacement(answerOf(result));
  if (text === original) {
    void vscode.window.showInformationMessage(`Aurelis (${prompt.title}): the model suggests no change to the selection.`);
    return { kind: 'unchanged' };
  }
  const proposal = await parts.proposals.propose({
    kind: 'edit',
    title: prompt.title,
    document: doc,
    range,
    replacement: text,
    regenerate: () => proposeSelectionEdit(parts, prompt, doc, range, request),
  });
  return { kind: 'proposed', proposal };
}

export interface EvaluatePromptOutcome {
  uri: string;
  text: string;
  passed: number;
  failed: number;
}

/**
 * Aurelis: Evaluate Prompt — every `testData` row of a prompt file through the orchestrator, the
 * evaluators applied to each answer, and a table of rows × evaluators (pass/fail, scores, tokens,
 * cost) opened as Markdown.
 */
export async function evaluatePrompt(parts: EditorParts, args: PromptArgs = {}): Promise<EvaluatePromptOutcome | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const file = args.file ?? (active && isPromptFile(active.uri.path) ? active.uri.toString() : undefined);
  const prompt = await choosePrompt(parts, file, 'Evaluate Prompt', (p) => (p.testData?.length ?? 0) > 0);
  if (!prompt) return undefined;
  if (!prompt.testData?.length) {
    throw new AurelisError('bad_request', `${prompt.file} has no testData rows to evaluate. Add a testData list (one mapping of variable values per row) and evaluators.`, { nextSteps: [] });
  }
  const choice = await modelFor(parts, prompt);
  const first = promptRequest(prompt, prompt.testData[0] ?? {}, choice.model);
  const evaluation: PromptEvaluation = await parts.runner.runMany(`Evaluating ${prompt.title}…`, first, (sender, options, progress) =>
    evaluateRows(prompt, sender, {
      ...(choice.model ? { model: choice.model } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
      onRow: (done, total) => progress(`${done} of ${total} rows`),
    }),
  );
  const uri = parts.views.create(`Evaluation of ${prompt.title}`);
  const text = `${evaluationMarkdown(evaluation)}${choice.notice ? `\n> ${choice.notice}\n` : ''}`;
  parts.views.set(uri, text, true);
  await parts.views.show(uri);
  parts.log.info(`Evaluate Prompt: ${prompt.file}: ${evaluation.passed} of ${evaluation.rows.length} rows passed.`);
  return { uri: uri.toString(), text, passed: evaluation.passed, failed: evaluation.failed };
}

async function choosePrompt(parts: EditorParts, file: string | undefined, command: string, offer: (p: PromptFile) => boolean = () => true): Promise<PromptFile | undefined> {
  const entry: PromptEntry | undefined = file !== undefined ? await readPromptFile(vscode.Uri.parse(file)) : await pickPrompt(parts, command, offer);
  if (!entry) return undefined;
  if ('error' in entry) throw new AurelisError('bad_request', `${entry.error}`, { nextSteps: [] });
  return entry.prompt;
}

async function pickPrompt(parts: EditorParts, command: string, offer: (p: PromptFile) => boolean): Promise<PromptEntry | undefined> {
  const entries = (await findPromptFiles(parts.settings.settings.prompts.userFolder)).filter((e) => 'error' in e || offer(e.prompt));
  if (entries.length === 0) {
    throw new AurelisError(
      'bad_request',
      `No prompt files${command === 'Evaluate Prompt' ? ' with testData' : ''} found. Add a file ending in .prompt.yml (GitHub's prompt file format) to the workspace or to your prompt folder (aurelis.prompts.userFolder).`,
      { nextSteps: [] },
    );
  }
  type Item = vscode.QuickPickItem & { entry: PromptEntry };
  const items: Item[] = entries.map((entry) =>
    'error' in entry
      ? { label: `$(warning) ${vscode.workspace.asRelativePath(entry.uri, false)}`, description: 'cannot be used', detail: entry.error, entry }
      : { label: entry.prompt.title, description: entry.prompt.description ?? '', detail: entry.prompt.file, entry },
  );
  const picked = await vscode.window.showQuickPick(items, { title: `Aurelis: ${command}`, placeHolder: 'Choose a prompt file', matchOnDescription: true, matchOnDetail: true });
  return picked?.entry;
}

/** The editor with the code a prompt is about: the active one, unless that is a prompt file itself (CodeLens Run). */
function codeEditor(): vscode.TextEditor | undefined {
  const isCode = (e: vscode.TextEditor | undefined) => e !== undefined && e.document.uri.scheme !== 'output' && !isPromptFile(e.document.uri.path);
  const active = vscode.window.activeTextEditor;
  return isCode(active) ? active : vscode.window.visibleTextEditors.find(isCode);
}

function editorValues(parts: EditorParts, prompt: PromptFile, editor: vscode.TextEditor | undefined, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  if (!editor) return values;
  const doc = editor.document;
  if (names.includes('selection')) {
    if (editor.selection.isEmpty) throw new AurelisError('bad_request', `${prompt.file} uses {{selection}}: select the code it is about in an editor, then run it again.`, { nextSteps: [] });
    const text = doc.getText(editor.selection);
    assertSendable(text, `The selection in ${relativePath(doc.uri)}`, parts.settings.settings.security.maxFileKB);
    values.selection = text;
  }
  for (const name of EDITOR_VARIABLES) {
    if (name === 'file' && names.includes(name)) values.file = relativePath(doc.uri);
    if (name === 'language' && names.includes(name)) values.language = doc.languageId;
  }
  return values;
}

/** The prompt's model when the provider has it (and it is allowed), else the `prompt` chain — said in the log and a notification. */
async function modelFor(parts: EditorParts, prompt: PromptFile): Promise<ModelChoice> {
  if (prompt.model === undefined) return {};
  const settings = parts.settings.settings;
  const core = await parts.core();
  const available = await core.models.listModels(settings.provider).then(
    (models) => models.map((m) => m.id),
    (e: unknown) => {
      parts.log.warn(`Run Prompt: could not read ${providerLabel(settings.provider)}'s models: ${errorMessage(e)}`);
      return undefined;
    },
  );
  const choice = chooseModel(prompt, available, providerLabel(settings.provider), (model) => isAllowedModel({ provider: settings.provider, model }, settings), core.models.chainFor('prompt'));
  if (choice.notice) {
    parts.log.info(choice.notice);
    void vscode.window.showInformationMessage(fromAurelis(choice.notice));
  }
  return choice;
}
