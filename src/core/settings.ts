/**
 * Every setting Aurelis reads, as one zod schema with the defaults. The extension reads
 * `workspace.getConfiguration('aurelis')` into a plain object and calls `parseSettings`;
 * an invalid value is dropped (its default is used) and reported by its setting name.
 * Keep this in step with `contributes.configuration` in package.json.
 */
import * as z from '../shared/zodMini';
import { REASONING_EFFORTS } from './providers/modelRules';
import { RETIRED_TASKS } from '../shared/taskTypes';
import { PROVIDER_IDS, TASK_TYPES } from './types';

// zod/mini's functional form (see src/shared/zodMini.ts): settings are read at start-up.
const positive = z.number().check(z.positive());
const fraction = z.number().check(z.gte(0), z.lte(10));
const count = (min: number, max?: number) => z.int().check(...(max === undefined ? [z.gte(min)] : [z.gte(min), z.lte(max)]));
const positiveInt = z.int().check(z.positive());
const nonEmpty = z.string().check(z.minLength(1));
// Every field of such a group has a default, so `{}` is a valid input (the generic shape cannot show it).
const withDefaults = <T extends z.core.$ZodLooseShape>(shape: T) => z.prefault(z.object(shape), {} as z.input<z.ZodMiniObject<T>>);

const ModelChainsSchema = z.object(
  Object.fromEntries(TASK_TYPES.map((t) => [t, z.optional(z.array(nonEmpty))])) as Record<
    (typeof TASK_TYPES)[number],
    z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>
  >,
);

export const TierLimitSchema = z.object({
  requestsPerMinute: z.optional(positive),
  requestsPerDay: z.optional(positive),
  concurrent: z.optional(positiveInt),
});
export type TierLimit = z.infer<typeof TierLimitSchema>;

/** Prices in USD per million tokens. */
export const PriceSchema = z.object({
  input: z.number().check(z.gte(0)),
  cachedInput: z.optional(z.number().check(z.gte(0))),
  output: z.number().check(z.gte(0)),
});
export type Price = z.infer<typeof PriceSchema>;

// A retired task's key (`general`, `refactor`) is passed over rather than refused, so a setting written
// before they were retired keeps its other tasks' values.
const TASK_KEYS: ReadonlySet<string> = new Set(['default', ...TASK_TYPES, ...RETIRED_TASKS]);
const onlyTaskKeys = (value: Record<string, unknown>, ctx: z.core.$RefinementCtx): void => {
  for (const key of Object.keys(value)) if (!TASK_KEYS.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is not a task (use default, ${TASK_TYPES.join(', ')})` });
};

export const SettingsSchema = z.object({
  provider: z._default(z.enum(PROVIDER_IDS), 'openai'),
  /** Base URL per provider, overriding the preset (required for azure-ai-foundry and custom). */
  endpoints: z._default(z.partialRecord(z.enum(PROVIDER_IDS), z.url()), {}),
  /** Extra HTTP headers sent to the custom provider (never put keys here: use Set API Key). */
  customHeaders: z._default(z.record(z.string(), z.string()), {}),
  githubModels: withDefaults({
    /** Attribute usage to an organization: /orgs/{org}/inference. */
    organization: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]+$/))),
    /** Copilot plan, which sets the free-tier rate limits. */
    plan: z._default(z.enum(['free', 'pro', 'business', 'enterprise']), 'free'),
  }),
  /** Ordered model chain per task; empty means the provider's defaults. */
  models: z.prefault(ModelChainsSchema, {}),
  retry: withDefaults({
    maxAttempts: z._default(count(1, 10), 4),
    baseDelayMs: z._default(count(0), 500),
    maxDelayMs: z._default(count(0), 20_000),
    /** A server asking us to wait longer than this moves on to the next model at once. */
    maxServerWaitSeconds: z._default(z.number().check(z.gte(0)), 60),
  }),
  breaker: withDefaults({
    failureThreshold: z._default(count(1), 5),
    cooldownSeconds: z._default(z.number().check(z.gte(1)), 60),
    halfOpenMaxCalls: z._default(count(1), 3),
  }),
  rateLimits: withDefaults({
    /** Wait for a free slot instead of collecting 429s. */
    pacing: z._default(z.boolean(), true),
    /** Per model id (or tier name: low, high, …) overrides of the provider's limits. */
    overrides: z._default(z.record(z.string(), TierLimitSchema), {}),
  }),
  /** How long a reasoning model thinks, per task (`default` for the rest); unset: the model's own default. */
  reasoningEffort: z._default(z.record(z.string(), z.enum(REASONING_EFFORTS)).check(z.superRefine(onlyTaskKeys)), {}),
  /** The longest answer each task asks for (sent as the request's maximum; the budget reserves it). */
  maxOutputTokens: withDefaults({
    generate: z._default(positiveInt, 2000),
    review: z._default(positiveInt, 2000),
    explain: z._default(positiveInt, 1000),
    optimize: z._default(positiveInt, 1500),
    document: z._default(positiveInt, 1500),
    test: z._default(positiveInt, 1000),
    fix: z._default(positiveInt, 2000),
    prompt: z._default(positiveInt, 2000),
  }),
  /** Model ids (or `<provider>:<model>`) requests may use; empty allows every model. */
  allowedModels: z._default(z.array(nonEmpty), []),
  maxConcurrentRequests: z._default(count(1, 64), 5),
  requestTimeoutSeconds: z._default(z.number().check(z.gte(1), z.lte(3600)), 120),
  cache: withDefaults({
    enabled: z._default(z.boolean(), true),
    /** Minutes per task; tasks not listed use `default`. */
    ttlMinutes: z.prefault(
      z.catchall(
        z.object({
          default: z._default(positive, 60),
          document: z._default(positive, 120),
          explain: z._default(positive, 60),
          generate: z._default(positive, 30),
        }),
        positive,
      ),
      {},
    ),
    memoryMaxEntries: z._default(count(1), 500),
    memoryMaxMB: z._default(positive, 32),
    diskMaxMB: z._default(positive, 200),
  }),
  budgets: withDefaults({
    dailyUsd: z.optional(positive),
    weeklyUsd: z.optional(positive),
    monthlyUsd: z.optional(positive),
    dailyTokens: z.optional(positiveInt),
    weeklyTokens: z.optional(positiveInt),
    monthlyTokens: z.optional(positiveInt),
    warnAt: z._default(fraction, 0.8),
    throttleAt: z._default(fraction, 0.95),
    stopAt: z._default(fraction, 1),
  }),
  /** Price overrides per model id, USD per million tokens. */
  prices: z._default(z.record(z.string(), PriceSchema), {}),
  ledger: withDefaults({
    retentionDays: z._default(count(1), 90),
    /** Flush each record to the disk before the request completes, so it survives power loss too. */
    fsync: z._default(z.boolean(), true),
  }),
  security: withDefaults({
    secretScan: z._default(z.enum(['ask', 'redact', 'block', 'off']), 'ask'),
    /** Hard cap for any single file sent as context. */
    maxFileKB: z._default(count(1), 256),
  }),
  network: withDefaults({
    /** A PEM file of certificate authorities to trust besides the system's (a company CA, a self-signed server). */
    caFile: z.optional(nonEmpty),
  }),
  instructions: withDefaults({
    /** Put the project's AGENTS.md and Copilot instruction files into every request. */
    enabled: z._default(z.boolean(), true),
    /** Most tokens of instructions one request carries; the rest is cut with a note. */
    maxTokens: z._default(count(100, 100_000), 2000),
  }),
  prompts: withDefaults({
    /** A folder of the user's own `.prompt.yml` files, offered in every workspace; empty: `~/.aurelis/prompts`. */
    userFolder: z._default(z.string(), ''),
  }),
  audit: withDefaults({
    includeContent: z._default(z.boolean(), false),
    retentionDays: z._default(count(1), 90),
    maxFileMB: z._default(positive, 10),
  }),
  /** Team mode: pacing windows, team budgets and a cache level shared through Redis. */
  team: withDefaults({
    /** `redis://` or `rediss://` (TLS); empty: no team mode. Its password lives in secret storage. */
    redisUrl: z._default(
      z.union([
        z.literal(''),
        z.string().check(
          z.regex(/^rediss?:\/\/[^\s]+$/, 'must start with redis:// or rediss://'),
          z.refine(hasNoPassword, 'must not contain a password: run "Aurelis: Set Team Redis Password" to keep it in secret storage'),
        ),
      ]),
      '',
    ),
    /** Names the team's keys in Redis, so several teams can share one server. */
    name: z._default(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64')), 'default'),
    budgets: withDefaults({
      dailyUsd: z.optional(positive),
      weeklyUsd: z.optional(positive),
      monthlyUsd: z.optional(positive),
    }),
    /** Most megabytes of answers the team keeps in Redis (oldest removed first). */
    cacheMaxMB: z._default(positive, 256),
  }),
  telemetry: withDefaults({
    /** OTLP/HTTP endpoint (e.g. http://localhost:4318) usage metrics are exported to; empty: off. */
    otlpEndpoint: z._default(z.union([z.literal(''), z.url({ protocol: /^https?$/ })]), ''),
  }),
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
