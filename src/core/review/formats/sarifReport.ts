/**
 * The review as SARIF 2.1.0, the way GitHub code scanning takes it: one rule per category
 * (`aurelis/security`, …), severities as levels, paths relative to the repository root, and a
 * `partialFingerprints` value built from what the finding is about — its file, category and
 * the text of its lines, not their numbers — so the same problem keeps one alert across runs
 * even when code above it moves.
 */
import { createHash } from 'node:crypto';
import { REVIEW_CATEGORIES, type ReviewCategory, type ReviewFinding, type ReviewSeverity } from '../../tasks/review';
import type { BatchReviewReport } from '../batchReview';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'aurelisFinding/v1';

const LEVELS: Record<ReviewSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

const RULES: Record<ReviewCategory, { name: string; text: string; level: 'error' | 'warning' | 'note'; tags: string[] }> = {
  security: { name: 'SecurityProblem', text: 'A security problem found by an AI review.', level: 'error', tags: ['security'] },
  performance: { name: 'PerformanceProblem', text: 'A performance problem found by an AI review.', level: 'warning', tags: ['performance'] },
  correctness: { name: 'CorrectnessProblem', text: 'A bug or correctness problem found by an AI review.', level: 'warning', tags: ['correctness', 'reliability'] },
  style: { name: 'StyleProblem', text: 'A readability or maintainability problem found by an AI review.', level: 'note', tags: ['maintainability'] },
};

export interface SarifTool {
  version: string;
  informationUri?: string;
}

/** `texts`: each reviewed file's text by path, for the fingerprints. */
export function sarifReport(report: BatchReviewReport, texts: ReadonlyMap<string, string>, tool: SarifTool): Record<string, unknown> {
  const results: Array<Record<string, unknown>> = [];
  for (const file of report.files) {
    const lines = (texts.get(file.path) ?? '').split('\n');
    const seen = new Map<string, number>();
    for (const f of file.findings) {
      const base = fingerprintBase(file.path, f, lines);
      const occurrence = (seen.get(base) ?? 0) + 1;
      seen.set(base, occurrence);
      results.push(result(file.path, f, `${base}:${occurrence}`));
    }
  }
  const notReviewed = report.files.flatMap((file) => file.errors.map((e) => ({ file: file.path, error: e })));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Aurelis',
            semanticVersion: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: REVIEW_CATEGORIES.map((c) => ({
              id: ruleId(c),
              name: RULES[c].name,
              shortDescription: { text: RULES[c].text },
              defaultConfiguration: { level: RULES[c].level },
              properties: { tags: RULES[c].tags },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        invocations: [
          {
            executionSuccessful: notReviewed.length === 0,
            toolExecutionNotifications: notReviewed.map(({ file, error }) => ({
              level: 'error',
              message: { text: `${file} was not reviewed (${error.kind}): ${error.message}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeUri(file), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
        results,
      },
    ],
  };
}

export function ruleId(category: ReviewCategory): string {
  return `aurelis/${category}`;
}

function result(path: string, f: ReviewFinding, fingerprint: string): Record<string, unknown> {
  return {
    ruleId: ruleId(f.category),
    ruleIndex: REVIEW_CATEGORIES.indexOf(f.category),
    level: LEVELS[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUri(path), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.startLine, endLine: f.endLine },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties: { severity: f.severity, category: f.category },
  };
}

/** Path, category and the flagged lines' text without indentation: stable when lines move. */
function fingerprintBase(path: string, f: ReviewFinding, lines: readonly string[]): string {
  const flagged = lines
    .slice(f.startLine - 1, f.endLine)
    .map((l) => l.trim())
    .join('\n');
  return createHash('sha256').update(`${path}\0${f.category}\0${flagged}`).digest('hex').slice(0, 32);
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
