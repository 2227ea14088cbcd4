/**
 * The chat-completions body for one call: what the task asks for, shaped by what the model
 * accepts (modelRules.ts), by the provider's quirks (presets.ts) and by what this model has
 * already refused (refusedParameters.ts).
 */
import type { ChatMessage, ResponseFormat } from '../types';
import { rulesFor, tokenParameterFor, type ReasoningEffort } from './modelRules';
import type { ProviderPreset } from './presets';
import { withoutRefused, type OptionalField } from './refusedParameters';

export interface BodyInput {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Nucleus sampling (a prompt file's modelParameters.topP). */
  topP?: number;
  responseFormat?: ResponseFormat;
  /** Sent to models that read it only (modelRules.ts). */
  reasoningEffort?: ReasoningEffort;
  stream: boolean;
}

export type RequestBody = Record<string, unknown> & { model: string; messages: ChatMessage[]; stream: boolean };

export function requestBody(input: BodyInput, preset: ProviderPreset, refused: ReadonlySet<OptionalField>): RequestBody {
  const rules = rulesFor(input.model);
  const body: RequestBody = { model: input.model, messages: input.messages, stream: input.stream };
  if (input.stream && preset.streamOptions !== false) body['stream_options'] = { include_usage: true };
  if (input.temperature !== undefined && rules.temperature) {
    body['temperature'] = preset.maxTemperature === undefined ? input.temperature : Math.min(input.temperature, preset.maxTemperature);
  }
  // Models that take no temperature (reasoning models) take no top_p either.
  if (input.topP !== undefined && rules.temperature) body['top_p'] = input.topP;
  if (input.maxTokens !== undefined) body[tokenParameterFor(preset, input.model)] = input.maxTokens;
  if (input.reasoningEffort !== undefined && rules.effort) body['reasoning_effort'] = input.reasoningEffort;
  // OpenRouter puts what the request cost into usage.cost only when asked.
  if (preset.costInUsage === true) body['usage'] = { include: true };
  const format = preset.responseFormat === false ? undefined : input.responseFormat;
  if (format?.type === 'json_object') body['response_format'] = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    body['response_format'] = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }) } };
  }
  return withoutRefused(body, refused);
}
