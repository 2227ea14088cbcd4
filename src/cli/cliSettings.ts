/**
 * The settings a command runs with: the core's defaults, then `.aurelis.yaml`, then the
 * environment (`AURELIS_PROVIDER`, `AURELIS_BASE_URL`), then flags (`--provider`, `--base-url`,
 * `--model`), validated by the core's settings schema. A command line has nobody to ask, so a
 * secret-scan policy of "ask" becomes "block" unless `--secrets redact` says otherwise.
 */
import { parseSettings, type Settings } from '../core/settings';
import { PROVIDER_IDS, TASK_TYPES, type ProviderId } from '../core/types';
import { DEFAULT_CHUNK_TOKENS } from '../core/review/reviewChunks';
import { CliError } from './exitCodes';
import type { ProjectConfig } from './projectFile';

export interface ConnectionFlags {
  provider?: string;
  baseUrl?: string;
  model?: string;
  secrets?: 'redact' | 'block';
}

export interface CliSettings {
  settings: Settings;
  /** Tokens of code per review request. */
  chunkTokens: number;
}

export function buildSettings(project: ProjectConfig, env: Record<string, string | undefined>, flags: ConnectionFlags): CliSettings {
  const provider = providerFrom(flags.provider, '--provider') ?? providerFrom(env.AURELIS_PROVIDER, 'AURELIS_PROVIDER') ?? project.provider ?? 'openai';
  const baseUrl = flags.baseUrl ?? env.AURELIS_BASE_URL ?? project.base_url;
  const models: Record<string, string[]> = {};
  for (const [task, chain] of Object.entries(project.models ?? {})) models[task] = typeof chain === 'string' ? [chain] : chain;
  if (flags.model !== undefined) for (const task of TASK_TYPES) models[task] = [flags.model];
  const p = project.processing ?? {};
  const c = project.cost_management ?? {};
  const scan = flags.secrets ?? project.security?.secret_scan ?? 'ask';
  const raw = {
    provider,
    endpoints: baseUrl === undefined ? {} : { [provider]: baseUrl },
    ...(project.github_models ? { githubModels: project.github_models } : {}),
    models,
    retry: { ...(p.max_retries === undefined ? {} : { maxAttempts: p.max_retries + 1 }) },
    rateLimits: { ...(p.rate_limits ? { overrides: p.rate_limits } : {}) },
    ...(p.max_concurrent === undefined ? {} : { maxConcurrentRequests: p.max_concurrent }),
    ...(p.timeout === undefined ? {} : { requestTimeoutSeconds: p.timeout }),
    cache: {
      ...(project.cache?.enabled === undefined ? {} : { enabled: project.cache.enabled }),
      ...(project.cache?.ttl_minutes === undefined ? {} : { ttlMinutes: { default: project.cache.ttl_minutes } }),
      ...(project.cache?.disk_max_mb === undefined ? {} : { diskMaxMB: project.cache.disk_max_mb }),
    },
    budgets: {
      ...(c.daily_budget === undefined ? {} : { dailyUsd: c.daily_budget }),
      ...(c.weekly_budget === undefined ? {} : { weeklyUsd: c.weekly_budget }),
      ...(c.monthly_budget === undefined ? {} : { monthlyUsd: c.monthly_budget }),
      ...(c.daily_tokens === undefined ? {} : { dailyTokens: c.daily_tokens }),
      ...(c.warn_at === undefined ? {} : { warnAt: c.warn_at }),
      ...(c.throttle_at === undefined ? {} : { throttleAt: c.throttle_at }),
      ...(c.stop_at === undefined ? {} : { stopAt: c.stop_at }),
    },
    ...(project.prices ? { prices: project.prices } : {}),
    ...(project.allowed_models ? { allowedModels: project.allowed_models } : {}),
    security: {
      secretScan: scan === 'ask' ? 'block' : scan,
      ...(project.security?.max_file_kb === undefined ? {} : { maxFileKB: project.security.max_file_kb }),
    },
  };
  const { settings, problems } = parseSettings(raw);
  const problem = problems[0];
  if (problem) {
    const source = problem.setting.includes('endpoints') ? (flags.baseUrl !== undefined ? '--base-url' : env.AURELIS_BASE_URL !== undefined ? 'AURELIS_BASE_URL' : 'base_url') : problem.setting;
    throw new CliError(`${source}: ${problem.message}. Correct it and run again.`);
  }
  return { settings, chunkTokens: p.chunk_size ?? DEFAULT_CHUNK_TOKENS };
}

function providerFrom(value: string | undefined, source: string): ProviderId | undefined {
  if (value === undefined || value === '') return undefined;
  if ((PROVIDER_IDS as readonly string[]).includes(value)) return value as ProviderId;
  throw new CliError(`${source}: "${value}" is not a provider Aurelis knows. Use one of: ${PROVIDER_IDS.join(', ')}.`);
}
