/**
 * Token counting with a real BPE tokenizer: gpt-tokenizer's o200k_base (the encoding of the
 * GPT-4o/4.1/o-series family). Pure JavaScript, so it bundles into the extension with no
 * native code or WASM, and it counts without allocating the token array (`countTokens`).
 * Other publishers' models use other vocabularies; o200k is a close estimate for them, and
 * every count from here is marked as estimated wherever it stands in for server usage.
 */
import { countTokens as countO200k, isWithinTokenLimit } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatMessage } from './types';

/** Tokens a chat message costs beyond its text (role and separators), per OpenAI's accounting. */
const PER_MESSAGE_OVERHEAD = 3;
/** Every reply is primed with a few tokens. */
const REPLY_PRIMING = 3;

export function countTokens(text: string): number {
  return countO200k(text);
}

export function countMessageTokens(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMING;
  for (const m of messages) total += PER_MESSAGE_OVERHEAD + countO200k(m.content) + 1;
  return total;
}

/** Cheap check that stops counting as soon as the limit is passed (large files). */
export function fitsWithin(text: string, limit: number): boolean {
  return isWithinTokenLimit(text, limit) !== false;
}
