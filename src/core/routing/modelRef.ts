/**
 * Model references as users write them in settings and requests: `"<model>"` means the active
 * provider, `"<provider>:<model>"` names another one (so a chain can fall back from a hosted
 * model to a local one). Ollama tags contain colons too (`qwen2.5-coder:7b`), so only a known
 * provider id before the first colon counts as a provider.
 */
import type { ModelTarget } from '../pipeline';
import { PROVIDER_IDS, type ProviderId } from '../types';

export function parseModelRef(ref: string, activeProvider: ProviderId): ModelTarget {
  const colon = ref.indexOf(':');
  if (colon > 0) {
    const head = ref.slice(0, colon);
    const rest = ref.slice(colon + 1).trim();
    if (isProviderId(head) && rest.length > 0) return { provider: head, model: rest };
  }
  return { provider: activeProvider, model: ref.trim() };
}

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * Keys of frozen targets (the chains resolveChain hands out): the same target is looked up at
 * a dozen stages of every request, and a frozen one cannot change under its key.
 */
const frozenKeys = new WeakMap<ModelTarget, string>();

/** A stable map key; model ids compare case-insensitively, as the providers treat them. */
export function targetKey(target: ModelTarget): string {
  const known = frozenKeys.get(target);
  if (known !== undefined) return known;
  const key = `${target.provider}:${target.model.toLowerCase()}`;
  if (Object.isFrozen(target)) frozenKeys.set(target, key);
  return key;
}

