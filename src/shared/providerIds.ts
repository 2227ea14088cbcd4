/** The providers Aurelis talks to, by id. Browser-safe: the analytics panel filters and labels by them. */
import * as z from './zodMini';

// New ids go at the end: the usage index stores providers by their position here.
export const PROVIDER_IDS = [
  'openai',
  'azure-ai-foundry',
  'openrouter',
  'ollama',
  'lmstudio',
  'custom',
  'github-models',
  'anthropic',
  'gemini',
  'deepseek',
  'mistral',
  'groq',
  'xai',
  'together',
  'vllm',
  'llamacpp',
  'litellm',
] as const;
export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof ProviderIdSchema>;
