/**
 * Cutting a file into pieces a model can take: whole when it fits, otherwise overlapping runs
 * of whole lines measured with the tokenizer, so a problem that straddles a cut is still seen
 * whole in one of the two pieces. Lines keep their file numbers, so findings need no mapping.
 */
import { countTokens } from '../tokens';

/** The original design's `chunk_size`: tokens of code per request. */
export const DEFAULT_CHUNK_TOKENS = 3500;
/** Share of a chunk repeated at the start of the next one. */
const OVERLAP_SHARE = 0.1;
/** What the line-number prefix ("123| ") adds to each line in the prompt. */
const NUMBERING_TOKENS = 3;

/** 1-based, inclusive lines of a file. */
export interface LineRange {
  from: number;
  to: number;
}

/**
 * Splits lines `range.from..range.to` of `lines` (the whole file, 0-based array) into ranges of at
 * most `maxTokens` tokens each, consecutive ranges sharing about a tenth of a chunk. A single
 * line longer than the budget becomes a range of its own (the size check then names it).
 */
export function chunkLines(lines: readonly string[], range: LineRange, maxTokens: number): LineRange[] {
  const cost = (line: number): number => countTokens(lines[line - 1] ?? '') + NUMBERING_TOKENS;
  const overlapTokens = Math.floor(maxTokens * OVERLAP_SHARE);
  const chunks: LineRange[] = [];
  let start = range.from;
  while (start <= range.to) {
    let used = cost(start);
    let end = start;
    while (end < range.to && used + cost(end + 1) <= maxTokens) {
      end++;
      used += cost(end);
    }
    chunks.push({ from: start, to: end });
    if (end >= range.to) break;
    // Step back over the last lines of this chunk until the overlap is used up, always moving forward.
    let next = end + 1;
    let shared = 0;
    while (next - 1 > start + 1 && shared + cost(next - 1) <= overlapTokens) {
      next--;
      shared += cost(next);
    }
    start = next;
  }
  return chunks;
}

/** Ranges grown by `context` lines on each side, clamped to the file, overlapping ones joined. */
export function withContext(ranges: readonly LineRange[], context: number, lineCount: number): LineRange[] {
  const grown = ranges
    .map((r) => ({ from: Math.max(1, r.from - context), to: Math.min(lineCount, r.to + context) }))
    .filter((r) => r.from <= r.to)
    .sort((a, b) => a.from - b.from);
  const joined: LineRange[] = [];
  for (const r of grown) {
    const last = joined[joined.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else joined.push({ ...r });
  }
  return joined;
}

/** Whether lines `from..to` touch any of the ranges. */
export function touches(ranges: readonly LineRange[], from: number, to: number): boolean {
  return ranges.some((r) => from <= r.to && to >= r.from);
}
