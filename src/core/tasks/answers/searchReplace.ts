/**
 * Search/replace blocks: for a change to a large range the prompt asks for only the lines that
 * change, each as
 *
 *   <<<<<<< SEARCH
 *   (lines exactly as they are now)
 *   =======
 *   (the lines that replace them)
 *   >>>>>>> REPLACE
 *
 * so the model does not echo (and cannot silently alter) hundreds of unchanged lines. A block
 * applies where its search text is found exactly, else ignoring differences of whitespace; one
 * that is not found, or found in several places, is reported and nothing is proposed.
 */
import { AurelisError } from '../../errors';
import { leadingIndent, shiftIndentation } from '../codeOutput';
import { CutOffError } from './cutOff';

export interface SearchReplaceBlock {
  search: string;
  replace: string;
}

const SEARCH = /^[ \t]*<{5,}[ \t]*SEARCH[ \t]*$/;
const DIVIDER = /^[ \t]*={5,}[ \t]*$/;
const REPLACE = /^[ \t]*>{5,}[ \t]*REPLACE[ \t]*$/;

export function hasSearchReplace(answer: string): boolean {
  return answer.split(/\r?\n/).some((l) => SEARCH.test(l));
}

/** The blocks of an answer, in order. An answer that ends inside a block was cut off. */
export function parseSearchReplace(answer: string, outputTokens?: number): SearchReplaceBlock[] {
  const blocks: SearchReplaceBlock[] = [];
  let state: 'outside' | 'search' | 'replace' = 'outside';
  let search: string[] = [];
  let replace: string[] = [];
  for (const line of answer.replace(/\r\n/g, '\n').split('\n')) {
    if (state === 'outside') {
      if (SEARCH.test(line)) {
        state = 'search';
        search = [];
        replace = [];
      }
    } else if (state === 'search') {
      if (DIVIDER.test(line)) state = 'replace';
      else search.push(line);
    } else if (REPLACE.test(line)) {
      blocks.push({ search: search.join('\n'), replace: replace.join('\n') });
      state = 'outside';
    } else replace.push(line);
  }
  if (state !== 'outside') throw new CutOffError('its last search/replace block is incomplete and nothing was proposed', outputTokens);
  return blocks;
}

/** Applies every block to `original`; throws naming each block that does not apply. */
export function applySearchReplace(original: string, blocks: readonly SearchReplaceBlock[]): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  let lines = original.replace(/\r\n/g, '\n').split('\n');
  const problems: string[] = [];
  blocks.forEach((block, i) => {
    const search = trimBlankEdges(block.search.split('\n'));
    const replacement = block.replace === '' ? [] : block.replace.split('\n');
    if (search.length === 0) {
      problems.push(`block ${i + 1} has nothing to search for`);
      return;
    }
    const exact = matches(lines, search, (l) => l);
    const found = exact.length > 0 ? exact : matches(lines, search, squeeze);
    if (found.length !== 1) {
      const first = (search.find((l) => l.trim() !== '') ?? '').trim();
      const what = `block ${i + 1} ("${first.length > 40 ? `${first.slice(0, 39)}…` : first}")`;
      problems.push(found.length === 0 ? `${what} is not in the code` : `${what} matches ${found.length} places`);
      return;
    }
    const at = found[0] as number;
    const fitted = exact.length > 0 ? replacement : reindent(replacement, search, lines.slice(at, at + search.length));
    lines = [...lines.slice(0, at), ...fitted, ...lines.slice(at + search.length)];
  });
  if (problems.length > 0) {
    const count = problems.length === blocks.length ? (blocks.length === 1 ? 'The search/replace block' : `None of the ${blocks.length} search/replace blocks`) : `${problems.length} of ${blocks.length} search/replace blocks`;
    throw new AurelisError('invalid_response', `${count} from the model did not apply to the code as it is: ${problems.join('; ')}. Nothing was proposed. Regenerate, or select a smaller part of the code.`, {
      nextSteps: ['retry', 'chooseModel'],
    });
  }
  return lines.join(eol);
}

function matches(lines: readonly string[], search: readonly string[], key: (l: string) => string): number[] {
  const wanted = search.map(key);
  const found: number[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    let ok = true;
    for (let j = 0; j < wanted.length && ok; j++) ok = key(lines[i + j] as string) === wanted[j];
    if (ok) found.push(i);
  }
  return found;
}

function squeeze(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

function trimBlankEdges(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] as string).trim() === '') start++;
  while (end > start && (lines[end - 1] as string).trim() === '') end--;
  return lines.slice(start, end);
}

/** A whitespace-tolerant match: the replacement moves by the indentation the search text was off by. */
function reindent(replacement: readonly string[], search: readonly string[], found: readonly string[]): string[] {
  const firstIndex = search.findIndex((l) => l.trim() !== '');
  const had = leadingIndent(search[firstIndex] ?? '');
  const is = leadingIndent(found[firstIndex] ?? '');
  return shiftIndentation(replacement.join('\n'), had, is).split('\n');
}
