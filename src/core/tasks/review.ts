/**
 * Review findings: the JSON shape we ask the model for (sent as a `json_schema` response
 * format) and the tolerant shape of one finding as models actually write it. Reading a whole
 * answer (finding the JSON, placing each finding) is answers/reviewAnswer.ts.
 */
import { z } from 'zod';

export const REVIEW_SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export const REVIEW_CATEGORIES = ['security', 'performance', 'correctness', 'style'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];
export type ReviewCategory = (typeof REVIEW_CATEGORIES)[number];

/** A finding on lines of a file: what every report (the editor's, the command line's) shows. */
export interface ReviewFinding {
  severity: ReviewSeverity;
  category: ReviewCategory;
  /** 1-based, inclusive, in file coordinates. */
  startLine: number;
  endLine: number;
  message: string;
  /** Replacement text for lines startLine..endLine, when the model proposed one. */
  suggestion?: string;
}

/** The strict shape sent to the model (every field required, as strict structured output demands). */
const WireFindingSchema = z.strictObject({
  severity: z.enum(REVIEW_SEVERITIES),
  category: z.enum(REVIEW_CATEGORIES),
  quote: z.string(),
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
const text = z.preprocess((v) => (typeof v === 'string' ? v : undefined), z.string().optional());

/** "12", "12-14" or "12–14", as some models write a line range in one field. */
function lineRange(v: unknown): { start?: number; end?: number } {
  if (typeof v === 'number') return { start: v };
  const m = typeof v === 'string' ? /^\s*(\d+)\s*(?:[-–:]|to)?\s*(\d+)?\s*$/.exec(v) : null;
  return m ? { start: Number(m[1]), ...(m[2] === undefined ? {} : { end: Number(m[2]) }) } : {};
}

/**
 * One finding as models write it — tolerant in spelling (severity and category words, line
 * fields by other names, the quote under other names), strict in substance: a message is required.
 */
export const LooseFindingSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    const range = lineRange(o.lines ?? o.line_range ?? o.location);
    return {
      ...o,
      message: o.message ?? o.description ?? o.issue ?? o.problem ?? o.comment ?? o.explanation ?? o.title,
      startLine: o.startLine ?? o.start_line ?? o.line ?? o.lineStart ?? range.start,
      endLine: o.endLine ?? o.end_line ?? o.lineEnd ?? range.end,
      quote: o.quote ?? o.code ?? o.snippet ?? o.excerpt ?? o.original ?? o.quotedCode,
      suggestion: o.suggestion ?? o.fix ?? o.replacement ?? o.suggested_code,
    };
  },
  z.object({
    severity: word(SEVERITY_WORDS, 'warning'),
    category: word(CATEGORY_WORDS, 'correctness'),
    startLine: lineNumber.optional().catch(undefined),
    endLine: lineNumber.optional().catch(undefined),
    message: z.string().trim().min(1),
    quote: text,
    suggestion: text,
  }),
);
export type LooseFinding = z.infer<typeof LooseFindingSchema>;
