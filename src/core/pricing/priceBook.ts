/**
 * The price book: what a request costs, from the user's overrides (`aurelis.prices`), then the
 * built-in tables. Unknown → null, which every caller shows as "price unknown", never as $0.
 */
import type { PriceBook, ModelTarget } from '../pipeline';
import type { Price, Settings } from '../settings';
import type { ProviderId, TokenUsage } from '../types';
import { targetKey } from '../routing/modelRef';
import { SettingsMemo } from '../settingsMemo';
import { GITHUB_MODELS_PRICES, OPENAI_PRICES, OPENROUTER_PRICES, PRESET_PRICES } from './listPrices';

export type PriceSource = 'settings' | 'built-in' | 'local';

/** A price in USD per million tokens and where it came from. */
export interface ResolvedPrice extends Price {
  source: PriceSource;
}

type Usage = Pick<TokenUsage, 'promptTokens' | 'completionTokens' | 'cachedTokens'>;

const FREE: Price = { input: 0, output: 0 };
/** Servers on the user's own machine: their requests cost nothing. */
const LOCAL_SERVERS: ReadonlySet<ProviderId> = new Set(['ollama', 'lmstudio', 'vllm', 'llamacpp']);
const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

export class ModelPrices implements PriceBook {
  /** Each model's price under one `aurelis.prices` object: looked up once, not on every request. */
  private readonly resolved = new SettingsMemo<Readonly<ResolvedPrice> | null>();

  /** Settings are read on every call, so an edited price applies to the next request. */
  constructor(private readonly settings: () => Settings) {}

  /**
   * Settings keys may be `"<provider>:<model>"` (that provider only) or `"<model>"` (any
   * provider); ids compare case-insensitively, as the providers treat them.
   */
  priceOf(target: ModelTarget): ResolvedPrice | null {
    const price = this.resolvedPrice(target);
    // A copy: the caller may keep or change what it is given.
    return price && { ...price };
  }

  cost(target: ModelTarget, usage: Usage): number | null {
    const price = this.resolvedPrice(target);
    return price === null ? null : costWith(price, usage);
  }

  private resolvedPrice(target: ModelTarget): Readonly<ResolvedPrice> | null {
    const overrides = this.settings().prices;
    // Prices are looked up case-insensitively, so one figure serves every spelling of a model id.
    return this.resolved.get(overrides, targetKey(target), () => {
      const found = lookUp(target, overrides);
      return found && Object.freeze(found);
    });
  }
}

function lookUp(target: ModelTarget, overrides: Settings['prices']): ResolvedPrice | null {
  const configured = fromSettings(target, overrides);
  if (configured) return { ...configured, source: 'settings' };
  const builtIn = builtInPrice(target);
  if (builtIn) return { ...builtIn, source: 'built-in' };
  if (LOCAL_SERVERS.has(target.provider)) return { ...FREE, source: 'local' };
  return null;
}

function fromSettings(target: ModelTarget, overrides: Settings['prices']): Price | undefined {
  const model = target.model.toLowerCase();
  let general: Price | undefined;
  for (const [key, price] of Object.entries(overrides)) {
    const k = key.toLowerCase();
    if (k === `${target.provider}:${model}`) return price;
    if (k === model) general = price;
  }
  return general;
}

/**
 * Cached tokens are part of the prompt tokens (as OpenAI reports them) and are billed at the
 * cached rate when the model has one, otherwise at the input rate.
 */
export function costWith(price: Price, usage: Usage): number {
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const fresh = usage.promptTokens - cached;
  return (fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.completionTokens * price.output) / 1_000_000;
}

function builtInPrice(target: ModelTarget): Price | undefined {
  const id = target.model.toLowerCase();
  switch (target.provider) {
    case 'github-models':
      // The retired endpoint took bare names (`gpt-4o`); the current one `openai/gpt-4o`.
      return GITHUB_MODELS_PRICES[id] ?? findByBareName(GITHUB_MODELS_PRICES, id);
    case 'openai':
    case 'azure-ai-foundry':
      // Azure deployments are named by the user; one named after its model gets that model's price.
      return lookupWithSnapshot(OPENAI_PRICES, id);
    case 'openrouter':
      return lookupWithSnapshot(OPENROUTER_PRICES, id);
    default: {
      const table = PRESET_PRICES[target.provider];
      return table ? lookupWithSnapshot(table, id) : undefined;
    }
  }
}

/** `gpt-4o-2024-08-06` is priced as `gpt-4o` unless the snapshot has its own entry. */
function lookupWithSnapshot(table: Record<string, Price>, id: string): Price | undefined {
  return table[id] ?? table[id.replace(DATED_SNAPSHOT, '')];
}

function findByBareName(table: Record<string, Price>, id: string): Price | undefined {
  if (id.includes('/')) return undefined;
  for (const [key, price] of Object.entries(table)) if (key.slice(key.indexOf('/') + 1) === id) return price;
  return undefined;
}
