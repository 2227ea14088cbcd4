/**
 * `.aurelis.yaml`: the project's settings, found from the current folder upward, in the
 * original design's layout (provider, models per task, cache, processing, cost_management,
 * security, review). Read with the `yaml` library and validated with zod against the core's own
 * settings schema, so a bad value is refused with its key and line. A key is never read from
 * here (the file is usually committed): a key-looking value is refused with the variable to use.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { KEY_VARIABLES } from '../core/providers/connection';
import { SecretScanner } from '../core/secrets/secretScanner';
import { PriceSchema, SettingsSchema, TierLimitSchema } from '../core/settings';
import { PROVIDER_IDS, TASK_TYPES, type ProviderId } from '../core/types';
import { FAIL_ON } from '../core/review/formats/summary';
import { StandardsSchema } from '../core/instructions/teamStandards';
import { yamlLineOf, yamlSyntaxError } from '../core/yamlLines';
import { CliError } from './exitCodes';

export const PROJECT_FILE = '.aurelis.yaml';

const S = SettingsSchema.shape;
// The settings schema is zod/mini (it is read at start-up): its wrappers are opened through `def`.
const inner = <T extends z.core.$ZodType>(schema: { def: { innerType: T } }): T => schema.def.innerType;
const cache = inner(S.cache).shape;
const budgets = inner(S.budgets).shape;
const security = inner(S.security).shape;

const ProjectSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS).optional(),
  /** The provider's endpoint (required for azure-ai-foundry and custom). */
  base_url: z.url().optional(),
  models: z.partialRecord(z.enum(TASK_TYPES), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])).optional(),
  github_models: z.strictObject({ organization: z.string().regex(/^[A-Za-z0-9-]+$/).optional(), plan: z.enum(['free', 'pro', 'business', 'enterprise']).optional() }).optional(),
  cache: z
    .strictObject({
      enabled: z.optional(inner(cache.enabled)),
      ttl_minutes: z.number().positive().optional(),
      disk_max_mb: z.optional(inner(cache.diskMaxMB)),
    })
    .optional(),
  processing: z
    .strictObject({
      max_concurrent: z.optional(inner(S.maxConcurrentRequests)),
      max_retries: z.number().int().min(0).max(9).optional(),
      timeout: z.optional(inner(S.requestTimeoutSeconds)),
      chunk_size: z.number().int().min(200).max(1_000_000).optional(),
      rate_limits: z.record(z.string(), TierLimitSchema).optional(),
    })
    .optional(),
  cost_management: z
    .strictObject({
      daily_budget: budgets.dailyUsd,
      weekly_budget: budgets.weeklyUsd,
      monthly_budget: budgets.monthlyUsd,
      daily_tokens: budgets.dailyTokens,
      warn_at: z.optional(inner(budgets.warnAt)),
      throttle_at: z.optional(inner(budgets.throttleAt)),
      stop_at: z.optional(inner(budgets.stopAt)),
    })
    .optional(),
  /** Team mode (the Redis server itself comes from AURELIS_REDIS_URL, never from this file). */
  team: z
    .strictObject({
      name: z.optional(inner(inner(S.team).shape.name)),
      daily_budget: inner(inner(S.team).shape.budgets).shape.dailyUsd,
      weekly_budget: inner(inner(S.team).shape.budgets).shape.weeklyUsd,
      monthly_budget: inner(inner(S.team).shape.budgets).shape.monthlyUsd,
    })
    .optional(),
  /** USD per million tokens, per model id, added to or overriding the built-in table. */
  prices: z.record(z.string(), PriceSchema).optional(),
  security: z
    .strictObject({
      secret_scan: z.optional(inner(security.secretScan)),
      max_file_kb: z.optional(inner(security.maxFileKB)),
    })
    .optional(),
  /** The team's standards: they steer review, documentation and tests (see teamStandards.ts). */
  standards: StandardsSchema.optional(),
  /** Models requests may use; the chains skip the others. */
  allowed_models: z.array(z.string().min(1)).min(1).optional(),
  review: z
    .strictObject({
      fail_on: z.enum(FAIL_ON).optional(),
      context_lines: z.number().int().min(0).max(500).optional(),
      format: z.enum(['text', 'markdown', 'sarif', 'json']).optional(),
    })
    .optional(),
});
export type ProjectConfig = z.infer<typeof ProjectSchema>;

export interface LoadedProject {
  /** The file read, or undefined when there is none (defaults apply). */
  file?: string;
  /** The folder the file is in, else the folder the search started from. */
  root: string;
  config: ProjectConfig;
}

/** The nearest `.aurelis.yaml` from `start` upward; `explicit` (--config) is used as given. */
export function findProjectFile(start: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = path.resolve(start, explicit);
    if (!existsSync(file)) throw new CliError(`The configuration file ${file} does not exist. Check --config, or run "aurelis init" to write one.`);
    return file;
  }
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, PROJECT_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export async function loadProject(start: string, explicit?: string): Promise<LoadedProject> {
  const file = findProjectFile(start, explicit);
  if (file === undefined) return { root: path.resolve(start), config: {} };
  return { file, root: path.dirname(file), config: parseProjectText(await readFile(file, 'utf8'), file) };
}

/** Parses and validates the file's text. Throws CliError naming the file, line and key. */
export function parseProjectText(text: string, file: string): ProjectConfig {
  const name = path.basename(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = yamlSyntaxError(doc, lineCounter);
  if (syntax) throw new CliError(`${name} line ${syntax.line}: ${syntax.message}. Fix the YAML and run again.`);
  refuseKeys(doc, lineCounter, name);
  const raw: unknown = doc.toJS() ?? {};
  const parsed = ProjectSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const where = keys.map(String).join('.');
  const line = yamlLineOf(doc, lineCounter, keys);
  const what = issue.code === 'unrecognized_keys' ? `"${where}" is not a setting Aurelis knows` : `"${where}": ${issue.message}`;
  throw new CliError(`${name} line ${line}: ${what}. See "Configuration" in the README for the settings and their values.`);
}

const KEY_NAMES = /(^|_)(api_?key|apikey|token|secret|password|access_key)$/i;

/** Any value under a key-like name, or any value the secret scanner recognizes, is refused. */
function refuseKeys(doc: Document, lineCounter: LineCounter, name: string): void {
  const scanner = new SecretScanner();
  const provider = (doc.get('provider') as ProviderId | undefined) ?? 'openai';
  const variables = (KEY_VARIABLES[provider] ?? KEY_VARIABLES.openai).join(' or ');
  const visit = (node: unknown, keyName: string | undefined): void => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value, isScalar(pair.key) ? String(pair.key.value) : undefined);
      return;
    }
    if (isSeq(node)) {
      for (const item of node.items) visit(item, keyName);
      return;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') return;
    const keyLike = keyName !== undefined && KEY_NAMES.test(keyName);
    if (!keyLike && scanner.scan(node.value).length === 0) return;
    const line = node.range ? lineCounter.linePos(node.range[0]).line : 1;
    const label = keyLike ? `"${keyName}"` : keyName === undefined ? 'a value' : `the value of "${keyName}"`;
    throw new CliError(
      `${name} line ${line}: ${label} looks like an API key or other secret. Aurelis never reads keys from ${name} (it is usually committed): remove it, revoke the key if the file was ever shared, and set ${variables} in the environment instead.`,
    );
  };
  visit(doc.contents, undefined);
}
