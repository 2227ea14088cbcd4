/**
 * A review answer, read into findings the editor can show: the JSON found wherever the model
 * put it, each finding placed by its quote, and an honest account of what could not be used —
 * entries that were not findings, findings that could not be placed, a cut-off end. An answer
 * that had findings never reads as "no problems found".
 */
import { AurelisError } from '../../errors';
import { leadingIndent, shiftIndentation } from '../codeOutput';
import { LooseFindingSchema, type LooseFinding, type ReviewCategory, type ReviewFinding, type ReviewSeverity } from '../review';
import { cleanQuote, placeFinding, type ReviewedCode } from './anchoring';
import { CutOffError, type ModelAnswer } from './cutOff';
import { locateFindings } from './findingsJson';

/** A finding placed in the reviewed code, with what a quick fix needs. */
export interface PlacedFinding extends ReviewFinding {
  /** The text of lines startLine..endLine as reviewed: a suggestion applies only while they still read so. */
  anchor: string;
  /** The suggestion can replace exactly those lines (the finding was placed by a quote of whole lines). */
  quickFix: boolean;
  /** Placed by its quote, or (no quote) by a line number inside the reviewed code. */
  placedBy: 'quote' | 'line';
}

/** A finding whose quote is not in the reviewed code (or that gave no usable line): listed, never placed. */
export interface UnplacedFinding {
  severity: ReviewSeverity;
  category: ReviewCategory;
  message: string;
  /** The line the model claimed, as it wrote it. */
  claimedLine?: number;
  quote?: string;
  suggestion?: string;
}

export interface ReviewReading {
  /** Placed findings, in line order. */
  findings: PlacedFinding[];
  unplaced: UnplacedFinding[];
  /** Entries of the answer that could not be read as findings. */
  skipped: number;
  /** The answer stopped at the output limit; `findings` holds the ones that were complete. */
  cutOff: boolean;
}

export function readReview(answer: ModelAnswer, reviewed: ReviewedCode): ReviewReading {
  const found = locateFindings(answer.content);
  const limitHit = answer.finishReason === 'length';
  if (!found) {
    if (limitHit) throw new CutOffError('no findings could be read', answer.completionTokens);
    throw new AurelisError(
      'invalid_response',
      'The model did not answer with review findings in JSON. Run the review again, or choose a model that supports structured output (Aurelis: Models).',
      { nextSteps: ['retry', 'chooseModel'] },
    );
  }
  const lines = reviewed.code.replace(/\r\n/g, '\n').split('\n');
  const findings: PlacedFinding[] = [];
  const unplaced: UnplacedFinding[] = [];
  const entries = found.entries.map((e) => LooseFindingSchema.safeParse(e)).flatMap((p) => (p.success ? [p.data] : []));
  const skipped = found.entries.length - entries.length;
  const numbering = answerNumbering(entries, reviewed);
  for (const f of entries) {
    const suggestion = f.suggestion === undefined || f.suggestion.trim() === '' ? undefined : cleanQuote(f.suggestion);
    const base = { severity: f.severity as ReviewSeverity, category: f.category as ReviewCategory, message: f.message };
    const placement = placeFinding({ quote: f.quote, startLine: f.startLine, endLine: f.endLine }, reviewed, numbering);
    if (!placement) {
      unplaced.push({
        ...base,
        ...(f.startLine === undefined ? {} : { claimedLine: f.startLine }),
        ...(f.quote === undefined ? {} : { quote: f.quote }),
        ...(suggestion === undefined ? {} : { suggestion }),
      });
      continue;
    }
    const anchor = lines.slice(placement.startLine - reviewed.firstLine, placement.endLine - reviewed.firstLine + 1).join('\n');
    // A suggestion written without the lines' indentation (the quote was trimmed) gets it back.
    const fitted = suggestion === undefined ? undefined : shiftIndentation(suggestion, leadingIndent(suggestion), leadingIndent(anchor));
    findings.push({
      ...base,
      startLine: placement.startLine,
      endLine: placement.endLine,
      ...(fitted === undefined ? {} : { suggestion: fitted }),
      anchor,
      quickFix: fitted !== undefined && placement.by === 'quote' && placement.wholeLines && fitted !== anchor,
      placedBy: placement.by,
    });
  }
  const cutOff = found.cutOff;
  if (cutOff && findings.length + unplaced.length === 0) throw new CutOffError('no finding arrived complete', answer.completionTokens);
  if (found.entries.length > 0 && entries.length === 0) {
    throw new AurelisError(
      'invalid_response',
      `The model's findings could not be read (${skipped === 1 ? 'its one entry has' : `none of its ${skipped} entries has`} a message). Run the review again, or choose another model (Aurelis: Models).`,
      { nextSteps: ['retry', 'chooseModel'] },
    );
  }
  findings.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  return { findings, unplaced, skipped, cutOff };
}

/** Whether an answer can be kept in the cache: it reads as findings and is complete. */
export function isUsableReview(answer: ModelAnswer, reviewed: ReviewedCode): boolean {
  try {
    return !readReview(answer, reviewed).cutOff;
  } catch {
    return false;
  }
}

/**
 * How the answer counts lines, judged by its findings that quote code: when most of them give
 * lines counted from the start of the reviewed code, its findings without a quote are read so too.
 */
function answerNumbering(entries: readonly LooseFinding[], reviewed: ReviewedCode): 'file' | 'selection' {
  let file = 0;
  let selection = 0;
  for (const f of entries) {
    if (f.quote === undefined || f.quote.trim() === '' || f.startLine === undefined) continue;
    const placed = placeFinding({ quote: f.quote, startLine: f.startLine, endLine: f.endLine }, reviewed);
    if (!placed) continue;
    if (placed.startLine === f.startLine) file++;
    else if (placed.selectionRelative) selection++;
  }
  return selection > file ? 'selection' : 'file';
}
