import type { ProviderId } from '../core/types';

/** How each provider is named to the user. */
export const PROVIDER_LABELS: Record<ProviderId, string> = {
  openai: 'OpenAI',
  'azure-ai-foundry': 'Azure AI Foundry',
  openrouter: 'OpenRouter',
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  custom: 'Custom endpoint',
  'github-models': 'GitHub Models',
};
