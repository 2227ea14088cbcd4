/**
 * Fits instruction files into a token allowance, in their order of precedence: whole files while
 * they fit, then the part of the next one that fits (cut at a line, with a note saying so), and
 * nothing after it. The note tells the model the text is incomplete; the result names what was
 * cut or left out so the user hears it too.
 */
import { countTokens } from '../tokens';
import type { InstructionFile } from './instructionFiles';

export interface FittedInstructions {
  /** The files (or the part of one) that go into the request. */
  files: InstructionFile[];
  /** The file that was cut, if one was. */
  cut?: string;
  /** Files left out entirely because the allowance was spent. */
  omitted: string[];
  tokens: number;
}

/** Tokens a file's heading costs in the system prompt (`## From AGENTS.md`), rounded up. */
const HEADING_TOKENS = 12;

export function fitInstructions(files: readonly InstructionFile[], allowance: number): FittedInstructions {
  const fitted: InstructionFile[] = [];
  const omitted: string[] = [];
  let cut: string | undefined;
  let used = 0;
  for (const file of files) {
    if (cut !== undefined || used + HEADING_TOKENS >= allowance) {
      omitted.push(file.path);
      continue;
    }
    const tokens = countTokens(file.text) + HEADING_TOKENS;
    if (used + tokens <= allowance) {
      fitted.push(file);
      used += tokens;
      continue;
    }
    const note = cutNote(file.path, allowance);
    const room = allowance - used - HEADING_TOKENS - countTokens(note);
    const part = leadingLines(file.text, room);
    cut = file.path;
    if (part === '') {
      omitted.push(file.path);
      cut = undefined;
      // Nothing of it fits: everything after it is left out too.
      used = allowance;
      continue;
    }
    const text = `${part}\n\n${note}`;
    fitted.push({ path: file.path, text });
    used += countTokens(text) + HEADING_TOKENS;
  }
  return { files: fitted, ...(cut === undefined ? {} : { cut }), omitted, tokens: used };
}

export function cutNote(file: string, allowance: number): string {
  return `[Aurelis cut ${file} here: the project instructions are limited to ${allowance.toLocaleString('en-US')} tokens (aurelis.instructions.maxTokens).]`;
}

/** The longest run of whole lines from the start that stays within `tokens`. */
function leadingLines(text: string, tokens: number): string {
  if (tokens <= 0) return '';
  const lines = text.split('\n');
  let low = 0;
  let high = lines.length;
  // Binary search on the number of lines: counting is the expensive part on a large file.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (countTokens(lines.slice(0, mid).join('\n')) <= tokens) low = mid;
    else high = mid - 1;
  }
  return lines.slice(0, low).join('\n').trimEnd();
}
