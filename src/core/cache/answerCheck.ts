/**
 * Whether an answer may be kept in (or served from) the cache. The cache stores an answer only
 * once the command that asked has said it could use it: an answer it could not read — no
 * findings JSON, no code block, an edit that does not apply — would otherwise be served again on
 * Retry for the rest of its time to live.
 */
import type { Logger } from '../host';
import type { AnswerCheck, FinishReason } from '../types';
import { errorMessage } from '../../shared/errorMessage';

export function answerIsUsable(check: AnswerCheck | undefined, answer: { content: string; finishReason: FinishReason }, logger: Logger): boolean {
  if (!check) return true;
  try {
    return check({ content: answer.content, finishReason: answer.finishReason });
  } catch (err) {
    // A check that throws cannot vouch for the answer; keeping it out of the cache is the safe side.
    logger.warn(`The answer check failed, so the answer is not cached: ${errorMessage(err)}`);
    return false;
  }
}
