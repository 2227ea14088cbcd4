/**
 * Token counting with a real BPE tokenizer: gpt-tokenizer's o200k_base (the encoding of the
 * GPT-4o/4.1/o-series family). Pure JavaScript, so it bundles with no native code or WASM, and
 * it counts without allocating the token array (`countTokens`). Other publishers' models use
 * other vocabularies; o200k is a close estimate for them, and every count from here is marked
 * as estimated wherever it stands in for server usage.
 *
 * The vocabulary is 2.7 MB of code (hundreds of milliseconds and ~50 MB to load), so it is
 * loaded at the first count, not with this module: the bundles keep it in dist/tokenizer.js
 * (esbuild.mjs), and a size check that the text's byte count already settles never loads it.
 */
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatMessage } from './types';
import { TextMemo } from './textMemo';

/** Tokens a chat message costs beyond its text (role and separators), per OpenAI's accounting. */
const PER_MESSAGE_OVERHEAD = 3;
/** Every reply is primed with a few tokens. */
const REPLY_PRIMING = 3;

let tokenizer: typeof O200k | undefined;

function o200k(): typeof O200k {
  // A plain `require` keeps the load synchronous (counting is) and lets esbuild point it at the separate file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tokenizer ??= require('gpt-tokenizer/encoding/o200k_base') as typeof O200k;
  return tokenizer;
}

/** Whether the vocabulary has been loaded in this process (the start-up tests check it was not). */
export function tokenizerLoaded(): boolean {
  return tokenizer !== undefined;
}

export function countTokens(text: string): number {
  return o200k().countTokens(text);
}

export function countMessageTokens(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMING;
  for (const m of messages) total += PER_MESSAGE_OVERHEAD + contentTokens(m.content) + 1;
  return total;
}

/** Most tokens `messages` can be, by `tokenUpperBound`: never less than `countMessageTokens`. */
export function messageTokenBound(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMING;
  for (const m of messages) total += PER_MESSAGE_OVERHEAD + tokenUpperBound(m.content) + 1;
  return total;
}

/**
 * The same system prompts and instructions start request after request: their counts are kept
 * (texts up to a few pages, a few hundred of them).
 */
const counted = new TextMemo<number>(256);

function contentTokens(text: string): number {
  return counted.get(text) ?? counted.remember(text, countTokens(text));
}

/**
 * One request's prompt size: the byte bound at once, the exact count only when something reads
 * it (and then once). Stages that can decide with the bound (the size check, a budget far from
 * its limits, pacing with no announced token limit) never load or run the tokenizer.
 */
export class PromptSize {
  static readonly NONE = new PromptSize([]);
  /** At least `tokens`. */
  readonly bound: number;
  private exact: number | undefined;

  constructor(private readonly messages: readonly ChatMessage[]) {
    this.bound = messages.length === 0 ? 0 : messageTokenBound(messages);
    if (messages.length === 0) this.exact = 0;
  }

  /** The exact count (o200k), counted at the first read. */
  get tokens(): number {
    this.exact ??= countMessageTokens(this.messages);
    return this.exact;
  }

  /** Whether the prompt is at most `limit` tokens, counting only when the bound does not settle it. */
  fits(limit: number): boolean {
    return this.bound <= limit || this.tokens <= limit;
  }
}

/**
 * Most tokens `text` can be: every o200k token stands for at least one byte of UTF-8, so the
 * byte count bounds the token count without loading the vocabulary.
 */
export function tokenUpperBound(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cheap check that stops counting as soon as the limit is passed (large files); a text whose bytes fit needs no count. */
export function fitsWithin(text: string, limit: number): boolean {
  if (tokenUpperBound(text) <= limit) return true;
  return o200k().isWithinTokenLimit(text, limit) !== false;
}
