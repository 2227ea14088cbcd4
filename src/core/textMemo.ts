/**
 * Remembers a figure per text for the texts that come back request after request (the same
 * system prompt, instructions, audit field values): short texts only (up to a few pages), the
 * least recently used dropped first. lru-cache, as the response cache uses.
 */
import { LRUCache } from 'lru-cache';

export class TextMemo<V extends NonNullable<unknown>> {
  private readonly memo: LRUCache<string, V>;

  constructor(
    entries: number,
    private readonly maxChars = 16_384,
  ) {
    this.memo = new LRUCache<string, V>({ max: entries });
  }

  get(text: string): V | undefined {
    return this.memo.get(text);
  }

  /** Keeps `value` for `text` when the text is short enough to be worth remembering. */
  remember(text: string, value: V): V {
    if (text.length <= this.maxChars) this.memo.set(text, value);
    return value;
  }
}
