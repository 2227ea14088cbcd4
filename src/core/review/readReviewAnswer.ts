/**
 * The one place the batch review reads a model's answer into findings: the same reader as the
 * editor's Review (answers/reviewAnswer.ts) — findings placed by the code they quote inside the
 * piece that was sent, never moved onto other lines.
 */
import type { ModelAnswer } from '../tasks/answers/cutOff';
import { readReview } from '../tasks/answers/reviewAnswer';
import type { ReviewFinding } from '../tasks/review';

export interface AnsweredPiece {
  /** The code that was sent, exactly. */
  code: string;
  /** 1-based file line of the code's first line. */
  firstLine: number;
}

export interface ParsedReview {
  findings: ReviewFinding[];
  /** Entries that could not be read as findings, or whose quote is not in the piece (so they could not be placed). */
  skipped: number;
  /** The answer stopped at the output limit: `findings` are the ones that arrived complete. */
  cutOff: boolean;
}

/** Findings on whole-file lines within the piece. Throws AurelisError 'invalid_response' (a CutOffError when nothing complete arrived). */
export function readReviewAnswer(answer: ModelAnswer, piece: AnsweredPiece): ParsedReview {
  const reading = readReview(answer, piece);
  return { findings: reading.findings, skipped: reading.skipped + reading.unplaced.length, cutOff: reading.cutOff };
}
