/**
 * `aurelis auth status`: the provider, its endpoint and where the key comes from — the
 * variable's name, never its value. Sends nothing.
 */
import { isAurelisError } from '../../core/errors';
import { baseUrlFor, KEY_VARIABLES, keyFromEnvironment } from '../../core/providers/connection';
import { PROVIDER_PRESETS } from '../../core/providers/presets';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import type { Configuration } from '../session';
import { emit } from '../terminal';

export async function authStatus(config: Configuration, options: { format?: 'text' | 'json' }): Promise<ExitCode> {
  const provider = config.settings.provider;
  const preset = PROVIDER_PRESETS[provider];
  let endpoint: string;
  try {
    endpoint = baseUrlFor(provider, config.settings);
  } catch (e) {
    throw new CliError(isAurelisError(e) ? `${preset.label} needs an endpoint: set base_url in .aurelis.yaml, AURELIS_BASE_URL, or --base-url.` : String(e));
  }
  const key = keyFromEnvironment(provider, config.env);
  const variables = KEY_VARIABLES[provider];
  const keyLine = key ? `from ${key.variable}` : preset.key === 'required' ? `not set — set ${variables.join(' or ')}` : 'not needed';
  const status = {
    provider,
    providerName: preset.label,
    endpoint,
    key: key ? { source: 'environment', variable: key.variable } : { source: 'none', required: preset.key === 'required', variables },
    configFile: config.project.file ?? null,
    home: config.home,
  };
  if (options.format === 'json') await emit(`${JSON.stringify(status, null, 2)}\n`);
  else await emit([`Provider:  ${preset.label} (${provider})`, `Endpoint:  ${endpoint}`, `API key:   ${keyLine}`, `Config:    ${config.project.file ?? 'none (defaults)'}`, `Data:      ${config.home}`, ''].join('\n'));
  return !key && preset.key === 'required' ? EXIT.usage : EXIT.ok;
}
