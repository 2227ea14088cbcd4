/**
 * Placing a finding by the text it quotes rather than by the line number the model claims:
 * models count lines from the selection, miscount, or point at a line of another function.
 * The quote is looked for in the reviewed code exactly, then ignoring whitespace; when it occurs
 * more than once, the occurrence closest to the claimed line wins. A quote that is not there
 * leaves the finding unplaced — it is never moved onto some other line.
 */

/** The code a review was about. */
export interface ReviewedCode {
  code: string;
  /** 1-based file line of the code's first line. */
  firstLine: number;
}

export interface Placement {
  /** 1-based, inclusive, in file coordinates. */
  startLine: number;
  endLine: number;
  /** How it was placed: by its quote, or (no quote given) by a line number inside the reviewed code. */
  by: 'quote' | 'line';
  /** The quote covers whole lines, so a suggestion for them can replace exactly those lines. */
  wholeLines: boolean;
  /** The claimed line was counted from the start of the reviewed code, not of the file. */
  selectionRelative: boolean;
}

export interface Claim {
  quote?: string;
  startLine?: number;
  endLine?: number;
}

/**
 * `numbering`: how this answer counts lines, when its quoted findings showed it ('selection':
 * from the reviewed code's first line). It decides where a finding without a quote goes.
 */
export function placeFinding(claim: Claim, reviewed: ReviewedCode, numbering: 'file' | 'selection' = 'file'): Placement | undefined {
  const lines = reviewed.code.replace(/\r\n/g, '\n').split('\n');
  const last = reviewed.firstLine + lines.length - 1;
  const quote = claim.quote === undefined ? '' : cleanQuote(claim.quote);
  if (quote.trim() === '') return placeByLine(claim, reviewed.firstLine, last, lines.length, numbering);
  const spans = findSpans(lines, quote, exactKey) ?? findSpans(lines, quote, compactKey);
  if (!spans) return undefined;
  const chosen = closestSpan(spans, claim, reviewed.firstLine);
  if (!chosen) return undefined;
  const startLine = reviewed.firstLine + chosen.start;
  const endLine = reviewed.firstLine + chosen.end;
  return {
    startLine,
    endLine,
    by: 'quote',
    wholeLines: chosen.whole,
    selectionRelative: claim.startLine !== undefined && claim.startLine !== startLine && reviewed.firstLine + claim.startLine - 1 === startLine,
  };
}

/** Without a quote, only a line number inside the reviewed code places a finding (file lines, or counted from its start). */
function placeByLine(claim: Claim, first: number, last: number, count: number, numbering: 'file' | 'selection'): Placement | undefined {
  const start = claim.startLine;
  if (start === undefined) return undefined;
  const length = Math.max(0, (claim.endLine ?? start) - start);
  const asFile = start >= first && start + length <= last;
  const asSelection = first > 1 && start >= 1 && start + length <= count;
  if (asSelection && (numbering === 'selection' || !asFile)) {
    return { startLine: first + start - 1, endLine: first + start - 1 + length, by: 'line', wholeLines: false, selectionRelative: true };
  }
  if (asFile) return { startLine: start, endLine: start + length, by: 'line', wholeLines: false, selectionRelative: false };
  return undefined;
}

/** A quote without a fence around it and without the "12| " prefixes the prompt put on lines. */
export function cleanQuote(quote: string): string {
  let text = quote.replace(/\r\n/g, '\n');
  const fenced = /^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?\s*\1\s*$/.exec(text);
  if (fenced?.[2] !== undefined) text = fenced[2];
  const lines = text.split('\n');
  while (lines.length > 1 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  while (lines.length > 1 && (lines[0] ?? '').trim() === '') lines.shift();
  const numbered = lines.filter((l) => l.trim() !== '').every((l) => /^\s*\d+\s?\|/.test(l));
  return (numbered ? lines.map((l) => l.replace(/^\s*\d+\s?\| ?/, '')) : lines).join('\n');
}

interface Span {
  /** 0-based line indexes in the reviewed code, inclusive. */
  start: number;
  end: number;
  whole: boolean;
}

type Key = (text: string) => { key: string; map: number[] };

/** The text itself; `map[i]` is the offset of key character i in the text. */
const exactKey: Key = (text) => ({ key: text, map: Array.from({ length: text.length }, (_, i) => i) });

/** The text without any whitespace, so indentation and wrapping differences do not matter. */
const compactKey: Key = (text) => {
  let key = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i] as string)) {
      key += text[i];
      map.push(i);
    }
  }
  return { key, map };
};

function findSpans(lines: readonly string[], quote: string, keyOf: Key): Span[] | undefined {
  const text = lines.join('\n');
  const code = keyOf(text);
  const wanted = keyOf(quote.trim()).key;
  if (wanted === '') return undefined;
  const lineOf = lineIndexer(text);
  const spans: Span[] = [];
  for (let at = code.key.indexOf(wanted); at >= 0; at = code.key.indexOf(wanted, at + 1)) {
    const from = code.map[at] as number;
    const to = code.map[at + wanted.length - 1] as number;
    const start = lineOf(from);
    const end = lineOf(to);
    const covered = compactKey(lines.slice(start, end + 1).join('\n')).key;
    spans.push({ start, end, whole: covered === compactKey(quote).key });
  }
  return spans.length > 0 ? spans : undefined;
}

function lineIndexer(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/**
 * The occurrence nearest the claimed line, read both as a file line and as a line counted from
 * the reviewed code's start. Two equally near occurrences cannot be told apart: unplaced.
 */
function closestSpan(spans: readonly Span[], claim: Claim, firstLine: number): Span | undefined {
  if (spans.length === 1) return spans[0];
  if (claim.startLine === undefined) return undefined;
  const claimed = [claim.startLine - firstLine, claim.startLine - 1];
  const distance = (s: Span) => Math.min(...claimed.map((c) => Math.abs(s.start - c)));
  const sorted = [...spans].sort((a, b) => distance(a) - distance(b));
  const [best, next] = sorted as [Span, Span];
  return distance(best) < distance(next) ? best : undefined;
}
