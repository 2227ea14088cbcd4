/**
 * Reasoning models (DeepSeek-R1, QwQ, some Qwen 3 builds) write their thinking into the answer
 * between <think> and </think>, often with draft code or example JSON in it. None of it is the
 * answer: a draft `{"findings": []}` in there must not read as "no problems found".
 */
export function withoutReasoning(answer: string): string {
  const closed = answer.replace(/<think(?:ing)?>[\s\S]*?<\/think(?:ing)?>/gi, '');
  // Thinking that never closed (cut off while thinking) holds no answer at all.
  return /^\s*<think(?:ing)?>/i.test(closed) ? '' : closed;
}
