/**
 * `aurelis review [paths…] [--changed [<base>]] [--staged]`: the batch review, in the format
 * asked for, with the exit code CI and the pre-commit hook act on.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { reviewFiles, type BatchReviewReport } from '../../core/review/batchReview';
import { reviewInputLimit } from '../../core/review/inputLimit';
import { jsonReport } from '../../core/review/formats/jsonReport';
import { markdownReport } from '../../core/review/formats/markdownReport';
import { sarifReport } from '../../core/review/formats/sarifReport';
import { reaches, type FailOn } from '../../core/review/formats/summary';
import { textReport } from '../../core/review/formats/textReport';
import { describeError } from '../errorText';
import { EXIT, exitCodeFor, type ExitCode } from '../exitCodes';
import { progressReporter } from '../progress';
import { reviewInputs } from '../../core/review/reviewSelection';
import type { Session } from '../session';
import { emit, say } from '../terminal';
import { CLI_VERSION } from '../version';
import type { Interrupt } from '../interrupt';
import { withProject } from '../projectInstructions';
import { errorMessage } from '../../shared/errorMessage';

export const REVIEW_FORMATS = ['text', 'markdown', 'sarif', 'json'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export interface ReviewOptions {
  changed?: string | true;
  staged?: boolean;
  format?: ReviewFormat;
  output?: string;
  failOn?: FailOn;
  chunkTokens?: number;
  contextLines?: number;
}

export async function review(session: Session, paths: string[], options: ReviewOptions, interrupt: Interrupt): Promise<ExitCode> {
  const review = session.project.config.review ?? {};
  const format = options.format ?? review.format ?? 'text';
  const failOn = options.failOn ?? review.fail_on ?? 'error';
  const inputs = await reviewInputs({ paths, ...(options.changed === undefined ? {} : { changed: options.changed }), ...(options.staged ? { staged: true } : {}) }, process.cwd(), session.project.root, session.settings.security.maxFileKB);
  for (const s of inputs.skipped) say(`aurelis: skipped ${s.path}: ${s.reason}.`);
  if (inputs.files.length === 0) say(options.staged ? 'aurelis: nothing staged to review.' : options.changed !== undefined ? 'aurelis: no changes to review.' : 'aurelis: no files to review.');
  else say(`aurelis: reviewing ${inputs.files.length} ${inputs.files.length === 1 ? 'file' : 'files'}…`);
  const limit = await reviewInputLimit(session.core.orchestrator, session.settings, (e) => session.log.debug(`No model list for the input limit: ${errorMessage(e)}`));
  const progress = progressReporter(process.stderr, process.env);
  const announced = new Set<string>();
  // git reports real paths (inputs.root); the project file's folder is compared the same way.
  const projectRoot = realpathSync(session.project.root);
  const report = await reviewFiles(session.core.orchestrator, inputs.files, {
    chunkTokens: options.chunkTokens ?? session.chunkTokens,
    ...(options.contextLines ?? review.context_lines) !== undefined ? { contextLines: options.contextLines ?? review.context_lines } : {},
    ...(limit === undefined ? {} : { inputLimit: limit }),
    signal: interrupt.signal,
    onNotice: (notice) => {
      if (notice.kind !== 'rate_wait') say(`aurelis: ${notice.message}`);
    },
    onFile: (file, p) => progress.file(file, p),
    // Each piece gets its file's instructions; the same "with AGENTS.md" line is said once per run.
    prepare: (request, file) => withProject(session, request, path.relative(projectRoot, path.join(inputs.root, file)).split(path.sep).join('/'), announced),
  });
  progress.done();
  const texts = new Map(inputs.files.map((f) => [f.path, f.text]));
  await emit(render(report, format, texts), options.output);
  return exitCode(report, failOn);
}

function render(report: BatchReviewReport, format: ReviewFormat, texts: ReadonlyMap<string, string>): string {
  switch (format) {
    case 'markdown':
      return markdownReport(report);
    case 'sarif':
      return `${JSON.stringify(sarifReport(report, texts, { version: CLI_VERSION }), null, 2)}\n`;
    case 'json':
      return `${JSON.stringify(jsonReport(report, CLI_VERSION), null, 2)}\n`;
    case 'text':
      return textReport(report);
  }
}

/**
 * A review that could not finish says why first (budget 4, provider 3): its report is partial.
 * Otherwise 1 when a finding reaches --fail-on, else 0.
 */
function exitCode(report: BatchReviewReport, failOn: FailOn): ExitCode {
  const errors = report.files.flatMap((f) => f.errors);
  for (const message of new Set(errors.map((e) => `(${e.kind}): ${describeError(e)}`))) say(`aurelis: could not review a part of the files ${message}`);
  const codes = errors.map((e) => exitCodeFor(e.kind));
  if (codes.includes(EXIT.interrupted)) return EXIT.interrupted;
  if (codes.includes(EXIT.budget)) return EXIT.budget;
  if (codes.length > 0) return codes.includes(EXIT.provider) ? EXIT.provider : (codes[0] as ExitCode);
  return report.files.some((f) => f.findings.some((x) => reaches(x.severity, failOn))) ? EXIT.findings : EXIT.ok;
}
