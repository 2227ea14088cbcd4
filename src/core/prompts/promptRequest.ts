/**
 * A prompt file as a task request (task `prompt`, so the ledger, budgets and cache treat it like
 * any other request), and which model it runs on: the file's `model` when the active provider
 * has it and the allow-list permits it, otherwise the `prompt` task's chain — and then a notice
 * says why.
 */
import type { ModelTarget } from '../pipeline';
import type { TaskRequest } from '../types';
import { responseFormatOf, type PromptFile } from './promptFile';
import { fillMessages } from './promptVariables';

export interface ModelChoice {
  /** The model to force, or undefined to use the `prompt` task's chain. */
  model?: string;
  /** Why the file's model is not used, to show the user. */
  notice?: string;
}

/**
 * `available` is the active provider's catalog (undefined when it could not be read);
 * `allowed` says whether the allow-list permits a model.
 */
export function chooseModel(prompt: Pick<PromptFile, 'model' | 'file'>, available: readonly string[] | undefined, providerName: string, allowed: (model: string) => boolean, chain: readonly ModelTarget[]): ModelChoice {
  if (prompt.model === undefined) return {};
  const declared = prompt.model;
  const fallback = chain.map((t) => t.model).join(' → ') || 'the provider default';
  // GitHub's files name models as publisher/model; other providers often list the bare model id.
  const bare = declared.includes('/') ? declared.slice(declared.lastIndexOf('/') + 1) : declared;
  const found = available === undefined ? undefined : available.find((id) => id === declared) ?? available.find((id) => id === bare || id.endsWith(`/${bare}`));
  if (available === undefined) return { notice: `${prompt.file} asks for ${declared}, but ${providerName}'s model list could not be read; using the prompt files' models (${fallback}).` };
  if (found === undefined) return { notice: `${prompt.file} asks for ${declared}, which ${providerName} does not have; using the prompt files' models (${fallback}).` };
  if (!allowed(found)) return { notice: `${prompt.file} asks for ${declared}, which the allow-list (aurelis.allowedModels) does not permit; using the prompt files' models (${fallback}).` };
  return { model: found };
}

export function promptRequest(prompt: PromptFile, values: Readonly<Record<string, string>>, model: string | undefined): TaskRequest {
  const p = prompt.modelParameters ?? {};
  const format = responseFormatOf(prompt);
  return {
    task: 'prompt',
    messages: fillMessages(prompt, values),
    ...(p.temperature === undefined ? {} : { temperature: p.temperature }),
    ...(p.maxTokens === undefined ? {} : { maxTokens: p.maxTokens }),
    ...(p.topP === undefined ? {} : { topP: p.topP }),
    ...(format === undefined ? {} : { responseFormat: format }),
    ...(model === undefined ? {} : { model }),
    metadata: { prompt: prompt.title, ...(values.language ? { language: values.language } : {}), ...(values.file ? { file: values.file } : {}) },
  };
}
