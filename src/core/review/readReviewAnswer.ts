/**
 * The one place the batch review reads a model's answer into findings. It calls the review
 * parser of src/core/tasks; switching to another parser (findings anchored by a quote) means
 * changing this function only — it already receives the code the quotes would be found in.
 */
import { parseReviewFindings, type ParsedReview } from '../tasks/review';

export interface AnsweredPiece {
  /** The code that was sent, exactly. */
  code: string;
  /** 1-based file line of the code's first line. */
  firstLine: number;
}

/** Findings on whole-file lines within the piece. Throws AurelisError 'invalid_response'. */
export function readReviewAnswer(answer: string, piece: AnsweredPiece): ParsedReview {
  const lastLine = piece.firstLine + piece.code.split('\n').length - 1;
  return parseReviewFindings(answer, { firstLine: piece.firstLine, lastLine });
}
