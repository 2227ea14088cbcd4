/**
 * What differs between the OpenAI-compatible providers: where they live, whether they need a
 * key, the headers they expect, the token parameter they read and their known quirks.
 * Everything else is the same chat-completions protocol.
 * `aurelis.endpoints.<provider>` replaces any preset's base URL (self-hosted gateways, proxies,
 * and the tests' fake server).
 */
import { PROVIDER_NAMES } from '../../shared/labels';
import type { ProviderId } from '../types';
import type { TokenParameter } from './modelRules';

export type KeyPolicy =
  /** A request without a key is refused before it is sent ('no_key'). */
  | 'required'
  /** Sent when one is stored (self-hosted gateways that may or may not check one). */
  | 'optional'
  /** Local servers: a stored key is still sent, none is needed. */
  | 'none';

/** How Select Provider groups them. */
export type ProviderGroup = 'hosted' | 'gateway' | 'local';

export interface ProviderPreset {
  label: string;
  group: ProviderGroup;
  /** One line for Select Provider: what it is and what it needs. */
  description: string;
  /** Undefined when the user must supply the endpoint. */
  baseUrl?: string;
  key: KeyPolicy;
  headers: Record<string, string>;
  /** Where the user gets a key, for the 'no_key' and 'auth' messages. */
  keyHint: string;
  /** Runs on the user's machine: a refused connection means "not running", not "outage". */
  local: boolean;
  /** The output-limit parameter the server reads for ordinary models. */
  tokenParameter: TokenParameter;
  /** The server knows no other token parameter, whatever the model (it refuses the other as unknown). */
  onlyTokenParameter?: boolean;
  /** The highest temperature the server accepts; higher ones are sent as this. */
  maxTemperature?: number;
  /** False: the server ignores `response_format`, so it is not sent (the prompt still asks for JSON). */
  responseFormat?: boolean;
  /** False: the server rejects `stream_options` (it sends usage in the last chunk on its own). */
  streamOptions?: boolean;
  /** A header that carries the key besides `Authorization: Bearer` (Azure's `api-key`, Anthropic's `x-api-key`). */
  keyHeader?: string;
  /** The server reports what a request cost in `usage.cost` when asked with `usage: {include: true}` (OpenRouter). */
  costInUsage?: boolean;
  /** The response header carrying what the request cost in USD (LiteLLM's `x-litellm-response-cost`). */
  costHeader?: string;
  /** Prefix the model list puts before ids the chat endpoint takes without it (Gemini's `models/`). */
  catalogIdPrefix?: string;
  /** The server runs the model it was started with: with no chain set, Aurelis uses the one its /models lists first. */
  servesOneModel?: boolean;
}

/** GitHub documents both; the newer one is what its current docs send. */
export const GITHUB_API_VERSION = '2022-11-28';

/** What each provider is and needs; its name comes from the one label table (src/shared/labels.ts). */
const PRESET_FACTS: Record<ProviderId, Omit<ProviderPreset, 'label'>> = {
  'github-models': {
    group: 'hosted',
    description: 'Retired on 2026-07-30: only for enterprises that still reach a compatible gateway.',
    baseUrl: 'https://models.github.ai/inference',
    key: 'required',
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': GITHUB_API_VERSION },
    keyHint: 'a GitHub token with the `models: read` permission (or the GITHUB_TOKEN environment variable)',
    local: false,
    tokenParameter: 'max_tokens',
  },
  'azure-ai-foundry': {
    group: 'hosted',
    description: "Your Azure AI Foundry resource's OpenAI-compatible endpoint (or a deployment URL with api-version); GitHub's recommended successor to GitHub Models.",
    keyHeader: 'api-key',
    key: 'required',
    headers: {},
    keyHint: 'the key of your Azure AI Foundry resource (Keys and Endpoint in the Azure portal)',
    local: false,
    tokenParameter: 'max_completion_tokens',
  },
  openai: {
    group: 'hosted',
    description: "OpenAI's hosted models. Needs an OpenAI API key.",
    baseUrl: 'https://api.openai.com/v1',
    key: 'required',
    headers: {},
    keyHint: 'an OpenAI API key (platform.openai.com → API keys)',
    local: false,
    tokenParameter: 'max_completion_tokens',
  },
  openrouter: {
    group: 'gateway',
    description: "Many publishers' models behind one OpenRouter key; reports what each request cost.",
    costInUsage: true,
    baseUrl: 'https://openrouter.ai/api/v1',
    key: 'required',
    // OpenRouter attributes traffic to an app by this header; it carries no user data.
    headers: { 'X-Title': 'Aurelis' },
    keyHint: 'an OpenRouter API key (openrouter.ai → Keys)',
    local: false,
    tokenParameter: 'max_tokens',
  },
  ollama: {
    group: 'local',
    description: 'Models running on this machine through Ollama. No key, no cost.',
    baseUrl: 'http://localhost:11434/v1',
    key: 'none',
    headers: {},
    keyHint: 'no key (Ollama runs locally)',
    local: true,
    tokenParameter: 'max_tokens',
  },
  lmstudio: {
    group: 'local',
    description: 'Models running on this machine through LM Studio. No key, no cost.',
    baseUrl: 'http://localhost:1234/v1',
    key: 'none',
    headers: {},
    keyHint: 'no key (LM Studio runs locally)',
    local: true,
    tokenParameter: 'max_tokens',
  },
  custom: {
    group: 'gateway',
    description: 'Any OpenAI-compatible endpoint you set in aurelis.endpoints.custom.',
    key: 'optional',
    headers: {},
    keyHint: 'the key your endpoint expects, if any',
    local: false,
    tokenParameter: 'max_tokens',
  },
  anthropic: {
    group: 'hosted',
    description: "Claude through Anthropic's OpenAI-compatible endpoint; needs an Anthropic API key.",
    baseUrl: 'https://api.anthropic.com/v1',
    key: 'required',
    // The compatibility layer takes the bearer key; the model list (/v1/models) wants these two.
    headers: { 'anthropic-version': '2023-06-01' },
    keyHeader: 'x-api-key',
    keyHint: 'an Anthropic API key (console.anthropic.com → API Keys)',
    local: false,
    tokenParameter: 'max_tokens',
    // Its compatibility layer accepts temperature only up to 1 and ignores response_format.
    maxTemperature: 1,
    responseFormat: false,
  },
  gemini: {
    group: 'hosted',
    description: "Gemini through Google's OpenAI compatibility endpoint; needs a Gemini API key.",
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    key: 'required',
    headers: {},
    keyHint: 'a Gemini API key (aistudio.google.com → Get API key)',
    local: false,
    tokenParameter: 'max_tokens',
    catalogIdPrefix: 'models/',
  },
  deepseek: {
    group: 'hosted',
    description: 'api.deepseek.com (deepseek-chat, deepseek-reasoner); needs a DeepSeek API key.',
    baseUrl: 'https://api.deepseek.com/v1',
    key: 'required',
    headers: {},
    keyHint: 'a DeepSeek API key (platform.deepseek.com → API keys)',
    local: false,
    tokenParameter: 'max_tokens',
  },
  mistral: {
    group: 'hosted',
    description: 'api.mistral.ai (Codestral, Mistral Medium and Large); needs a Mistral API key.',
    baseUrl: 'https://api.mistral.ai/v1',
    key: 'required',
    headers: {},
    keyHint: 'a Mistral API key (console.mistral.ai → API Keys)',
    local: false,
    // Mistral refuses fields it does not know (422 "Extra inputs are not permitted"):
    // max_completion_tokens, and stream_options (it sends usage in the last chunk anyway).
    tokenParameter: 'max_tokens',
    onlyTokenParameter: true,
    streamOptions: false,
  },
  groq: {
    group: 'hosted',
    description: 'api.groq.com (Llama, gpt-oss, Qwen at high speed); needs a Groq API key.',
    baseUrl: 'https://api.groq.com/openai/v1',
    key: 'required',
    headers: {},
    keyHint: 'a Groq API key (console.groq.com → API Keys)',
    local: false,
    // Groq refuses n other than 1 and logprobs; Aurelis sends neither.
    tokenParameter: 'max_completion_tokens',
  },
  xai: {
    group: 'hosted',
    description: 'api.x.ai (Grok); needs an xAI API key.',
    baseUrl: 'https://api.x.ai/v1',
    key: 'required',
    headers: {},
    keyHint: 'an xAI API key (console.x.ai → API Keys)',
    local: false,
    tokenParameter: 'max_completion_tokens',
  },
  together: {
    group: 'hosted',
    description: 'api.together.xyz (open-weight models); needs a Together API key.',
    baseUrl: 'https://api.together.xyz/v1',
    key: 'required',
    headers: {},
    keyHint: 'a Together AI API key (api.together.ai → Settings → API Keys)',
    local: false,
    tokenParameter: 'max_tokens',
  },
  vllm: {
    group: 'local',
    description: 'A vLLM server (port 8000 here, or aurelis.endpoints.vllm); a key only if it was started with --api-key.',
    baseUrl: 'http://localhost:8000/v1',
    key: 'optional',
    headers: {},
    keyHint: 'the key the server was started with (--api-key), if any',
    local: true,
    tokenParameter: 'max_tokens',
    servesOneModel: true,
  },
  llamacpp: {
    group: 'local',
    description: "llama.cpp's llama-server (port 8080 here, or aurelis.endpoints.llamacpp); a key only if started with --api-key.",
    baseUrl: 'http://localhost:8080/v1',
    key: 'optional',
    headers: {},
    keyHint: 'the key llama-server was started with (--api-key), if any',
    local: true,
    tokenParameter: 'max_tokens',
    servesOneModel: true,
  },
  litellm: {
    group: 'gateway',
    description: "A LiteLLM proxy (port 4000 here, or your company's URL in aurelis.endpoints.litellm); reports what each request cost.",
    baseUrl: 'http://localhost:4000/v1',
    key: 'optional',
    headers: {},
    keyHint: 'your LiteLLM virtual key or master key, if the proxy checks keys',
    local: false,
    tokenParameter: 'max_tokens',
    costHeader: 'x-litellm-response-cost',
  },
};

/** In Select Provider's order (the order above). */
export const PROVIDER_PRESETS = Object.fromEntries(
  Object.entries(PRESET_FACTS).map(([id, facts]) => [id, { label: PROVIDER_NAMES[id as ProviderId], ...facts }]),
) as Record<ProviderId, ProviderPreset>;

export function providerLabel(provider: ProviderId): string {
  return PROVIDER_PRESETS[provider].label;
}
