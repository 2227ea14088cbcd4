/**
 * Review at scale: many files (or their changed lines) cut into pieces that fit the model,
 * sent through the orchestrator's `runBatch` — so pacing, breakers, cache, budgets, the ledger
 * and the secret scan apply to each piece as to any request — and read back into findings per
 * file, merged across overlapping pieces. The command line and the editor both review this way.
 */
import { AurelisError, isAurelisError } from '../errors';
import { SecretScanner } from '../secrets/secretScanner';
import { secretKindLabel } from '../secrets/secretKinds';
import { reviewRequest } from '../tasks/requests';
import { SYSTEM_PROMPTS } from '../tasks/prompts';
import type { ReviewFinding } from '../tasks/review';
import { countTokens } from '../tokens';
import type { AnswerCheck, RunOptions, TaskRequest, TaskResult } from '../types';
import { isUsableReview } from '../tasks/answers/reviewAnswer';
import { mergeFindings } from './findingMerge';
import { languageOf } from './languages';
import { answerOf, CutOffError } from '../tasks/answers/cutOff';
import { readReviewAnswer } from './readReviewAnswer';
import { chunkLines, DEFAULT_CHUNK_TOKENS, touches, withContext, type LineRange } from './reviewChunks';

/** The orchestrator, as a batch review uses it. */
export interface BatchRunner {
  runBatch(
    requests: TaskRequest[],
    options?: RunOptions,
    onSettled?: (index: number, outcome: TaskResult | AurelisError) => void,
    usableAt?: (index: number) => AnswerCheck | undefined,
  ): Promise<Array<TaskResult | AurelisError>>;
}

export interface ReviewFileInput {
  /** Relative to the project root, with `/` separators (it goes into prompts and reports). */
  path: string;
  text: string;
  /** Review only these lines (with context around them); findings elsewhere are left out. */
  changed?: LineRange[];
}

export interface BatchReviewOptions {
  /** Tokens of code per request (default 3,500). */
  chunkTokens?: number;
  /** The model's input limit, when known: pieces are cut small enough to fit it with the prompt. */
  inputLimit?: number;
  /** Lines shown around changed lines (default 20). */
  contextLines?: number;
  signal?: AbortSignal;
  onNotice?: RunOptions['onNotice'];
  /** Called as each file's last piece is answered. */
  onFile?: (file: FileReview, progress: BatchProgress) => void;
  /**
   * Adds what the project asks of every request to a piece's request (its instruction files and
   * `.aurelis.yaml` standards), as for any other task; `file` is the reviewed file's path.
   */
  prepare?: (request: TaskRequest, file: string) => Promise<TaskRequest>;
}

export interface FileReview {
  path: string;
  language: string;
  findings: ReviewFinding[];
  /** Entries of the answers that could not be read as findings. */
  skipped: number;
  /** Requests sent for this file. */
  pieces: number;
  /** Pieces that could not be reviewed (provider failure, budget, unreadable answer, cancel). */
  errors: AurelisError[];
}

export interface BatchProgress {
  filesDone: number;
  files: number;
  findings: number;
  /** Spend so far in USD (requests with an unknown price add nothing). */
  costUsd: number;
}

export interface BatchReviewReport {
  files: FileReview[];
  requests: number;
  cachedRequests: number;
  promptTokens: number;
  completionTokens: number;
  /** Null when a model's price is unknown (never shown as $0). */
  costUsd: number | null;
  /** Models that answered, in the order first seen. */
  models: string[];
}

interface Piece {
  file: number;
  range: LineRange;
  code: string;
  request: TaskRequest;
}

const DEFAULT_CONTEXT_LINES = 20;
/** Room for the file header, code header and fences around the code in the prompt. */
const PROMPT_FRAME_TOKENS = 150;
/** The smallest piece worth sending; below it the model's limit is the problem, not the file. */
const MIN_CHUNK_TOKENS = 200;

export async function reviewFiles(runner: BatchRunner, inputs: readonly ReviewFileInput[], options: BatchReviewOptions = {}): Promise<BatchReviewReport> {
  // What the project adds to each file's prompt (its instructions) is left room for, file by file.
  const prepare = options.prepare;
  const added = prepare ? await Promise.all(inputs.map((input) => addedTokens(input.path, prepare))) : inputs.map(() => 0);
  const pieces: Piece[] = [];
  const files: FileReview[] = inputs.map((input, file) => {
    for (const piece of piecesOf(input, file, pieceBudget(options, added[file] ?? 0), options.contextLines ?? DEFAULT_CONTEXT_LINES)) pieces.push(piece);
    return { path: input.path, language: languageOf(input.path), findings: [], skipped: 0, pieces: 0, errors: [] };
  });
  const raw: ReviewFinding[][] = inputs.map(() => []);
  const remaining = files.map(() => 0);
  for (const p of pieces) remaining[p.file] = (remaining[p.file] ?? 0) + 1;
  for (const [i, f] of files.entries()) f.pieces = remaining[i] ?? 0;

  const totals = { requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 as number | null, models: [] as string[] };
  const progress: BatchProgress = { filesDone: 0, files: files.length, findings: 0, costUsd: 0 };
  const finishFile = (index: number): void => {
    const file = files[index] as FileReview;
    const changed = inputs[index]?.changed;
    const merged = mergeFindings(raw[index] ?? []);
    file.findings = changed === undefined ? merged : merged.filter((f) => touches(changed, f.startLine, f.endLine));
    progress.filesDone++;
    progress.findings += file.findings.length;
    options.onFile?.(file, { ...progress });
  };
  // Files with nothing to send (empty) are done at once.
  for (const [i, n] of remaining.entries()) if (n === 0) finishFile(i);

  const requests = prepare ? await Promise.all(pieces.map((p) => prepare(p.request, (files[p.file] as FileReview).path))) : pieces.map((p) => p.request);
  await runner.runBatch(
    requests,
    { ...(options.signal ? { signal: options.signal } : {}), ...(options.onNotice ? { onNotice: options.onNotice } : {}) },
    (index, outcome) => {
      const piece = pieces[index] as Piece;
      const file = files[piece.file] as FileReview;
      if (isAurelisError(outcome)) {
        const secrets = outcome.kind === 'secret_blocked' ? secretFindings(piece) : [];
        if (secrets.length > 0) raw[piece.file]?.push(...secrets);
        else file.errors.push(outcome);
      } else {
        count(totals, outcome);
        progress.costUsd += outcome.costUsd ?? 0;
        try {
          const parsed = readReviewAnswer(answerOf(outcome), { code: piece.code, firstLine: piece.range.from });
          raw[piece.file]?.push(...parsed.findings);
          file.skipped += parsed.skipped;
          // The complete findings are kept; the piece still counts as not fully reviewed.
          if (parsed.cutOff) file.errors.push(new CutOffError(`only the findings that arrived complete for lines ${piece.range.from}–${piece.range.to} of ${file.path} are reported`, outcome.usage.completionTokens));
        } catch (e) {
          file.errors.push(isAurelisError(e) ? e : new AurelisError('invalid_response', `The answer for ${file.path} could not be read.`, { cause: e }));
        }
      }
      remaining[piece.file] = (remaining[piece.file] ?? 1) - 1;
      if (remaining[piece.file] === 0) finishFile(piece.file);
    },
    // Only an answer this piece could be read from is cached (and served from the cache).
    (index) => {
      const piece = pieces[index] as Piece;
      return (answer) => isUsableReview(answer, { code: piece.code, firstLine: piece.range.from });
    },
  );
  return { files, ...totals };
}

/** Tokens of code per piece: the chunk size, or less when the model's limit is tighter. */
function pieceBudget(options: BatchReviewOptions, preparedTokens: number): number {
  const chunk = options.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
  if (options.inputLimit === undefined) return chunk;
  const room = options.inputLimit - countTokens(SYSTEM_PROMPTS.review) - PROMPT_FRAME_TOKENS - preparedTokens;
  return Math.max(MIN_CHUNK_TOKENS, Math.min(chunk, room));
}

/** Tokens `prepare` adds to a review request's system prompt for `path`. */
async function addedTokens(path: string, prepare: NonNullable<BatchReviewOptions['prepare']>): Promise<number> {
  const probe = reviewRequest({ language: languageOf(path), path, code: '', firstLine: 1, scope: 'whole file', diagnostics: [] });
  const prepared = await prepare(probe, path);
  return Math.max(0, countTokens(prepared.systemPrompt ?? '') - countTokens(probe.systemPrompt ?? ''));
}

function piecesOf(input: ReviewFileInput, file: number, budget: number, contextLines: number): Piece[] {
  const lines = input.text.split('\n');
  // A final newline does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (input.text.trim() === '') return [];
  const areas = input.changed === undefined ? [{ from: 1, to: lines.length }] : withContext(input.changed, contextLines, lines.length);
  const ranges = areas.flatMap((area) => chunkLines(lines, area, budget));
  const language = languageOf(input.path);
  return ranges.map((range, i) => {
    const code = lines.slice(range.from - 1, range.to).join('\n');
    const whole = range.from === 1 && range.to === lines.length;
    const scope = whole ? 'whole file' : input.changed !== undefined ? 'changed lines with context' : `part ${i + 1} of ${ranges.length} of the file`;
    const request = reviewRequest({ language, path: input.path, code, firstLine: range.from, scope, diagnostics: [] });
    return { file, range, code, request };
  });
}

/**
 * A piece the secret scan refused to send is itself a security problem: each secret becomes an
 * error on its line, so a pre-commit hook stops a commit that would publish it.
 */
function secretFindings(piece: Piece): ReviewFinding[] {
  return new SecretScanner().scan(piece.code).map((s) => {
    const line = piece.range.from + s.line - 1;
    const label = secretKindLabel(s.kind);
    return {
      severity: 'error',
      category: 'security',
      startLine: line,
      endLine: line,
      message: `${/^[aeiou]/i.test(label) ? 'An' : 'A'} ${label} is written in the code; it was not sent to the model. Move it to an environment variable or a secret store, and revoke it if it was ever committed.`,
    };
  });
}

function count(totals: Omit<BatchReviewReport, 'files'>, result: TaskResult): void {
  totals.requests++;
  if (result.cached) totals.cachedRequests++;
  totals.promptTokens += result.usage.promptTokens;
  totals.completionTokens += result.usage.completionTokens;
  totals.costUsd = totals.costUsd === null || result.costUsd === null ? null : totals.costUsd + result.costUsd;
  if (!totals.models.includes(result.model)) totals.models.push(result.model);
}
