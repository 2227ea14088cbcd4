/**
 * New code for the cursor. Models asked for "only the new code" still often repeat a few lines
 * from before or after the cursor to show where it goes; inserted as they are, those lines would
 * appear twice in the file. Echoed lines at either end are dropped.
 */
import { AurelisError } from '../../errors';

export interface CursorSurroundings {
  /** The text before the cursor (ending with the cursor line's text up to the cursor). */
  before: string;
  /** The text after the cursor (starting with the rest of the cursor line). */
  after: string;
}

export function dropEchoedContext(code: string, around: CursorSurroundings): string {
  let lines = code.replace(/\r\n/g, '\n').split('\n');
  const before = around.before.replace(/\r\n/g, '\n').split('\n');
  const after = around.after.replace(/\r\n/g, '\n').split('\n');
  const prefix = (before.pop() ?? '').trim();
  const suffix = (after.shift() ?? '').trim();

  const lead = echoedRun(lines, [...before].reverse(), 'start');
  lines = lines.slice(lead);
  const trail = echoedRun([...lines].reverse(), after, 'end');
  lines = lines.slice(0, lines.length - trail);

  // The cursor line itself: its text before the cursor repeated at the start, or after it at the end.
  if (prefix !== '' && lines.length > 0 && (lines[0] as string).trim().startsWith(prefix) && (lines[0] as string).trim() !== prefix) {
    lines[0] = (lines[0] as string).trim().slice(prefix.length).trimStart();
  } else if (prefix !== '' && lines.length > 0 && (lines[0] as string).trim() === prefix) lines.shift();
  if (suffix !== '' && lines.length > 0 && (lines[lines.length - 1] as string).trim() === suffix) lines.pop();

  while (lines.length > 0 && (lines[0] as string).trim() === '') lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  if (lines.length === 0) {
    throw new AurelisError('invalid_response', 'The model only repeated the code around the cursor; there was nothing new to insert. Regenerate, or rephrase the instruction.', {
      nextSteps: ['retry', 'chooseModel'],
    });
  }
  return lines.join('\n');
}

/**
 * How many of `lines` (from their start) repeat `context` (nearest line first), ignoring
 * indentation. A run of bare brackets ("}") counts as an echo only when the code has that many
 * brackets too many without it — a complete generated function also ends in "}".
 */
function echoedRun(lines: readonly string[], context: readonly string[], end: 'start' | 'end'): number {
  const filled = context.filter((l) => l.trim() !== '');
  const excess = Math.abs(balance(lines));
  for (let k = Math.min(lines.length - 1, filled.length); k >= 1; k--) {
    const head = lines.slice(0, k).map((l) => l.trim());
    const near = filled.slice(0, k).map((l) => l.trim());
    const expected = end === 'start' ? [...near].reverse() : near;
    const ordered = end === 'end' ? [...head].reverse() : head;
    if (!ordered.every((l, i) => l === expected[i])) continue;
    const words = /[A-Za-z0-9_]{3,}/.test(head.join(' '));
    if (words || Math.abs(balance(lines.slice(k))) < excess) return k;
  }
  return 0;
}

/** Opening minus closing brackets. */
function balance(lines: readonly string[]): number {
  let n = 0;
  for (const ch of lines.join('\n')) {
    if (ch === '{' || ch === '(' || ch === '[') n++;
    else if (ch === '}' || ch === ')' || ch === ']') n--;
  }
  return n;
}
