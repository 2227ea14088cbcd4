/**
 * Where and how to reach one provider right now: base URL (preset, organization path,
 * `aurelis.endpoints` override), headers and key. Read for every request, so a changed setting
 * or key applies to the next request without a reload.
 */
import { AurelisError } from '../errors';
import type { KeyStore } from '../host';
import type { Settings } from '../settings';
import type { ProviderId } from '../types';
import { PROVIDER_PRESETS } from './presets';
import { SettingsMemo } from '../settingsMemo';

export interface Connection {
  provider: ProviderId;
  label: string;
  baseUrl: string;
  /** Undefined when the provider needs none and none is stored. */
  apiKey?: string;
  /** Where `apiKey` came from (the log and audit log name the source, never the key). */
  keySource?: KeySource;
  /** The environment variable the key came from, when it did (named in logs, never its value). */
  keyVariable?: string;
  headers: Record<string, string>;
  /** Query parameters every request carries (Azure deployment URLs: `api-version`). */
  query?: Record<string, string>;
  local: boolean;
}

export type KeySource = 'secret_storage' | 'environment';

export interface ConnectionSources {
  settings: Settings;
  keys: KeyStore;
  env: Record<string, string | undefined>;
}

/**
 * Connections already worked out, per settings object and key: every request reads the key again
 * (it may have changed), and gets the same connection while neither has changed (the SDK client
 * made for it is found by it too). Memory only, and dropped with the settings object.
 */
const connections = new SettingsMemo<Readonly<Connection>>();

export async function resolveConnection(provider: ProviderId, sources: ConnectionSources): Promise<Connection> {
  const key = await keyFor(provider, sources);
  const id = key === undefined ? provider : `${provider}\n${key.source}\n${key.variable ?? ''}\n${key.value}`;
  return connections.get(sources.settings, id, () => Object.freeze(connectionWith(provider, sources.settings, key)));
}

/** The connection for a key the user is about to store (validateKey), before it is saved; `undefined`: none at all. */
export function connectionWithKey(provider: ProviderId, settings: Settings, apiKey: string | undefined): Connection {
  return connectionWith(provider, settings, apiKey === undefined ? undefined : { value: apiKey });
}

function connectionWith(provider: ProviderId, settings: Settings, key: { value: string; source?: KeySource; variable?: string } | undefined): Connection {
  const endpoint = endpointFor(provider, settings);
  const apiKey = key?.value;
  return {
    provider,
    label: PROVIDER_PRESETS[provider].label,
    baseUrl: endpoint.baseUrl,
    apiKey,
    ...(key?.source ? { keySource: key.source } : {}),
    ...(key?.variable ? { keyVariable: key.variable } : {}),
    headers: headersFor(provider, settings, apiKey),
    ...(endpoint.query ? { query: endpoint.query } : {}),
    local: PROVIDER_PRESETS[provider].local,
  };
}

export function baseUrlFor(provider: ProviderId, settings: Settings): string {
  return endpointFor(provider, settings).baseUrl;
}

/**
 * An Azure OpenAI deployment URL (`…/openai/deployments/{name}[/chat/completions]?api-version=…`),
 * the form resources created before the v1 API still use: the deployment is the base, and the
 * api-version goes on every request.
 */
const AZURE_DEPLOYMENT = /^(?<base>.*\/openai\/deployments\/[^/?#]+)(\/chat\/completions)?\/?$/;

function endpointFor(provider: ProviderId, settings: Settings): { baseUrl: string; query?: Record<string, string> } {
  const base = configuredBase(provider, settings);
  if (provider !== 'azure-ai-foundry') return { baseUrl: base };
  const url = new URL(base);
  const deployment = AZURE_DEPLOYMENT.exec(`${url.origin}${url.pathname}`)?.groups?.['base'];
  const apiVersion = url.searchParams.get('api-version');
  if (deployment === undefined) return { baseUrl: base };
  if (!apiVersion) {
    throw new AurelisError(
      'config',
      `The Azure AI Foundry deployment URL in aurelis.endpoints needs its api-version, for example ${deployment}/chat/completions?api-version=2024-10-21.`,
      { provider, nextSteps: ['openSettings'] },
    );
  }
  return { baseUrl: deployment, query: { 'api-version': apiVersion } };
}

function configuredBase(provider: ProviderId, settings: Settings): string {
  const preset = PROVIDER_PRESETS[provider];
  const configured = settings.endpoints[provider] ?? preset.baseUrl;
  if (configured === undefined) {
    const example = provider === 'azure-ai-foundry' ? ' (for example https://<resource>.services.ai.azure.com/openai/v1)' : '';
    throw new AurelisError(
      'config',
      `${preset.label} needs an endpoint: set aurelis.endpoints → "${provider}" to its base URL${example}.`,
      { provider, nextSteps: ['openSettings', 'selectProvider'] },
    );
  }
  const base = configured.replace(/\/+$/, '');
  const org = settings.githubModels.organization;
  if (provider === 'github-models' && org) return `${githubRoot(base)}/orgs/${encodeURIComponent(org)}/inference`;
  return base;
}

/** The GitHub Models host root: the inference base without `/inference` or `/orgs/{org}/inference`. */
export function githubRoot(inferenceBase: string): string {
  return inferenceBase.replace(/\/+$/, '').replace(/(\/orgs\/[^/]+)?\/inference$/, '');
}

function headersFor(provider: ProviderId, settings: Settings, apiKey: string | undefined): Record<string, string> {
  const preset = PROVIDER_PRESETS[provider];
  const headers = { ...preset.headers };
  if (provider === 'custom') Object.assign(headers, settings.customHeaders);
  // Azure's key-based auth reads `api-key` and Anthropic's model list `x-api-key`; both also
  // take the bearer form the SDK sends.
  if (preset.keyHeader !== undefined && apiKey !== undefined) headers[preset.keyHeader] = apiKey;
  return headers;
}

/**
 * The values a server must never see echoed into an error message or a log: the key, and the
 * header values the user added (`aurelis.customHeaders` may carry a gateway's own key). The
 * presets' fixed headers are public and stay out.
 */
export function secretValues(connection: Pick<Connection, 'provider'> & Partial<Pick<Connection, 'apiKey' | 'headers'>>): string[] {
  const preset = PROVIDER_PRESETS[connection.provider].headers;
  const added = Object.entries(connection.headers ?? {})
    .filter(([name]) => !Object.hasOwn(preset, name))
    .map(([, value]) => value);
  return connection.apiKey === undefined ? added : [connection.apiKey, ...added];
}

/**
 * The environment variables a provider's key may come from when none is stored, in order. Only
 * what the host puts into `env` is seen: the editor passes `GITHUB_TOKEN`, the command line all.
 */
export const KEY_VARIABLES: Record<ProviderId, readonly string[]> = {
  openai: ['AURELIS_API_KEY', 'OPENAI_API_KEY'],
  'azure-ai-foundry': ['AURELIS_API_KEY', 'AZURE_OPENAI_API_KEY', 'AZURE_AI_API_KEY'],
  openrouter: ['AURELIS_API_KEY', 'OPENROUTER_API_KEY'],
  ollama: ['AURELIS_API_KEY'],
  lmstudio: ['AURELIS_API_KEY'],
  custom: ['AURELIS_API_KEY'],
  'github-models': ['AURELIS_API_KEY', 'GITHUB_TOKEN'],
  anthropic: ['AURELIS_API_KEY', 'ANTHROPIC_API_KEY'],
  gemini: ['AURELIS_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  deepseek: ['AURELIS_API_KEY', 'DEEPSEEK_API_KEY'],
  mistral: ['AURELIS_API_KEY', 'MISTRAL_API_KEY'],
  groq: ['AURELIS_API_KEY', 'GROQ_API_KEY'],
  xai: ['AURELIS_API_KEY', 'XAI_API_KEY'],
  together: ['AURELIS_API_KEY', 'TOGETHER_API_KEY'],
  vllm: ['AURELIS_API_KEY', 'VLLM_API_KEY'],
  llamacpp: ['AURELIS_API_KEY', 'LLAMA_API_KEY'],
  litellm: ['AURELIS_API_KEY', 'LITELLM_API_KEY'],
};

/** The first of the provider's key variables set (non-blank) in `env`. */
export function keyFromEnvironment(provider: ProviderId, env: Record<string, string | undefined>): { value: string; variable: string } | undefined {
  for (const variable of KEY_VARIABLES[provider]) {
    const value = env[variable]?.trim();
    if (value) return { value, variable };
  }
  return undefined;
}

async function keyFor(provider: ProviderId, sources: ConnectionSources): Promise<{ value: string; source: KeySource; variable?: string } | undefined> {
  const stored = (await sources.keys.get(provider))?.trim();
  if (stored) return { value: stored, source: 'secret_storage' };
  const fromEnv = keyFromEnvironment(provider, sources.env);
  if (fromEnv) return { value: fromEnv.value, source: 'environment', variable: fromEnv.variable };
  const preset = PROVIDER_PRESETS[provider];
  if (preset.key !== 'required') return undefined;
  throw new AurelisError('no_key', `No API key is set for ${preset.label}. Run "Aurelis: Set API Key" and enter ${preset.keyHint}.`, {
    provider,
    nextSteps: ['setApiKey', 'selectProvider'],
  });
}
