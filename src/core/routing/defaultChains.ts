/**
 * The model chain each task starts with when `aurelis.models.<task>` is empty.
 *
 * GitHub Models follows the original design, in the catalog's publisher/model ids (see the wire
 * notes): code generation Codestral → GPT-4o → Llama 70B; optimization Codestral → Llama 405B;
 * documentation Command-R → Command-R+ → GPT-4o-mini; explanation Command-R → Mistral;
 * reasoning (review, fix, refactor) GPT-4o → Llama 405B → Mistral; quick questions GPT-4o-mini.
 * Writing tests is code generation, so `test` uses the generation chain.
 *
 * Those ids exist only on GitHub Models, so every other preset gets chains of its own ids.
 * Azure deployments and custom endpoints are named by their owner: the defaults there are the
 * common deployment names and the user is expected to set `aurelis.models`.
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
    refactor: roles.reason,
    general: roles.quick,
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
  custom: byRole({ generate: [], optimize: [], document: [], explain: [], reason: [], quick: [] }),
};
