/** Names the analytics panel and its HTML report show for ids (in the user's words). */
import type { ErrorKind } from './errorKinds';
import type { ProviderId } from './providerIds';
import type { RecordedTask } from './taskTypes';
import type { AnalyticsPeriod, BudgetPeriod } from './analyticsReport';

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  openai: 'OpenAI',
  'azure-ai-foundry': 'Azure AI Foundry',
  openrouter: 'OpenRouter',
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  custom: 'Custom endpoint',
  'github-models': 'GitHub Models',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
  deepseek: 'DeepSeek',
  mistral: 'Mistral',
  groq: 'Groq',
  xai: 'xAI',
  together: 'Together AI',
  vllm: 'vLLM',
  llamacpp: 'llama.cpp',
  litellm: 'LiteLLM',
};

export const TASK_NAMES: Record<RecordedTask, string> = {
  generate: 'Generate',
  review: 'Review',
  explain: 'Explain',
  optimize: 'Optimize',
  document: 'Document',
  test: 'Generate Tests',
  fix: 'Fix',
  refactor: 'Refactor (retired)',
  general: 'General (retired)',
  prompt: 'Prompt files',
};

export const ERROR_KIND_NAMES: Record<ErrorKind, string> = {
  auth: 'Key rejected',
  no_key: 'No API key',
  unknown_model: 'Unknown model',
  retired: 'Model retired',
  too_large: 'Too large',
  rate_limited: 'Rate limited',
  content_filtered: 'Content filtered',
  unavailable: 'Unavailable',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  stream_broken: 'Stream broken',
  bad_request: 'Bad request',
  invalid_response: 'Invalid response',
  budget_exceeded: 'Budget refused',
  secret_blocked: 'Secret blocked',
  restricted_mode: 'Restricted Mode',
  config: 'Configuration',
};

export const PERIOD_NAMES: Record<AnalyticsPeriod['kind'], string> = {
  today: 'Today',
  last7Days: 'Last 7 days',
  last30Days: 'Last 30 days',
  thisMonth: 'This month',
  custom: 'Custom range',
};

export const BUDGET_PERIOD_NAMES: Record<BudgetPeriod, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
};

/** `gpt-4o (OpenAI)`. */
export function modelLabel(provider: ProviderId, model: string): string {
  return `${model} (${PROVIDER_NAMES[provider]})`;
}
