/**
 * Finding the review's JSON in an answer. Models put it after a sentence ("See [1] below."),
 * after an example code block, inside a ```json fence, or leave it unfinished at the output
 * limit. Every `{` and `[` is a possible start; the first value shaped like findings wins, so
 * "[1]" in prose or "{}" in an example is passed over instead of being read as "no problems".
 */
import { fencedBlocks } from './fences';
import { arrayElements, parseLenient, valueExtent } from './lenientJson';
import { withoutReasoning } from './reasoning';

/** Keys models use for the list of findings. */
const LIST_KEYS = ['findings', 'issues', 'problems', 'comments', 'results', 'review'];
/** Keys that make an object a finding. */
const MESSAGE_KEYS = ['message', 'description', 'issue', 'problem', 'comment', 'explanation', 'title'];

export interface FoundFindings {
  /** The list's entries as parsed (not yet validated). */
  entries: unknown[];
  /** The JSON stopped before its end: only the entries that were complete are here. */
  cutOff: boolean;
}

export function locateFindings(answer: string): FoundFindings | undefined {
  const text = withoutReasoning(answer).replace(/\r\n/g, '\n');
  // Whole regions first: there a bare `[]` is a real answer ("nothing found"), not a stray bracket.
  for (const region of [text, ...fencedBlocks(text).filter((b) => b.closed).map((b) => b.code)]) {
    const value = parseLenientIfJson(region.trim());
    const entries = value === undefined ? undefined : findingsIn(value, true);
    if (entries) return { entries, cutOff: false };
  }
  for (let i = nextStart(text, 0); i >= 0; i = nextStart(text, i + 1)) {
    const extent = valueExtent(text, i);
    if (!extent) continue;
    if (!extent.closed) {
      // Findings that run to the end of the answer were cut off; everything after is inside them.
      if (looksLikeFindingsStart(text, i)) return completeEntries(text, i);
      continue;
    }
    const value = parseLenient(text.slice(i, extent.end));
    const entries = value === undefined ? undefined : findingsIn(value, false);
    if (entries) return { entries, cutOff: false };
  }
  return undefined;
}

function parseLenientIfJson(region: string): unknown {
  return /^[[{]/.test(region) && /[\]}]$/.test(region) ? parseLenient(region) : undefined;
}

function nextStart(text: string, from: number): number {
  const a = text.indexOf('{', from);
  const b = text.indexOf('[', from);
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/** The entries of a findings-shaped value, or undefined when it is something else. */
function findingsIn(value: unknown, whole: boolean): unknown[] | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return whole ? [] : undefined;
    return value.every(isRecord) && value.some(isFinding) ? value : undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const key of LIST_KEYS) {
    const list = value[key];
    if (Array.isArray(list)) return list;
  }
  return isFinding(value) ? [value] : undefined;
}

function isFinding(v: unknown): boolean {
  return isRecord(v) && MESSAGE_KEYS.some((k) => typeof v[k] === 'string');
}

const LIST_KEY_AT_START = new RegExp(`^\\{\\s*["']?(?:${LIST_KEYS.join('|')})["']?\\s*:\\s*\\[`);

function looksLikeFindingsStart(text: string, at: number): boolean {
  const head = text.slice(at, at + 200);
  return LIST_KEY_AT_START.test(head) || /^\[\s*\{/.test(head);
}

/** A cut-off findings list: the entries that were complete before the cut. */
function completeEntries(text: string, start: number): FoundFindings {
  const arrayAt = text[start] === '[' ? start : text.indexOf('[', start);
  const { elements } = arrayElements(text, arrayAt);
  return { entries: elements.map(parseLenient).filter((v) => v !== undefined), cutOff: true };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
