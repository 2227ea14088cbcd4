import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DEFAULT_SETTINGS, SettingsSchema, parseSettings } from '../../src/core/settings';
import { policyOf } from '../../src/core/settingsPolicy';

// package.json must contribute every setting the core reads, with the same defaults and enums,
// or the Settings editor would offer values the core rejects (or hide ones it reads).
interface Contributed {
  default?: unknown;
  enum?: unknown[];
  scope?: string;
  markdownDescription?: string;
}
const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Contributed> } };
};
const contributed = manifest.contributes.configuration.properties;

interface Leaf {
  path: string[];
  schema: z.core.$ZodType;
}
type Def = { type: string; innerType?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType>; catchall?: z.core.$ZodType; keyType?: z.core.$ZodType; entries?: Record<string, string> };
const def = (s: z.core.$ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.core.$ZodType): z.core.$ZodType {
  let d = def(s);
  while ((d.type === 'default' || d.type === 'prefault' || d.type === 'optional' || d.type === 'nullable') && d.innerType) {
    s = d.innerType;
    d = def(s);
  }
  return s;
}

/** Settings the Settings editor shows one by one: object fields, and records keyed by an enum. */
function leaves(schema: z.core.$ZodType, prefix: string[] = []): Leaf[] {
  const inner = unwrap(schema);
  const d = def(inner);
  if (d.type === 'object' && d.shape && (!d.catchall || def(d.catchall).type === 'never')) {
    return Object.entries(d.shape).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  if (d.type === 'record' && d.keyType && def(d.keyType).type === 'enum') {
    return Object.keys(def(d.keyType).entries ?? {}).map((k) => ({ path: [...prefix, k], schema: inner }));
  }
  return [{ path: prefix, schema }];
}

function at(obj: unknown, p: string[]): unknown {
  return p.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), obj);
}
function nest(p: string[], value: unknown): Record<string, unknown> {
  return p.reduceRight<unknown>((v, k) => ({ [k]: v }), value) as Record<string, unknown>;
}

const schemaLeaves = leaves(SettingsSchema);
const names = (ls: Leaf[]) => ls.map((l) => `aurelis.${l.path.join('.')}`);

describe('package.json settings contributions', () => {
  it('contribute every setting of SettingsSchema and nothing else', () => {
    assert.deepEqual(Object.keys(contributed).sort(), names(schemaLeaves).sort());
  });

  it('have the schema defaults ("" or null or [] for settings that have none)', () => {
    for (const leaf of schemaLeaves) {
      const name = `aurelis.${leaf.path.join('.')}`;
      const spec = contributed[name];
      assert.ok(spec, name);
      const schemaDefault = at(DEFAULT_SETTINGS, leaf.path);
      if (schemaDefault === undefined) {
        assert.ok(spec.default === null || spec.default === '' || (Array.isArray(spec.default) && spec.default.length === 0), `${name} default ${JSON.stringify(spec.default)}`);
      } else {
        assert.deepEqual(spec.default, schemaDefault, name);
        const { problems } = parseSettings(nest(leaf.path, spec.default));
        assert.deepEqual(problems, [], name);
      }
    }
  });

  it('list the same enum values as the schema', () => {
    for (const leaf of schemaLeaves) {
      const d = def(unwrap(leaf.schema));
      if (d.type !== 'enum') continue;
      const name = `aurelis.${leaf.path.join('.')}`;
      assert.deepEqual(contributed[name]?.enum, Object.values(d.entries ?? {}), name);
    }
  });

  it('describe every setting in Markdown', () => {
    for (const [name, spec] of Object.entries(contributed)) assert.ok((spec.markdownDescription ?? '').length > 20, name);
  });

  it('keep where keys are sent out of a repository\'s reach (application scope)', () => {
    const userOnly = Object.keys(contributed).filter((n) => /^aurelis\.(provider|endpoints\.|customHeaders|githubModels\.)/.test(n));
    assert.ok(userOnly.length >= 11, userOnly.join(', '));
    for (const name of userOnly) assert.equal(contributed[name]?.scope, 'application', name);
  });

  it('give exactly the user-only settings of the core policy the application scope', () => {
    for (const [name, spec] of Object.entries(contributed)) {
      const key = name.slice('aurelis.'.length);
      assert.equal(spec.scope === 'application', policyOf(key) === 'user-only', `${name}: scope ${String(spec.scope)}, policy ${policyOf(key)}`);
    }
  });

  it('are listed in README\'s settings table with the policy they follow', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const marks = { 'user-only': '*(user only)*', 'tighten-only': '*(tighten only)*', free: 'free' } as const;
    const rows = new Map<string, string>();
    for (const line of readme.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const name = /^`(aurelis\.[^`]+)`$/.exec(cells[1] ?? '')?.[1];
      if (name && cells.length >= 6) rows.set(name, cells[2] ?? '');
    }
    for (const name of Object.keys(contributed)) {
      const key = name.slice('aurelis.'.length);
      // A group row stands for its members: `aurelis.endpoints.<provider>`, `aurelis.models.<task>`.
      const group = `aurelis.${key.split('.')[0]}.<${key.startsWith('endpoints.') ? 'provider' : 'task'}>`;
      const column = rows.get(name) ?? rows.get(group);
      assert.ok(column !== undefined, `README's settings table has no row for ${name}`);
      assert.equal(column, marks[policyOf(key)], `README's Workspace column for ${name}`);
    }
  });
});
