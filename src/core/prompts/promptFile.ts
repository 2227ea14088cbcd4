/**
 * Reads one prompt file: YAML through the `yaml` library, then the schema. Every problem names
 * the file, the key and the line, because the person fixing it has the file open.
 */
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { ResponseFormat } from '../types';
import { yamlLineOf, yamlSyntaxError } from '../yamlLines';
import { PromptFileSchema, type PromptFileContent } from './promptFileSchema';
import { errorMessage } from '../../shared/errorMessage';

export const PROMPT_FILE_SUFFIXES = ['.prompt.yml', '.prompt.yaml'] as const;

export interface PromptFile extends PromptFileContent {
  /** The file's path as the user knows it (workspace-relative, or the user folder's). */
  file: string;
  /** `name`, or the file's name without `.prompt.yml`. */
  title: string;
}

/** A prompt file that could not be read, with the message to show. */
export class PromptFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly key: string | undefined,
    detail: string,
  ) {
    super(`${file} line ${line}${key ? ` (${key})` : ''}: ${detail}`);
    this.name = 'PromptFileError';
  }
}

export function isPromptFile(name: string): boolean {
  return PROMPT_FILE_SUFFIXES.some((s) => name.endsWith(s));
}

export function parsePromptFile(text: string, file: string): PromptFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = yamlSyntaxError(doc, lineCounter);
  if (syntax) throw new PromptFileError(file, syntax.line, undefined, `${syntax.message}. Fix the YAML and try again.`);
  const parsed = PromptFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const key = keys.map(String).join('.') || undefined;
    const detail =
      issue.code === 'unrecognized_keys'
        ? `"${issue.keys[0] ?? ''}" is not a key of GitHub's prompt file format.`
        : `${issue.path.length === 0 ? 'the file' : `"${key ?? ''}"`}: ${issue.message}.`;
    throw new PromptFileError(file, yamlLineOf(doc, lineCounter, keys), key, detail);
  }
  const content = parsed.data;
  if (content.responseFormat === 'json_schema') responseFormatOf({ ...content, file, title: '' });
  const base = path.basename(file).replace(/\.prompt\.ya?ml$/, '');
  return { ...content, file, title: content.name ?? base };
}

/** The request's response format, from `responseFormat` and `jsonSchema`. */
export function responseFormatOf(prompt: PromptFile): ResponseFormat | undefined {
  if (prompt.responseFormat === undefined || prompt.responseFormat === 'text') return prompt.responseFormat === 'text' ? { type: 'text' } : undefined;
  if (prompt.responseFormat === 'json_object') return { type: 'json_object' };
  let spec: unknown = prompt.jsonSchema;
  if (typeof spec === 'string') {
    try {
      spec = JSON.parse(spec) as unknown;
    } catch (err) {
      throw new PromptFileError(prompt.file, 1, 'jsonSchema', `is not valid JSON (${errorMessage(err)}).`);
    }
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new PromptFileError(prompt.file, 1, 'jsonSchema', 'responseFormat json_schema needs a jsonSchema with "name" and "schema".');
  }
  const record = spec as Record<string, unknown>;
  // A bare schema (it has "type" or "properties") is accepted and named after the prompt.
  const schema = (typeof record.schema === 'object' && record.schema !== null ? record.schema : record) as Record<string, unknown>;
  const name = typeof record.name === 'string' && record.name !== '' ? record.name : prompt.title.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64) || 'answer';
  return { type: 'json_schema', name, schema, ...(typeof record.strict === 'boolean' ? { strict: record.strict } : {}) };
}
