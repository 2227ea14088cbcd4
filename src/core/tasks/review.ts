/**
 * Review findings: the JSON shape we ask the model for (sent as a `json_schema` response
 * format) and a tolerant reader for what actually comes back — models that ignore the
 * schema wrap JSON in prose or code fences, or spell severities their own way.
 */
import { z } from 'zod';
import { AurelisError } from '../errors';

export const REVIEW_SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export const REVIEW_CATEGORIES = ['security', 'performance', 'correctness', 'style'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];
export type ReviewCategory = (typeof REVIEW_CATEGORIES)[number];

export interface ReviewFinding {
  severity: ReviewSeverity;
  category: ReviewCategory;
  /** 1-based, inclusive, in file coordinates. */
  startLine: number;
  endLine: number;
  message: string;
  /** Replacement text for lines startLine..endLine, when the model proposes one. */
  suggestion?: string;
}

/** The strict shape sent to the model (every field required, as strict structured output demands). */
const WireFindingSchema = z.strictObject({
  severity: z.enum(REVIEW_SEVERITIES),
  category: z.enum(REVIEW_CATEGORIES),
  startLine: z.number(),
  endLine: z.number(),
  message: z.string(),
  suggestion: z.string().nullable(),
});
const WireReportSchema = z.strictObject({ findings: z.array(WireFindingSchema) });

/** JSON Schema for `response_format: { type: 'json_schema', name: 'review_findings', … }`. */
export function reviewJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(WireReportSchema) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

const SEVERITY_WORDS: Record<string, ReviewSeverity> = {
  error: 'error',
  critical: 'error',
  blocker: 'error',
  high: 'error',
  major: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  moderate: 'warning',
  info: 'info',
  information: 'info',
  low: 'info',
  minor: 'info',
  note: 'info',
  hint: 'hint',
  suggestion: 'hint',
  nit: 'hint',
};
const CATEGORY_WORDS: Record<string, ReviewCategory> = {
  security: 'security',
  vulnerability: 'security',
  performance: 'performance',
  perf: 'performance',
  efficiency: 'performance',
  correctness: 'correctness',
  bug: 'correctness',
  logic: 'correctness',
  reliability: 'correctness',
  'error-handling': 'correctness',
  style: 'style',
  readability: 'style',
  maintainability: 'style',
  naming: 'style',
  documentation: 'style',
};

const word = (table: Record<string, string>, fallback: string) =>
  z.preprocess((v) => (typeof v === 'string' ? (table[v.trim().toLowerCase()] ?? fallback) : fallback), z.string());
const lineNumber = z.preprocess((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(1));

/** One finding as the model may write it; tolerant in spelling, strict in substance. */
const LooseFindingSchema = z
  .object({
    severity: word(SEVERITY_WORDS, 'warning'),
    category: word(CATEGORY_WORDS, 'correctness'),
    startLine: lineNumber.optional(),
    line: lineNumber.optional(),
    endLine: lineNumber.optional(),
    message: z.string().trim().min(1),
    suggestion: z.string().nullish(),
  })
  .refine((f) => f.startLine !== undefined || f.line !== undefined, { message: 'a finding needs a line' });

export interface ParsedReview {
  findings: ReviewFinding[];
  /** Entries that could not be read as findings (reported to the user, not silently lost). */
  skipped: number;
}

/**
 * Reads the model's answer into findings on lines `firstLine..lastLine` of the file
 * (lines outside are clamped into it). Throws AurelisError 'invalid_response' when the
 * answer holds no JSON findings at all.
 */
export function parseReviewFindings(text: string, bounds: { firstLine: number; lastLine: number }): ParsedReview {
  const json = extractJson(text);
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.findings) ? json.findings : undefined;
  if (list === undefined) {
    throw new AurelisError(
      'invalid_response',
      'The model did not answer with review findings in JSON. Run the review again, or choose a model that supports structured output (Aurelis: Models).',
      { nextSteps: ['retry', 'chooseModel'] },
    );
  }
  const findings: ReviewFinding[] = [];
  let skipped = 0;
  for (const entry of list) {
    const parsed = LooseFindingSchema.safeParse(entry);
    if (!parsed.success) {
      skipped++;
      continue;
    }
    const f = parsed.data;
    const clamp = (n: number) => Math.min(Math.max(n, bounds.firstLine), bounds.lastLine);
    const start = clamp(f.startLine ?? f.line ?? bounds.firstLine);
    const end = clamp(Math.max(f.endLine ?? start, start));
    const finding: ReviewFinding = {
      severity: f.severity as ReviewSeverity,
      category: f.category as ReviewCategory,
      startLine: start,
      endLine: end,
      message: f.message,
    };
    if (typeof f.suggestion === 'string' && f.suggestion.trim().length > 0) finding.suggestion = stripFence(f.suggestion);
    findings.push(finding);
  }
  findings.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  return { findings, skipped };
}

/** The JSON value in a reply: the whole text, a fenced block, or the first balanced {…} / […]. */
export function extractJson(text: string): unknown {
  const candidates = [text.trim()];
  const fence = /```(?:json|JSON)?\s*\n([\s\S]*?)```/.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  const balanced = firstBalanced(text);
  if (balanced !== undefined) candidates.push(balanced);
  for (const c of candidates) {
    try {
      return JSON.parse(c) as unknown;
    } catch {
      // Not this candidate; try the next way of finding the JSON.
    }
  }
  return undefined;
}

function firstBalanced(text: string): string | undefined {
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

function stripFence(code: string): string {
  const m = /^\s*```[^\n]*\n([\s\S]*?)\n?```\s*$/.exec(code);
  return m?.[1] ?? code;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
