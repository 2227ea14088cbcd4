/**
 * Every setting Aurelis reads, as one zod schema with the defaults. The extension reads
 * `workspace.getConfiguration('aurelis')` into a plain object and calls `parseSettings`;
 * an invalid value is dropped (its default is used) and reported by its setting name.
 * Keep this in step with `contributes.configuration` in package.json.
 */
import { z } from 'zod';
import { REASONING_EFFORTS } from './providers/modelRules';
import { RETIRED_TASKS } from '../shared/taskTypes';
import { PROVIDER_IDS, TASK_TYPES } from './types';

const positive = z.number().positive();
const fraction = z.number().min(0).max(10);

const ModelChainsSchema = z.object(
  Object.fromEntries(TASK_TYPES.map((t) => [t, z.array(z.string().min(1)).optional()])) as Record<
    (typeof TASK_TYPES)[number],
    z.ZodOptional<z.ZodArray<z.ZodString>>
  >,
);

export const TierLimitSchema = z.object({
  requestsPerMinute: positive.optional(),
  requestsPerDay: positive.optional(),
  concurrent: z.number().int().positive().optional(),
});
export type TierLimit = z.infer<typeof TierLimitSchema>;

/** Prices in USD per million tokens. */
export const PriceSchema = z.object({
  input: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  output: z.number().min(0),
});
export type Price = z.infer<typeof PriceSchema>;

// A retired task's key (`general`, `refactor`) is passed over rather than refused, so a setting written
// before they were retired keeps its other tasks' values.
const TASK_KEYS: ReadonlySet<string> = new Set(['default', ...TASK_TYPES, ...RETIRED_TASKS]);
const onlyTaskKeys = (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
  for (const key of Object.keys(value)) if (!TASK_KEYS.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is not a task (use default, ${TASK_TYPES.join(', ')})` });
};

export const SettingsSchema = z.object({
  provider: z.enum(PROVIDER_IDS).default('openai'),
  /** Base URL per provider, overriding the preset (required for azure-ai-foundry and custom). */
  endpoints: z.partialRecord(z.enum(PROVIDER_IDS), z.url()).default({}),
  /** Extra HTTP headers sent to the custom provider (never put keys here: use Set API Key). */
  customHeaders: z.record(z.string(), z.string()).default({}),
  githubModels: z
    .object({
      /** Attribute usage to an organization: /orgs/{org}/inference. */
      organization: z.string().regex(/^[A-Za-z0-9-]+$/).optional(),
      /** Copilot plan, which sets the free-tier rate limits. */
      plan: z.enum(['free', 'pro', 'business', 'enterprise']).default('free'),
    })
    .prefault({}),
  /** Ordered model chain per task; empty means the provider's defaults. */
  models: ModelChainsSchema.prefault({}),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(10).default(4),
      baseDelayMs: z.number().int().min(0).default(500),
      maxDelayMs: z.number().int().min(0).default(20_000),
      /** A server asking us to wait longer than this moves on to the next model at once. */
      maxServerWaitSeconds: z.number().min(0).default(60),
    })
    .prefault({}),
  breaker: z
    .object({
      failureThreshold: z.number().int().min(1).default(5),
      cooldownSeconds: z.number().min(1).default(60),
      halfOpenMaxCalls: z.number().int().min(1).default(3),
    })
    .prefault({}),
  rateLimits: z
    .object({
      /** Wait for a free slot instead of collecting 429s. */
      pacing: z.boolean().default(true),
      /** Per model id (or tier name: low, high, …) overrides of the provider's limits. */
      overrides: z.record(z.string(), TierLimitSchema).default({}),
    })
    .prefault({}),
  /** How long a reasoning model thinks, per task (`default` for the rest); unset: the model's own default. */
  reasoningEffort: z.record(z.string(), z.enum(REASONING_EFFORTS)).superRefine(onlyTaskKeys).default({}),
  /** The longest answer each task asks for (sent as the request's maximum; the budget reserves it). */
  maxOutputTokens: z
    .object({
      generate: z.number().int().positive().default(2000),
      review: z.number().int().positive().default(2000),
      explain: z.number().int().positive().default(1000),
      optimize: z.number().int().positive().default(1500),
      document: z.number().int().positive().default(1500),
      test: z.number().int().positive().default(1000),
      fix: z.number().int().positive().default(2000),
      prompt: z.number().int().positive().default(2000),
    })
    .prefault({}),
  /** Model ids (or `<provider>:<model>`) requests may use; empty allows every model. */
  allowedModels: z.array(z.string().min(1)).default([]),
  maxConcurrentRequests: z.number().int().min(1).max(64).default(5),
  requestTimeoutSeconds: z.number().min(1).max(3600).default(120),
  cache: z
    .object({
      enabled: z.boolean().default(true),
      /** Minutes per task; tasks not listed use `default`. */
      ttlMinutes: z
        .object({
          default: positive.default(60),
          document: positive.default(120),
          explain: positive.default(60),
          generate: positive.default(30),
        })
        .catchall(positive)
        .prefault({}),
      memoryMaxEntries: z.number().int().min(1).default(500),
      memoryMaxMB: positive.default(32),
      diskMaxMB: positive.default(200),
    })
    .prefault({}),
  budgets: z
    .object({
      dailyUsd: positive.optional(),
      weeklyUsd: positive.optional(),
      monthlyUsd: positive.optional(),
      dailyTokens: z.number().int().positive().optional(),
      weeklyTokens: z.number().int().positive().optional(),
      monthlyTokens: z.number().int().positive().optional(),
      warnAt: fraction.default(0.8),
      throttleAt: fraction.default(0.95),
      stopAt: fraction.default(1),
    })
    .prefault({}),
  /** Price overrides per model id, USD per million tokens. */
  prices: z.record(z.string(), PriceSchema).default({}),
  ledger: z
    .object({
      retentionDays: z.number().int().min(1).default(90),
      /** Flush each record to the disk before the request completes, so it survives power loss too. */
      fsync: z.boolean().default(true),
    })
    .prefault({}),
  security: z
    .object({
      secretScan: z.enum(['ask', 'redact', 'block', 'off']).default('ask'),
      /** Hard cap for any single file sent as context. */
      maxFileKB: z.number().int().min(1).default(256),
    })
    .prefault({}),
  network: z
    .object({
      /** A PEM file of certificate authorities to trust besides the system's (a company CA, a self-signed server). */
      caFile: z.string().min(1).optional(),
    })
    .prefault({}),
  instructions: z
    .object({
      /** Put the project's AGENTS.md and Copilot instruction files into every request. */
      enabled: z.boolean().default(true),
      /** Most tokens of instructions one request carries; the rest is cut with a note. */
      maxTokens: z.number().int().min(100).max(100_000).default(2000),
    })
    .prefault({}),
  prompts: z
    .object({
      /** A folder of the user's own `.prompt.yml` files, offered in every workspace; empty: `~/.aurelis/prompts`. */
      userFolder: z.string().default(''),
    })
    .prefault({}),
  audit: z
    .object({
      includeContent: z.boolean().default(false),
      retentionDays: z.number().int().min(1).default(90),
      maxFileMB: positive.default(10),
    })
    .prefault({}),
  /** Team mode: pacing windows, team budgets and a cache level shared through Redis. */
  team: z
    .object({
      /** `redis://` or `rediss://` (TLS); empty: no team mode. Its password lives in secret storage. */
      redisUrl: z
        .literal('')
        .or(
          z
            .string()
            .regex(/^rediss?:\/\/[^\s]+$/, 'must start with redis:// or rediss://')
            .refine(hasNoPassword, 'must not contain a password: run "Aurelis: Set Team Redis Password" to keep it in secret storage'),
        )
        .default(''),
      /** Names the team's keys in Redis, so several teams can share one server. */
      name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64').default('default'),
      budgets: z
        .object({
          dailyUsd: positive.optional(),
          weeklyUsd: positive.optional(),
          monthlyUsd: positive.optional(),
        })
        .prefault({}),
      /** Most megabytes of answers the team keeps in Redis (oldest removed first). */
      cacheMaxMB: positive.default(256),
    })
    .prefault({}),
  telemetry: z
    .object({
      /** OTLP/HTTP endpoint (e.g. http://localhost:4318) usage metrics are exported to; empty: off. */
      otlpEndpoint: z.literal('').or(z.url({ protocol: /^https?$/ })).default(''),
    })
    .prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A Redis URL's password belongs in secret storage; a URL that carries one is refused. */
function hasNoPassword(url: string): boolean {
  try {
    return new URL(url).password === '';
  } catch {
    return false;
  }
}

export interface SettingProblem {
  /** The full setting name, e.g. `aurelis.budgets.dailyUsd`. */
  setting: string;
  message: string;
}

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/**
 * Parses raw settings. Each invalid value is removed (so its default applies) and reported;
 * the result is always a complete, valid Settings object.
 */
export function parseSettings(raw: unknown): { settings: Settings; problems: SettingProblem[] } {
  const input: unknown = structuredClone(isRecord(raw) ? raw : {});
  const problems: SettingProblem[] = [];
  for (let round = 0; round < 50; round++) {
    const result = SettingsSchema.safeParse(input);
    if (result.success) return { settings: result.data, problems };
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      // An issue on the whole object cannot be removed piecemeal: fall back to all defaults.
      if (path.length === 0) return { settings: DEFAULT_SETTINGS, problems: [...problems, { setting: 'aurelis', message: issue.message }] };
      problems.push({ setting: ['aurelis', ...path].join('.'), message: issue.message });
      removePath(input, path);
    }
  }
  return { settings: DEFAULT_SETTINGS, problems };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function removePath(root: unknown, path: string[]): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(node) && !Array.isArray(node)) return;
    node = (node as Record<string, unknown>)[key];
  }
  const last = path[path.length - 1] as string;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else if (isRecord(node)) delete node[last];
}
