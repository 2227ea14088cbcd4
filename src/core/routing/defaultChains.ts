/**
 * The model chain each task starts with when `aurelis.models.<task>` is empty.
 *
 * GitHub Models follows the original design, in the catalog's publisher/model ids (see the wire
 * notes): code generation Codestral → GPT-4o → Llama 70B; optimization Codestral → Llama 405B;
 * documentation Command-R → Command-R+ → GPT-4o-mini; explanation Command-R → Mistral;
 * reasoning (review, fix) GPT-4o → Llama 405B → Mistral; quick questions (prompt files) GPT-4o-mini.
 * Writing tests is code generation, so `test` uses the generation chain.
 *
 * Those ids exist only on GitHub Models, so every other preset gets chains of its own ids.
 * Azure deployments and custom endpoints are named by their owner: the defaults there are the
 * common deployment names and the user is expected to set `aurelis.models`. The hosted presets
 * added in 2026 follow the same roles with their publishers' current models (read 2025-11):
 * a coder or fast model to generate, the strongest to reason, the cheapest to explain.
 */
import type { ProviderId, TaskType } from '../types';

type Chains = Record<TaskType, readonly string[]>;

function byRole(roles: { generate: string[]; optimize: string[]; document: string[]; explain: string[]; reason: string[]; quick: string[] }): Chains {
  return {
    generate: roles.generate,
    test: roles.generate,
    optimize: roles.optimize,
    document: roles.document,
    explain: roles.explain,
    review: roles.reason,
    fix: roles.reason,
    // A team's prompt file may ask anything: the quick, cheap chain when it names no model.
    prompt: roles.quick,
  };
}

const GITHUB = {
  codestral: 'mistral-ai/codestral-2501',
  gpt4o: 'openai/gpt-4o',
  gpt4oMini: 'openai/gpt-4o-mini',
  llama70b: 'meta/llama-3.3-70b-instruct',
  llama405b: 'meta/meta-llama-3.1-405b-instruct',
  commandR: 'cohere/cohere-command-r-08-2024',
  commandRPlus: 'cohere/cohere-command-r-plus-08-2024',
  mistral: 'mistral-ai/mistral-medium-2505',
};

const OPENROUTER = {
  codestral: 'mistralai/codestral-2501',
  gpt4o: 'openai/gpt-4o',
  gpt4oMini: 'openai/gpt-4o-mini',
  llama70b: 'meta-llama/llama-3.3-70b-instruct',
  llama405b: 'meta-llama/llama-3.1-405b-instruct',
  commandR: 'cohere/command-r-08-2024',
  commandRPlus: 'cohere/command-r-plus-08-2024',
  mistral: 'mistralai/mistral-medium-3',
};

/** The coder model most local setups pull first. */
const OLLAMA_CODER = 'qwen2.5-coder';
const LMSTUDIO_CODER = 'qwen2.5-coder-7b-instruct';

const NAMED_BY_THE_USER = byRole({ generate: [], optimize: [], document: [], explain: [], reason: [], quick: [] });

export const DEFAULT_CHAINS: Record<ProviderId, Chains> = {
  'github-models': byRole({
    generate: [GITHUB.codestral, GITHUB.gpt4o, GITHUB.llama70b],
    optimize: [GITHUB.codestral, GITHUB.llama405b],
    document: [GITHUB.commandR, GITHUB.commandRPlus, GITHUB.gpt4oMini],
    explain: [GITHUB.commandR, GITHUB.mistral],
    reason: [GITHUB.gpt4o, GITHUB.llama405b, GITHUB.mistral],
    quick: [GITHUB.gpt4oMini],
  }),
  openrouter: byRole({
    generate: [OPENROUTER.codestral, OPENROUTER.gpt4o, OPENROUTER.llama70b],
    optimize: [OPENROUTER.codestral, OPENROUTER.llama405b],
    document: [OPENROUTER.commandR, OPENROUTER.commandRPlus, OPENROUTER.gpt4oMini],
    explain: [OPENROUTER.commandR, OPENROUTER.mistral],
    reason: [OPENROUTER.gpt4o, OPENROUTER.llama405b, OPENROUTER.mistral],
    quick: [OPENROUTER.gpt4oMini],
  }),
  openai: byRole({
    generate: ['gpt-4.1', 'gpt-4o', 'gpt-4.1-mini'],
    optimize: ['gpt-4.1', 'gpt-4o'],
    document: ['gpt-4.1-mini', 'gpt-4o-mini'],
    explain: ['gpt-4.1-mini', 'gpt-4o-mini'],
    reason: ['gpt-4.1', 'gpt-4o', 'gpt-4.1-mini'],
    quick: ['gpt-4o-mini'],
  }),
  'azure-ai-foundry': byRole({
    generate: ['gpt-4o', 'gpt-4o-mini'],
    optimize: ['gpt-4o', 'gpt-4o-mini'],
    document: ['gpt-4o-mini', 'gpt-4o'],
    explain: ['gpt-4o-mini', 'gpt-4o'],
    reason: ['gpt-4o', 'gpt-4o-mini'],
    quick: ['gpt-4o-mini'],
  }),
  ollama: byRole({
    generate: [OLLAMA_CODER],
    optimize: [OLLAMA_CODER],
    document: [OLLAMA_CODER],
    explain: [OLLAMA_CODER],
    reason: [OLLAMA_CODER],
    quick: [OLLAMA_CODER],
  }),
  lmstudio: byRole({
    generate: [LMSTUDIO_CODER],
    optimize: [LMSTUDIO_CODER],
    document: [LMSTUDIO_CODER],
    explain: [LMSTUDIO_CODER],
    reason: [LMSTUDIO_CODER],
    quick: [LMSTUDIO_CODER],
  }),
  custom: NAMED_BY_THE_USER,
  anthropic: byRole({
    generate: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
    optimize: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
    document: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
    explain: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
    reason: ['claude-sonnet-4-5', 'claude-opus-4-1'],
    quick: ['claude-haiku-4-5'],
  }),
  gemini: byRole({
    generate: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    optimize: ['gemini-2.5-pro', 'gemini-2.5-flash'],
    document: ['gemini-2.5-flash-lite', 'gemini-2.5-flash'],
    explain: ['gemini-2.5-flash-lite', 'gemini-2.5-flash'],
    reason: ['gemini-2.5-pro', 'gemini-2.5-flash'],
    quick: ['gemini-2.5-flash-lite'],
  }),
  deepseek: byRole({
    generate: ['deepseek-chat'],
    optimize: ['deepseek-chat', 'deepseek-reasoner'],
    document: ['deepseek-chat'],
    explain: ['deepseek-chat'],
    reason: ['deepseek-reasoner', 'deepseek-chat'],
    quick: ['deepseek-chat'],
  }),
  mistral: byRole({
    generate: ['codestral-latest', 'mistral-medium-latest'],
    optimize: ['codestral-latest', 'mistral-large-latest'],
    document: ['mistral-small-latest', 'mistral-medium-latest'],
    explain: ['mistral-small-latest', 'mistral-medium-latest'],
    reason: ['mistral-large-latest', 'mistral-medium-latest'],
    quick: ['mistral-small-latest'],
  }),
  groq: byRole({
    generate: ['openai/gpt-oss-120b', 'llama-3.3-70b-versatile'],
    optimize: ['openai/gpt-oss-120b', 'llama-3.3-70b-versatile'],
    document: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'],
    explain: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'],
    reason: ['openai/gpt-oss-120b', 'llama-3.3-70b-versatile'],
    quick: ['llama-3.1-8b-instant'],
  }),
  xai: byRole({
    generate: ['grok-code-fast-1', 'grok-4'],
    optimize: ['grok-code-fast-1', 'grok-4'],
    document: ['grok-3-mini', 'grok-code-fast-1'],
    explain: ['grok-3-mini', 'grok-code-fast-1'],
    reason: ['grok-4', 'grok-code-fast-1'],
    quick: ['grok-3-mini'],
  }),
  together: byRole({
    generate: ['Qwen/Qwen2.5-Coder-32B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
    optimize: ['Qwen/Qwen2.5-Coder-32B-Instruct', 'deepseek-ai/DeepSeek-V3'],
    document: ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'Qwen/Qwen2.5-Coder-32B-Instruct'],
    explain: ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'Qwen/Qwen2.5-Coder-32B-Instruct'],
    reason: ['deepseek-ai/DeepSeek-V3', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
    quick: ['meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  }),
  // Servers people run themselves serve the models they chose to load. vLLM and llama-server
  // run one, which the orchestrator reads from their /models; a LiteLLM proxy routes to many,
  // so the user picks with "Aurelis: Models" or lists them in aurelis.models.
  vllm: NAMED_BY_THE_USER,
  llamacpp: NAMED_BY_THE_USER,
  litellm: NAMED_BY_THE_USER,
};
