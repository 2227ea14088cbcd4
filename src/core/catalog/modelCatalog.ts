/**
 * Each provider's model list with limits and rate tiers, fetched on demand and kept in memory
 * for an hour (`refresh` fetches again). Concurrent callers share one fetch. The size check and
 * pacing read what is already here (`cached`) and never wait for the network themselves.
 */
import { AurelisError } from '../errors';
import type { ModelTarget } from '../pipeline';
import type { ChatProvider } from '../providers/chatProvider';
import { githubRoot, type Connection } from '../providers/connection';
import { PROVIDER_PRESETS } from '../providers/presets';
import { ProviderFailure, unreadable } from '../providers/providerErrors';
import type { Clock } from '../host';
import type { ProviderId } from '../types';
import { CatalogShapeError, parseGitHubCatalog, parseOpenAIModels, type CatalogModel } from './catalogSchemas';

export const CATALOG_TTL_MS = 60 * 60 * 1000;

interface Entry {
  baseUrl: string;
  fetchedAt: number;
  models: CatalogModel[];
  byId: Map<string, CatalogModel>;
}

export class ModelCatalog {
  private readonly entries = new Map<ProviderId, Entry>();
  private readonly inFlight = new Map<string, Promise<CatalogModel[]>>();
  /** Changes whenever a list arrives: what was worked out from `cached` before is stale then. */
  version = 0;

  constructor(
    private readonly chat: ChatProvider,
    private readonly clock: Clock,
    private readonly timeoutMs: () => number,
  ) {}

  async list(connection: Connection, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<CatalogModel[]> {
    const entry = this.entries.get(connection.provider);
    const fresh = entry !== undefined && entry.baseUrl === connection.baseUrl && this.clock.now() - entry.fetchedAt < CATALOG_TTL_MS;
    if (fresh && !options.refresh) return entry.models;
    const key = `${connection.provider} ${connection.baseUrl}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetch(connection, options.signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const models = await pending;
    this.version++;
    this.entries.set(connection.provider, { baseUrl: connection.baseUrl, fetchedAt: this.clock.now(), models, byId: new Map(models.map((m) => [m.id.toLowerCase(), m])) });
    return models;
  }

  /** Fetches without touching the cache (checking a key before it is stored). Throws AurelisError. */
  async fetch(connection: Connection, signal?: AbortSignal): Promise<CatalogModel[]> {
    const github = connection.provider === 'github-models';
    const url = github ? `${githubRoot(connection.baseUrl)}/catalog/models` : `${connection.baseUrl}/models`;
    try {
      const raw = await this.chat.getJson(connection, url, signal, this.timeoutMs());
      return github ? parseGitHubCatalog(raw, connection.provider) : parseOpenAIModels(raw, connection.provider, PROVIDER_PRESETS[connection.provider].catalogIdPrefix);
    } catch (err) {
      if (err instanceof ProviderFailure) throw err.error;
      if (err instanceof CatalogShapeError) throw unreadable({ connection, model: 'the model catalog', now: this.clock.now() }, err.message).error;
      throw err instanceof AurelisError ? err : new AurelisError('invalid_response', `${connection.label}'s model list could not be read.`, { provider: connection.provider, cause: err });
    }
  }

  /** What the last fetch said about this model, if anything (stale entries still inform). */
  cached(target: ModelTarget): CatalogModel | undefined {
    return this.entries.get(target.provider)?.byId.get(target.model.toLowerCase());
  }
}
