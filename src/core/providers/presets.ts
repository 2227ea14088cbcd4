/**
 * What differs between the OpenAI-compatible providers: where they live, whether they need a
 * key, and the headers they expect. Everything else is the same chat-completions protocol.
 * `aurelis.endpoints.<provider>` replaces any preset's base URL (self-hosted gateways, proxies,
 * and the tests' fake server).
 */
import type { ProviderId } from '../types';
import type { TokenParameter } from './modelRules';

export type KeyPolicy =
  /** A request without a key is refused before it is sent ('no_key'). */
  | 'required'
  /** Sent when one is stored (self-hosted gateways that may or may not check one). */
  | 'optional'
  /** Local servers: a stored key is still sent, none is needed. */
  | 'none';

export interface ProviderPreset {
  label: string;
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
}

/** GitHub documents both; the newer one is what its current docs send. */
export const GITHUB_API_VERSION = '2022-11-28';

export const PROVIDER_PRESETS: Record<ProviderId, ProviderPreset> = {
  'github-models': {
    label: 'GitHub Models',
    baseUrl: 'https://models.github.ai/inference',
    key: 'required',
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': GITHUB_API_VERSION },
    keyHint: 'a GitHub token with the `models: read` permission (or the GITHUB_TOKEN environment variable)',
    local: false,
    tokenParameter: 'max_tokens',
  },
  'azure-ai-foundry': {
    label: 'Azure AI Foundry',
    key: 'required',
    headers: {},
    keyHint: 'the key of your Azure AI Foundry resource (Keys and Endpoint in the Azure portal)',
    local: false,
    tokenParameter: 'max_completion_tokens',
  },
  openai: {
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    key: 'required',
    headers: {},
    keyHint: 'an OpenAI API key (platform.openai.com → API keys)',
    local: false,
    tokenParameter: 'max_completion_tokens',
  },
  openrouter: {
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    key: 'required',
    // OpenRouter attributes traffic to an app by this header; it carries no user data.
    headers: { 'X-Title': 'Aurelis' },
    keyHint: 'an OpenRouter API key (openrouter.ai → Keys)',
    local: false,
    tokenParameter: 'max_tokens',
  },
  ollama: {
    label: 'Ollama',
    baseUrl: 'http://localhost:11434/v1',
    key: 'none',
    headers: {},
    keyHint: 'no key (Ollama runs locally)',
    local: true,
    tokenParameter: 'max_tokens',
  },
  lmstudio: {
    label: 'LM Studio',
    baseUrl: 'http://localhost:1234/v1',
    key: 'none',
    headers: {},
    keyHint: 'no key (LM Studio runs locally)',
    local: true,
    tokenParameter: 'max_tokens',
  },
  custom: {
    label: 'Custom endpoint',
    key: 'optional',
    headers: {},
    keyHint: 'the key your endpoint expects, if any',
    local: false,
    tokenParameter: 'max_tokens',
  },
};

export function providerLabel(provider: ProviderId): string {
  return PROVIDER_PRESETS[provider].label;
}
