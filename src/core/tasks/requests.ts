/**
 * Task requests built from code context: the one place that decides what each command asks
 * the model, shared by the editor and the command line.
 */
import type { TaskRequest } from '../types';
import type { CodeContext, ContextDiagnostic, InsertionContext } from './codeContext';
import { CODE_ONLY, SEARCH_REPLACE_FORMAT, SYSTEM_PROMPTS } from './prompts';
import { reviewJsonSchema } from './review';
import type { TestPlan } from './testFramework';

/** Edits want the likeliest code; explanations may vary a little. */
const EDIT_TEMPERATURE = 0.2;

/**
 * From this many lines, a rewrite asks for search/replace blocks instead of the whole code.
 * Measured on this repository's own sources (about 10.7 tokens a line): echoing 80 lines costs
 * about 860 output tokens, a fifth of the common 4096-token output allowance, and from there a
 * typical change written as search/replace blocks costs a quarter less or better — and the gap
 * grows with every line (400 lines echoed, about 4300 tokens, would not fit at all). Below it, the
 * whole block is cheap and cannot fail to apply.
 */
export const SEARCH_REPLACE_FROM_LINES = 80;

/** Whether a rewrite of `code` asks for search/replace blocks. */
export function usesSearchReplace(code: string): boolean {
  return code.split('\n').length >= SEARCH_REPLACE_FROM_LINES;
}

export function explainRequest(ctx: CodeContext): TaskRequest {
  return {
    task: 'explain',
    systemPrompt: SYSTEM_PROMPTS.explain,
    prompt: `Explain this code.\n\n${describeCode(ctx)}`,
    temperature: 0.3,
    stream: true,
    metadata: metadata(ctx),
  };
}

export function reviewRequest(ctx: CodeContext): TaskRequest {
  return {
    task: 'review',
    systemPrompt: SYSTEM_PROMPTS.review,
    prompt: `Review this code.\n\n${describeCode(ctx, { numbered: true })}`,
    temperature: 0,
    responseFormat: { type: 'json_schema', name: 'review_findings', schema: reviewJsonSchema(), strict: true },
    stream: true,
    metadata: metadata(ctx),
  };
}

/** Optimize, Document, or Generate with a selection: the answer replaces `ctx.code`. */
export function rewriteRequest(task: 'optimize' | 'document' | 'generate', ctx: CodeContext, instruction?: string): TaskRequest {
  const ask =
    task === 'optimize'
      ? 'Optimize this code.'
      : task === 'document'
        ? 'Add documentation to this code.'
        : `Rewrite this code as follows: ${instruction ?? ''}`;
  const system = task === 'generate' ? SYSTEM_PROMPTS.rewrite : SYSTEM_PROMPTS[task];
  return {
    task,
    systemPrompt: withEditFormat(system, ctx.code),
    prompt: `${ask}\n\n${describeCode(ctx)}`,
    temperature: EDIT_TEMPERATURE,
    stream: true,
    metadata: metadata(ctx),
  };
}

/** Generate without a selection: new code for the cursor position. */
export function insertionRequest(ctx: InsertionContext, instruction: string): TaskRequest {
  const parts = [`Instruction: ${instruction}`, `File: ${ctx.path} (${ctx.language})`, 'The code is inserted where <CURSOR> stands:'];
  parts.push(fenced(`${ctx.before}<CURSOR>${ctx.after}`, ctx.language));
  parts.push('Answer with one code block holding only the new code to insert at <CURSOR>; do not repeat the lines before or after it.');
  return {
    task: 'generate',
    systemPrompt: SYSTEM_PROMPTS.generate,
    prompt: parts.join('\n\n'),
    temperature: EDIT_TEMPERATURE,
    stream: true,
    metadata: { language: ctx.language, file: ctx.path },
  };
}

/** `existingTests`: the test file's text when it exists already (the answer then adds to it). */
export function testsRequest(ctx: CodeContext, plan: TestPlan, existingTests?: string): TaskRequest {
  const parts = [`Write tests with ${plan.framework} for this code.`, `The tests go in ${plan.testPath}; ${plan.importHint}.`, describeCode(ctx)];
  if (existingTests !== undefined) {
    parts.push(`${plan.testPath} already exists; write only new tests to append to it, without repeating these:`, fenced(existingTests, ctx.language));
  }
  return {
    task: 'test',
    systemPrompt: SYSTEM_PROMPTS.test,
    prompt: parts.join('\n\n'),
    temperature: EDIT_TEMPERATURE,
    stream: true,
    metadata: { ...metadata(ctx), framework: plan.framework },
  };
}

export function fixRequest(ctx: CodeContext, problems: readonly ContextDiagnostic[]): TaskRequest {
  const list = problems.map(formatDiagnostic).join('\n');
  return {
    task: 'fix',
    systemPrompt: withEditFormat(SYSTEM_PROMPTS.fix, ctx.code),
    prompt: `Fix these problems:\n${list}\n\n${describeCode({ ...ctx, diagnostics: [] })}`,
    temperature: EDIT_TEMPERATURE,
    stream: true,
    metadata: metadata(ctx),
  };
}

/** A rewrite of a large range asks for search/replace blocks instead of the whole code. */
function withEditFormat(system: string, code: string): string {
  return usesSearchReplace(code) ? system.replace(CODE_ONLY, SEARCH_REPLACE_FORMAT) : system;
}

function metadata(ctx: CodeContext): NonNullable<TaskRequest['metadata']> {
  return { language: ctx.language, file: ctx.path };
}

/** The code and what surrounds it, as the user message shows it to the model. */
export function describeCode(ctx: CodeContext, options: { numbered?: boolean } = {}): string {
  const lines = ctx.code.split('\n');
  const lastLine = ctx.firstLine + lines.length - 1;
  const body = options.numbered ? numberLines(lines, ctx.firstLine) : ctx.code;
  const parts = [`File: ${ctx.path} (${ctx.language})`, `Code (${ctx.scope}, lines ${ctx.firstLine}–${lastLine}):`, fenced(body, ctx.language)];
  if (ctx.diagnostics.length > 0) parts.push(`Problems reported on or near this code:\n${ctx.diagnostics.map(formatDiagnostic).join('\n')}`);
  return parts.join('\n\n');
}

function numberLines(lines: string[], first: number): string {
  const width = String(first + lines.length - 1).length;
  return lines.map((l, i) => `${String(first + i).padStart(width)}| ${l}`).join('\n');
}

function formatDiagnostic(d: ContextDiagnostic): string {
  return `- line ${d.line}, ${d.severity}${d.source ? ` (${d.source})` : ''}: ${d.message}`;
}

/** A Markdown fence longer than any backtick run inside the code, so the code cannot close it. */
function fenced(code: string, language: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${code}\n${fence}`;
}

/** Where a line of a prompt comes from in the user's file. */
export interface QuotedLine {
  file: string;
  /** 1-based line in that file. */
  line: number;
}

const FILE_HEADER = /^File: (.+) \([^()]*\)$/;
const CODE_HEADER = /^Code \(.*, lines (\d+)–\d+\):$/;

/**
 * Maps a 1-based line of a prompt built by `describeCode` back to the file line it quotes, so a
 * secret found in the prompt can be reported as `src/config.ts:12`. It lives here because this
 * file decides the prompt's layout. Undefined for lines outside the quoted code.
 */
export function quotedFileLine(prompt: string, promptLine: number): QuotedLine | undefined {
  const lines = prompt.split('\n');
  let file: string | undefined;
  let codeStart: number | undefined;
  /** The open fence and the prompt index of the code's first line, while inside quoted code. */
  let open: { fence: string; at: number } | undefined;
  for (let i = 0; i < promptLine - 1 && i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (open) {
      if (text === open.fence) {
        open = undefined;
        codeStart = undefined;
      }
      continue;
    }
    const fileHeader = FILE_HEADER.exec(text);
    const codeHeader = CODE_HEADER.exec(text);
    const fence = /^`{3,}/.exec(text)?.[0];
    if (fileHeader) file = fileHeader[1];
    else if (codeHeader) codeStart = Number(codeHeader[1]);
    else if (fence && codeStart !== undefined) open = { fence, at: i + 1 };
  }
  if (!open || file === undefined || codeStart === undefined || lines[promptLine - 1] === open.fence) return undefined;
  return { file, line: codeStart + (promptLine - 1 - open.at) };
}
