/**
 * `aurelis models [--refresh]`: the provider's models with their limits and rate tiers. The list
 * is kept for an hour under AURELIS_HOME so repeated runs do not ask again; --refresh does.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CatalogModel } from '../../core/catalog/catalogSchemas';
import { CATALOG_TTL_MS } from '../../core/catalog/modelCatalog';
import { PROVIDER_IDS } from '../../core/types';
import { NO_VALUE, formatCount } from '../../shared/format';
import { EXIT, type ExitCode } from '../exitCodes';
import type { Session } from '../session';
import { emit } from '../terminal';

const SavedModelSchema = z.object({
  provider: z.enum(PROVIDER_IDS),
  id: z.string().min(1),
  name: z.string().optional(),
  publisher: z.string().optional(),
  summary: z.string().optional(),
  maxInputTokens: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  tier: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
});
const SavedListSchema = z.object({ provider: z.string(), baseUrl: z.string(), fetchedAt: z.number(), models: z.array(SavedModelSchema) });

export async function models(session: Session, options: { refresh?: boolean; format?: 'text' | 'json' }): Promise<ExitCode> {
  const provider = session.settings.provider;
  const baseUrl = session.settings.endpoints[provider] ?? '';
  const file = path.join(session.home, `models-${provider}.json`);
  const saved = options.refresh ? undefined : await readSaved(file);
  let list: CatalogModel[];
  if (saved && saved.baseUrl === baseUrl && Date.now() - saved.fetchedAt < CATALOG_TTL_MS) list = saved.models;
  else {
    list = await session.core.orchestrator.listModels(provider, { refresh: true });
    await mkdir(session.home, { recursive: true });
    await writeFile(file, JSON.stringify({ provider, baseUrl, fetchedAt: Date.now(), models: list }));
  }
  if (options.format === 'json') {
    await emit(`${JSON.stringify(list, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows = list.map((m) => [m.id, num(m.maxInputTokens), num(m.maxOutputTokens), m.tier ?? '']);
  const header = ['MODEL', 'INPUT TOKENS', 'OUTPUT TOKENS', 'TIER'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  await emit(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  return EXIT.ok;
}

async function readSaved(file: string): Promise<z.infer<typeof SavedListSchema> | undefined> {
  try {
    const parsed = SavedListSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // No list saved yet, or an unreadable one: fetch a fresh list.
    return undefined;
  }
}

function num(n: number | undefined): string {
  return n === undefined ? NO_VALUE : formatCount(n);
}
