/**
 * The providers Aurelis talks to, by id. Browser-safe: the analytics panel filters and labels by them.
 * Plain lists without zod, so the editor's start-up path can name providers without loading it;
 * the schema is in idSchemas.ts.
 */

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
export type ProviderId = (typeof PROVIDER_IDS)[number];
