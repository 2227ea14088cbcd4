/**
 * The review as JSON for scripts, with a versioned schema: `format` and `version` say which
 * shape follows; fields are only ever added within a version.
 */
import { z } from 'zod';
import { REVIEW_CATEGORIES, REVIEW_SEVERITIES } from '../../tasks/review';
import type { BatchReviewReport } from '../batchReview';
import { severityCounts } from './summary';

export const REVIEW_JSON_FORMAT = 'aurelis-review';
export const REVIEW_JSON_VERSION = 1;

const FindingJson = z.object({
  severity: z.enum(REVIEW_SEVERITIES),
  category: z.enum(REVIEW_CATEGORIES),
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
  message: z.string(),
  suggestion: z.string().optional(),
});

export const ReviewJsonSchema = z.object({
  format: z.literal(REVIEW_JSON_FORMAT),
  version: z.literal(REVIEW_JSON_VERSION),
  tool: z.object({ name: z.literal('Aurelis'), version: z.string() }),
  summary: z.object({
    files: z.number().int().min(0),
    filesNotReviewed: z.number().int().min(0),
    findings: z.object(Object.fromEntries(REVIEW_SEVERITIES.map((s) => [s, z.number().int().min(0)])) as Record<(typeof REVIEW_SEVERITIES)[number], z.ZodNumber>),
    requests: z.number().int().min(0),
    cachedRequests: z.number().int().min(0),
    promptTokens: z.number().int().min(0),
    completionTokens: z.number().int().min(0),
    costUsd: z.number().min(0).nullable(),
    models: z.array(z.string()),
  }),
  files: z.array(
    z.object({
      path: z.string(),
      language: z.string(),
      findings: z.array(FindingJson),
      skipped: z.number().int().min(0),
      errors: z.array(z.object({ kind: z.string(), message: z.string() })),
    }),
  ),
});
export type ReviewJson = z.infer<typeof ReviewJsonSchema>;

export function jsonReport(report: BatchReviewReport, toolVersion: string): ReviewJson {
  return {
    format: REVIEW_JSON_FORMAT,
    version: REVIEW_JSON_VERSION,
    tool: { name: 'Aurelis', version: toolVersion },
    summary: {
      files: report.files.length,
      filesNotReviewed: report.files.filter((f) => f.errors.length > 0).length,
      findings: severityCounts(report),
      requests: report.requests,
      cachedRequests: report.cachedRequests,
      promptTokens: report.promptTokens,
      completionTokens: report.completionTokens,
      costUsd: report.costUsd,
      models: report.models,
    },
    files: report.files.map((f) => ({
      path: f.path,
      language: f.language,
      findings: f.findings.map((x) => ({ ...x })),
      skipped: f.skipped,
      errors: f.errors.map((e) => ({ kind: e.kind, message: e.message })),
    })),
  };
}
