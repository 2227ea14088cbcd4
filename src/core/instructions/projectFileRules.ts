/**
 * What the editor takes from a repository's `.aurelis.yaml`: the team's standards, and values
 * that may only *tighten* the user's settings (lower budgets, an allow-list of models, a
 * stricter secret scan, fewer requests at once). They go through the same tighten-only merge as
 * `.vscode/settings.json` (settingsPolicy.ts). Keys that choose where requests go (provider,
 * base_url, github_models) or what models cost (prices) are never taken from a repository and
 * are named as ignored. Read with the `yaml` library; problems name the key and line.
 */
import { LineCounter, parseDocument } from 'yaml';
import { yamlLineOf, yamlSyntaxError } from '../yamlLines';
import { PROJECT_FILE } from './projectFileName';
import { StandardsSchema, type TeamStandards } from './teamStandards';

export { PROJECT_FILE } from './projectFileName';


/** `.aurelis.yaml` key (dotted) → the setting it may tighten (without `aurelis.`). */
export const TIGHTENING_KEYS: Readonly<Record<string, string>> = {
  'cost_management.daily_budget': 'budgets.dailyUsd',
  'cost_management.weekly_budget': 'budgets.weeklyUsd',
  'cost_management.monthly_budget': 'budgets.monthlyUsd',
  'cost_management.daily_tokens': 'budgets.dailyTokens',
  'cost_management.warn_at': 'budgets.warnAt',
  'cost_management.throttle_at': 'budgets.throttleAt',
  'cost_management.stop_at': 'budgets.stopAt',
  'security.secret_scan': 'security.secretScan',
  'security.max_file_kb': 'security.maxFileKB',
  'processing.max_concurrent': 'maxConcurrentRequests',
  allowed_models: 'allowedModels',
};

/** Keys a repository's file may never set in the editor: where requests go, and prices. */
const NEVER_FROM_A_REPOSITORY = ['provider', 'base_url', 'github_models', 'prices'];

export interface ProjectFileRules {
  standards: TeamStandards;
  /** Setting (without `aurelis.`) → the value the file asks for, to be merged tighten-only. */
  tightening: Record<string, { value: unknown; key: string }>;
  /** Keys present that only the user's own settings may set. */
  userOnly: string[];
  /** Problems with the file, each naming the key and line; the rest of the file still counts. */
  problems: string[];
}

export const NO_RULES: ProjectFileRules = { standards: {}, tightening: {}, userOnly: [], problems: [] };

export function readProjectFileRules(text: string): ProjectFileRules {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = yamlSyntaxError(doc, lineCounter);
  if (syntax) return { ...NO_RULES, problems: [`${PROJECT_FILE} line ${syntax.line}: ${syntax.message}. Nothing in it is used until it is fixed.`] };
  const raw: unknown = doc.toJS();
  const root = isRecord(raw) ? raw : {};
  const problems: string[] = [];
  let standards: TeamStandards = {};
  if (root.standards !== undefined) {
    const parsed = StandardsSchema.safeParse(root.standards);
    if (parsed.success) standards = parsed.data;
    else {
      const issue = parsed.error.issues[0];
      const keys = ['standards', ...(issue?.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : (issue?.path ?? []).map(String))];
      const what = issue?.code === 'unrecognized_keys' ? `"${keys.join('.')}" is not a standard Aurelis knows (code_style, test_framework, documentation_style)` : `"${keys.join('.')}": ${issue?.message ?? 'invalid'}`;
      problems.push(`${PROJECT_FILE} line ${yamlLineOf(doc, lineCounter, keys)}: ${what}. The standards are not used until it is fixed.`);
    }
  }
  const tightening: ProjectFileRules['tightening'] = {};
  for (const [key, setting] of Object.entries(TIGHTENING_KEYS)) {
    const value = valueAt(root, key.split('.'));
    if (value !== undefined && value !== null) tightening[setting] = { value, key };
  }
  const userOnly = NEVER_FROM_A_REPOSITORY.filter((key) => root[key] !== undefined);
  return { standards, tightening, userOnly, problems };
}

function valueAt(root: Record<string, unknown>, keys: string[]): unknown {
  let node: unknown = root;
  for (const key of keys) node = isRecord(node) ? node[key] : undefined;
  return node;
}


function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
