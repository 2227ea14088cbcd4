/** Errors from the core in command-line terms, where the editor's wording (buttons, settings ids) differs. */
import type { AurelisError } from '../core/errors';
import { KEY_VARIABLES } from '../core/providers/connection';
import { PROVIDER_PRESETS } from '../core/providers/presets';
import { PROVIDER_IDS, type ProviderId } from '../core/types';

/** The editor's words in the core's messages, and what a command-line user does instead. */
function cliWords(message: string, variables: string): string {
  return message
    .replace(/Run "Aurelis: Set API Key" with such a token\./g, `Set ${variables} to such a token.`)
    .replace(/Check the key with "Aurelis: Set API Key"/g, `Check the key in ${variables}`)
    .replace(/\(?"?Aurelis: Models"?\)?/g, '(aurelis models)')
    .replace(/\baurelis\.models\b/g, 'models in .aurelis.yaml (or --model)')
    .replace(/\baurelis\.endpoints\b/g, 'base_url (or AURELIS_BASE_URL)')
    .replace(/\baurelis\.prices\b/g, 'prices in .aurelis.yaml');
}

export function describeError(e: AurelisError): string {
  if (e.kind === 'no_key') {
    const provider: ProviderId = (PROVIDER_IDS as readonly string[]).includes(e.provider ?? '') ? (e.provider as ProviderId) : 'openai';
    return `No API key for ${PROVIDER_PRESETS[provider].label}: set ${KEY_VARIABLES[provider].join(' or ')} in the environment (aurelis never reads keys from files). Check with "aurelis auth status".`;
  }
  if (e.kind === 'budget_exceeded') {
    const first = e.message.split(/ Raise the budget/)[0] ?? e.message;
    return `${first} Raise the budget in .aurelis.yaml (cost_management), or wait until it resets.`;
  }
  const provider: ProviderId = (PROVIDER_IDS as readonly string[]).includes(e.provider ?? '') ? (e.provider as ProviderId) : 'openai';
  return cliWords(e.message, KEY_VARIABLES[provider].join(' or '));
}
