/**
 * How long an answer each request may be: the task's allowance (`aurelis.maxOutputTokens`),
 * plus room to think for a reasoning model, never more than the model can write. The same
 * number is sent as the request's maximum and reserved by the budget gate, so the gate reserves
 * what the request can really cost instead of the model's whole output limit.
 */
import type { ModelLimits } from '../catalog/modelLimits';
import type { ModelTarget } from '../pipeline';
import { REASONING_HEADROOM, rulesFor, type ReasoningEffort } from '../providers/modelRules';
import type { Settings } from '../settings';
import type { TaskRequest, TaskType } from '../types';

export function reasoningEffortFor(task: TaskType, settings: Settings): ReasoningEffort | undefined {
  return settings.reasoningEffort[task] ?? settings.reasoningEffort['default'];
}

export function outputAllowance(request: Pick<TaskRequest, 'task' | 'maxTokens'>, target: ModelTarget, settings: Settings, limits: ModelLimits): number {
  let tokens = request.maxTokens ?? settings.maxOutputTokens[request.task];
  // max_completion_tokens counts a reasoning model's thinking too; without room for it the
  // answer would be cut off before it began.
  if (rulesFor(target.model).reasoning) tokens += REASONING_HEADROOM[reasoningEffortFor(request.task, settings) ?? 'medium'];
  return limits.maxOutputTokens === undefined ? tokens : Math.min(tokens, limits.maxOutputTokens);
}
