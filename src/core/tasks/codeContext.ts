/**
 * The piece of code a task is about, as the editor (or a CLI) hands it over, and the checks
 * that decide whether it may be sent at all. Plain data: the editor layer fills it in.
 */
import { AurelisError } from '../errors';

export interface ContextDiagnostic {
  /** 1-based line in the file. */
  line: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** Who reported it (a linter, the compiler, Aurelis); may be empty. */
  source?: string;
  message: string;
}

export interface CodeContext {
  /** The editor's language id (`typescript`, `python`, …). */
  language: string;
  /** Path relative to the workspace (never absolute: it goes into prompts and cache keys). */
  path: string;
  /** The code the task is about: a selection, the enclosing symbol or the whole file. */
  code: string;
  /** 1-based line of the file where `code` starts. */
  firstLine: number;
  /** What `code` is, for the prompt: "selection", "function `parse`", "whole file". */
  scope: string;
  /** Diagnostics on or near the code, from any source. */
  diagnostics: ContextDiagnostic[];
}

/** Lines around the cursor for a generation that inserts new code. */
export interface InsertionContext {
  language: string;
  path: string;
  before: string;
  after: string;
}

/** Bytes of a string as UTF-8, without allocating a buffer. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Text decoded from a binary file carries NUL characters (or, after a lossy decode, a run of
 * replacement characters); neither belongs in a prompt.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let replacements = 0;
  for (const ch of sample) if (ch === '\uFFFD') replacements++;
  return sample.length > 0 && replacements / sample.length > 0.05;
}

/** Refuses binary content, which has no place in a prompt. */
export function assertText(text: string, what: string): void {
  if (looksBinary(text)) {
    throw new AurelisError('bad_request', `${what} looks like a binary file; Aurelis only sends text to a model. Open a source file and try again.`, {
      nextSteps: [],
    });
  }
}

/**
 * Refuses text that must not be sent: binary content, or more than `maxKB` kilobytes
 * (the `aurelis.security.maxFileKB` hard cap). The error says the limit and what to do.
 */
export function assertSendable(text: string, what: string, maxKB: number): void {
  assertText(text, what);
  const bytes = utf8Bytes(text);
  if (bytes > maxKB * 1024) {
    throw new AurelisError(
      'too_large',
      `${what} is ${Math.ceil(bytes / 1024)} KB, over the ${maxKB} KB limit for code sent to a model (setting aurelis.security.maxFileKB). Select a smaller part and try again, or raise the limit.`,
      { nextSteps: ['openSettings'] },
    );
  }
}
