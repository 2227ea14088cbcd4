/** Errors from the core in command-line terms, where the editor's wording (buttons, settings ids) differs. */
import type { AurelisError } from '../core/errors';
import { KEY_VARIABLES } from '../core/providers/connection';
import { PROVIDER_PRESETS } from '../core/providers/presets';
import { PROVIDER_IDS, type ProviderId } from '../core/types';

export function describeError(e: AurelisError): string {
  if (e.kind === 'no_key') {
    const provider: ProviderId = (PROVIDER_IDS as readonly string[]).includes(e.provider ?? '') ? (e.provider as ProviderId) : 'openai';
    return `No API key for ${PROVIDER_PRESETS[provider].label}: set ${KEY_VARIABLES[provider].join(' or ')} in the environment (aurelis never reads keys from files). Check with "aurelis auth status".`;
  }
  if (e.kind === 'budget_exceeded') {
    const first = e.message.split(/ Raise the budget/)[0] ?? e.message;
    return `${first} Raise the budget in .aurelis.yaml (cost_management), or wait until it resets.`;
  }
  return e.message;
}
