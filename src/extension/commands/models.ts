import * as vscode from 'vscode';
import { AurelisError } from '../../core/errors';
import type { ModelTarget } from '../../core/pipeline';
import { PROVIDER_PRESETS } from '../../core/providers/presets';
import type { ProviderId } from '../../shared/providerIds';
import { TASK_TYPES, type TaskType } from '../../shared/taskTypes';
import { TASK_NAMES } from '../../shared/labels';
import type { ModelInfo } from '../coreServices';
import type { EditorParts } from '../editorParts';
import { withCancel } from '../progress';

export interface ModelsArgs {
  model?: string;
  task?: TaskType;
}

export interface ModelsOutcome {
  task: TaskType;
  chain: string[];
}

/**
 * Aurelis: Models — the active provider's catalog with each model's limits and tier; the
 * chosen model becomes the first of a task's chain (`aurelis.models.<task>`), the task's
 * current chain following it as fallbacks.
 */
export async function models(parts: EditorParts, args: ModelsArgs = {}): Promise<ModelsOutcome | undefined> {
  const provider = parts.settings.settings.provider;
  const core = await parts.core();
  let model = args.model;
  if (!model) {
    const catalog = await withCancel(`reading ${PROVIDER_PRESETS[provider].label}'s models…`, (signal) => core.models.listModels(provider, { signal }));
    if (catalog.length === 0) {
      throw new AurelisError('unknown_model', `${PROVIDER_PRESETS[provider].label} lists no models. Check the endpoint, or choose another provider.`, {
        nextSteps: ['openSettings', 'selectProvider'],
      });
    }
    const picked = await vscode.window.showQuickPick(
      catalog.map((m) => ({ label: m.id, description: limits(m), detail: m.summary ?? m.name, id: m.id })),
      { title: `Aurelis: Models (${PROVIDER_PRESETS[provider].label})`, placeHolder: 'Choose a model', matchOnDescription: true, matchOnDetail: true },
    );
    model = picked?.id;
  }
  if (!model) return undefined;

  let task = args.task;
  if (!task) {
    const picked = await vscode.window.showQuickPick(
      TASK_TYPES.map((t) => ({ label: TASK_NAMES[t], description: `now: ${core.models.chainFor(t).map((m) => ref(m, provider)).join(' → ') || 'provider default'}`, task: t })),
      { title: `Aurelis: use ${model} first for…`, placeHolder: 'Choose the task' },
    );
    task = picked?.task;
  }
  if (!task) return undefined;

  const chain = [model, ...core.models.chainFor(task).map((m) => ref(m, provider))].filter((m, i, all) => all.indexOf(m) === i);
  await vscode.workspace.getConfiguration('aurelis').update(`models.${task}`, chain, vscode.ConfigurationTarget.Global);
  parts.log.info(`Model chain for ${task}: ${chain.join(' → ')}.`);
  void vscode.window.showInformationMessage(`Aurelis: ${TASK_NAMES[task]} now uses ${model} first (then ${chain.slice(1).join(', ') || 'nothing else'}).`);
  return { task, chain };
}

/** A chain entry: a bare model id for the active provider, `provider:model` for another one. */
function ref(target: ModelTarget, active: ProviderId): string {
  return target.provider === active ? target.model : `${target.provider}:${target.model}`;
}

function limits(m: ModelInfo): string {
  const parts = [];
  if (m.maxInputTokens !== undefined) parts.push(`in ${tokens(m.maxInputTokens)}`);
  if (m.maxOutputTokens !== undefined) parts.push(`out ${tokens(m.maxOutputTokens)}`);
  if (m.tier) parts.push(`tier ${m.tier}`);
  return parts.join(' · ');
}

function tokens(n: number): string {
  return n >= 1_048_576 && n % 1_048_576 === 0 ? `${n / 1_048_576}M` : n >= 1000 ? `${Math.round(n / 1024)}k` : String(n);
}
