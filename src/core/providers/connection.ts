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

export interface Connection {
  provider: ProviderId;
  label: string;
  baseUrl: string;
  /** Undefined when the provider needs none and none is stored. */
  apiKey?: string;
  /** Where `apiKey` came from (the log and audit log name the source, never the key). */
  keySource?: KeySource;
  headers: Record<string, string>;
  local: boolean;
}

export type KeySource = 'secret_storage' | 'environment';

export interface ConnectionSources {
  settings: Settings;
  keys: KeyStore;
  env: Record<string, string | undefined>;
}

export async function resolveConnection(provider: ProviderId, sources: ConnectionSources): Promise<Connection> {
  const baseUrl = baseUrlFor(provider, sources.settings);
  const key = await keyFor(provider, sources);
  const apiKey = key?.value;
  return {
    provider,
    label: PROVIDER_PRESETS[provider].label,
    baseUrl,
    apiKey,
    ...(key ? { keySource: key.source } : {}),
    headers: headersFor(provider, sources.settings, apiKey),
    local: PROVIDER_PRESETS[provider].local,
  };
}

/** The connection for a key the user is about to store (validateKey), before it is saved. */
export function connectionWithKey(provider: ProviderId, settings: Settings, apiKey: string): Connection {
  return { provider, label: PROVIDER_PRESETS[provider].label, baseUrl: baseUrlFor(provider, settings), apiKey, headers: headersFor(provider, settings, apiKey), local: PROVIDER_PRESETS[provider].local };
}

export function baseUrlFor(provider: ProviderId, settings: Settings): string {
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
  const headers = { ...PROVIDER_PRESETS[provider].headers };
  if (provider === 'custom') Object.assign(headers, settings.customHeaders);
  // Azure's key-based auth reads `api-key`; its v1 endpoints also take the bearer form the SDK sends.
  if (provider === 'azure-ai-foundry' && apiKey !== undefined) headers['api-key'] = apiKey;
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

async function keyFor(provider: ProviderId, sources: ConnectionSources): Promise<{ value: string; source: KeySource } | undefined> {
  const stored = (await sources.keys.get(provider))?.trim();
  if (stored) return { value: stored, source: 'secret_storage' };
  if (provider === 'github-models') {
    const fromEnv = sources.env['GITHUB_TOKEN']?.trim();
    if (fromEnv) return { value: fromEnv, source: 'environment' };
  }
  const preset = PROVIDER_PRESETS[provider];
  if (preset.key !== 'required') return undefined;
  throw new AurelisError('no_key', `No API key is set for ${preset.label}. Run "Aurelis: Set API Key" and enter ${preset.keyHint}.`, {
    provider,
    nextSteps: ['setApiKey', 'selectProvider'],
  });
}
