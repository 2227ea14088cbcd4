/**
 * JSON as models write it: with comments, trailing commas, single quotes or Python's None, and
 * sometimes cut off. Repairs are left to `jsonrepair` (a maintained library: comments, trailing
 * commas, quotes, unquoted keys, Python constants); this file only finds where a JSON value
 * starts and ends inside prose, and which elements of a cut-off array were complete.
 */
import { jsonrepair } from 'jsonrepair';

/** Where a value that starts at `start` ends, or that it never does (cut off). */
export type Extent = { closed: true; end: number } | { closed: false };

/**
 * Scans the value opening at `text[start]` (`{` or `[`) to its matching bracket, skipping strings
 * and comments. A bracket that does not match means this is not JSON (`undefined`).
 */
export function valueExtent(text: string, start: number): Extent | undefined {
  const quotes = singleQuoted(text, start) ? `"'` : '"';
  const stack: string[] = [];
  for (let i = start; i < text.length; i++) {
    const ch = text[i] as string;
    if (quotes.includes(ch)) {
      const close = stringEnd(text, i, ch);
      if (close < 0) return { closed: false };
      i = close;
    } else if (ch === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return { closed: false };
      i = nl;
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return { closed: false };
      i = close + 1;
    } else if (ch === '{' || ch === '[') {
      stack.push(ch === '{' ? '}' : ']');
    } else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) return { closed: true, end: i + 1 };
    }
  }
  return { closed: false };
}

/**
 * The complete elements of the array opening at `text[start]`, as source slices, and whether the
 * array itself closed. Used on cut-off answers: the elements before the cut are kept, the one
 * the cut went through is not.
 */
export function arrayElements(text: string, start: number): { elements: string[]; closed: boolean } {
  const elements: string[] = [];
  let i = start + 1;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i] as string)) i++;
    i = skipComments(text, i);
    if (i >= text.length) return { elements, closed: false };
    const ch = text[i] as string;
    if (ch === ']') return { elements, closed: true };
    if (ch === '{' || ch === '[') {
      const extent = valueExtent(text, i);
      if (!extent?.closed) return { elements, closed: false };
      elements.push(text.slice(i, extent.end));
      i = extent.end;
      continue;
    }
    // A scalar element: up to the next comma or the array's end.
    const m = /^("(?:[^"\\]|\\.)*"|[^,\]]*)/.exec(text.slice(i));
    const scalar = m?.[0] ?? '';
    if (i + scalar.length >= text.length) return { elements, closed: false };
    elements.push(scalar.trim());
    i += Math.max(scalar.length, 1);
  }
}

/** Parses JSON leniently; undefined when even the repaired text is not JSON. */
export function parseLenient(source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch {
    // Not strict JSON; try the repaired text.
  }
  try {
    return JSON.parse(jsonrepair(source)) as unknown;
  } catch {
    return undefined;
  }
}

function singleQuoted(text: string, start: number): boolean {
  return /^[{[]\s*'/.test(text.slice(start, start + 40));
}

function stringEnd(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === quote) return i;
    else if (ch === '\n' && quote === "'") return i; // an apostrophe in prose, not a string
  }
  return -1;
}

function skipComments(text: string, at: number): number {
  let i = at;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i] as string)) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else return i;
  }
}
