/**
 * The settings a command runs with: the core's defaults, then `.aurelis.yaml`, then the
 * environment (`AURELIS_PROVIDER`, `AURELIS_BASE_URL`), then flags (`--provider`, `--base-url`,
 * `--model`), validated by the core's settings schema. Team mode comes from AURELIS_REDIS_URL
 * (and AURELIS_TEAM_NAME or `team:`), telemetry from OTEL_EXPORTER_OTLP_ENDPOINT. A command line has nobody to ask, so a
 * secret-scan policy of "ask" becomes "block" unless `--secrets redact` says otherwise.
 */
import { parseSettings, type Settings } from '../core/settings';
import { PROVIDER_IDS, TASK_TYPES, type ProviderId } from '../core/types';
import { DEFAULT_CHUNK_TOKENS } from '../core/review/reviewChunks';
import { splitRedisUrl } from '../core/team/redisUrl';
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
  /** The password from AURELIS_REDIS_URL, for the team's Redis connection only. */
  redisPassword?: string;
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
  const redis = redisFrom(env.AURELIS_REDIS_URL);
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
    team: {
      redisUrl: redis?.url ?? '',
      ...(env.AURELIS_TEAM_NAME || project.team?.name ? { name: env.AURELIS_TEAM_NAME || project.team?.name } : {}),
      budgets: {
        ...(project.team?.daily_budget === undefined ? {} : { dailyUsd: project.team.daily_budget }),
        ...(project.team?.weekly_budget === undefined ? {} : { weeklyUsd: project.team.weekly_budget }),
        ...(project.team?.monthly_budget === undefined ? {} : { monthlyUsd: project.team.monthly_budget }),
      },
    },
    telemetry: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '' },
    security: {
      secretScan: scan === 'ask' ? 'block' : scan,
      ...(project.security?.max_file_kb === undefined ? {} : { maxFileKB: project.security.max_file_kb }),
    },
  };
  const { settings, problems } = parseSettings(raw);
  const problem = problems[0];
  if (problem) {
    if (problem.setting.startsWith('aurelis.team.redisUrl')) throw new CliError('AURELIS_REDIS_URL: must be redis://host:port or rediss://host:port (TLS). Correct it and run again.');
    if (problem.setting.startsWith('aurelis.telemetry')) throw new CliError('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL, e.g. http://localhost:4318. Correct it and run again.');
    const source = problem.setting.includes('endpoints') ? (flags.baseUrl !== undefined ? '--base-url' : env.AURELIS_BASE_URL !== undefined ? 'AURELIS_BASE_URL' : 'base_url') : problem.setting;
    throw new CliError(`${source}: ${problem.message}. Correct it and run again.`);
  }
  return { settings, chunkTokens: p.chunk_size ?? DEFAULT_CHUNK_TOKENS, ...(redis?.password === undefined ? {} : { redisPassword: redis.password }) };
}

/** AURELIS_REDIS_URL, with its password taken out (it goes to the connection, never into settings or messages). */
function redisFrom(value: string | undefined): { url: string; password?: string } | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return splitRedisUrl(value);
  } catch {
    throw new CliError('AURELIS_REDIS_URL: must be redis://host:port or rediss://host:port (TLS). Correct it and run again.');
  }
}

function providerFrom(value: string | undefined, source: string): ProviderId | undefined {
  if (value === undefined || value === '') return undefined;
  if ((PROVIDER_IDS as readonly string[]).includes(value)) return value as ProviderId;
  throw new CliError(`${source}: "${value}" is not a provider Aurelis knows. Use one of: ${PROVIDER_IDS.join(', ')}.`);
}
