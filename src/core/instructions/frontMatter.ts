/**
 * The YAML front matter of an `.instructions.md` file (`applyTo`, `description`), read with the
 * `yaml` library. A file without front matter is all body.
 */
import { parse } from 'yaml';
import { errorMessage } from '../../shared/errorMessage';

export interface FrontMatter {
  /** The values of the front matter, or an empty object when there is none (or it is not a mapping). */
  fields: Record<string, unknown>;
  body: string;
  /** Why the front matter could not be read, when it could not. */
  problem?: string;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export function splitFrontMatter(text: string): FrontMatter {
  const match = FENCE.exec(text.replace(/^\uFEFF/, ''));
  if (!match) return { fields: {}, body: text };
  const body = text.replace(/^\uFEFF/, '').slice(match[0].length);
  try {
    const fields: unknown = parse(match[1] ?? '');
    return { fields: isRecord(fields) ? fields : {}, body };
  } catch (err) {
    return { fields: {}, body, problem: errorMessage(err).split('\n')[0] ?? '' };
  }
}

/** `applyTo` as GitHub writes it: one glob, a comma-separated list, or a YAML list. */
export function applyToGlobs(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
