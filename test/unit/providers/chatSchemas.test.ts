import assert from 'node:assert/strict';
import { ChunkSchema, CompletionSchema, readChunk, readCompletion, usageOf, type Chunk, type Completion } from '../../../src/core/providers/chatSchemas';

/** What the fast check and zod must agree on: accepted or not, and the fields Aurelis reads. */
function readable(parsed: Chunk | Completion | undefined): unknown {
  if (parsed === undefined) return 'refused';
  const choices = (parsed.choices ?? []).map((c) => ({
    content: 'message' in c ? c.message.content : 'delta' in c ? c.delta?.content : undefined,
    finish: c.finish_reason,
  }));
  return { choices, usage: usageOf(parsed.usage) };
}

const usage = { prompt_tokens: 12, completion_tokens: 30 };
const CHUNKS: unknown[] = [
  { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }] },
  { choices: [{ delta: {}, finish_reason: 'stop' }] },
  { choices: [], usage },
  { choices: null, usage: { ...usage, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 8 }, cost: 0.0012 } },
  { usage: null },
  {},
  { choices: [{ delta: null }] },
  { choices: [{ delta: { content: null } }] },
  // Shapes the fast check hands to zod: it must come to the same verdict.
  { choices: [{ delta: { content: 42 } }] },
  { choices: [{ delta: 'text' }] },
  { choices: [{ delta: { content: 'x' }, finish_reason: 7 }] },
  { choices: {} },
  { choices: [null] },
  { choices: [[]] },
  { usage: { prompt_tokens: -1, completion_tokens: 0 } },
  { usage: { prompt_tokens: 1 } },
  { usage: { prompt_tokens: Infinity, completion_tokens: 0 } },
  { usage: { prompt_tokens: Number.NaN, completion_tokens: 0 } },
  { usage: { ...usage, cost: 'free' } },
  { usage: { ...usage, cost: -1 } },
  { usage: { ...usage, cost: null } },
  { usage: { ...usage, prompt_tokens_details: { cached_tokens: -2 } } },
  { usage: { ...usage, prompt_tokens_details: [] } },
  { usage: { ...usage, completion_tokens_details: { reasoning_tokens: '3' } } },
  { usage: [] },
  [],
  null,
  'data',
  42,
];

const COMPLETIONS: unknown[] = [
  { id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage },
  { choices: [{ message: { content: null }, finish_reason: 'tool_calls' }] },
  { choices: [{ message: {} }], usage: null },
  { choices: [{ message: { content: 'a' } }, { message: { content: 'b' }, finish_reason: 'length' }], usage: { ...usage, cost: 1e-5 } },
  { choices: [] },
  { choices: [{ message: null }] },
  { choices: [{ message: { content: 1 } }] },
  { choices: [{ message: { content: 'a' }, finish_reason: false }] },
  { choices: [{ text: 'legacy completion' }] },
  { choices: [{ message: { content: 'a' } }], usage: { prompt_tokens: '3', completion_tokens: 1 } },
  { choices: [{ message: { content: 'a' } }], usage: { ...usage, cost: 'n/a' } },
  { choices: 'none' },
  { error: { message: 'overloaded' } },
  null,
];

describe('chat schemas: the fast structural check', () => {
  it('reads every chunk shape as zod does', () => {
    for (const raw of CHUNKS) {
      const zod = ChunkSchema.safeParse(raw);
      assert.deepEqual(readable(readChunk(raw)), readable(zod.success ? zod.data : undefined), JSON.stringify(raw));
    }
  });

  it('reads every completion shape as zod does', () => {
    for (const raw of COMPLETIONS) {
      const zod = CompletionSchema.safeParse(raw);
      assert.deepEqual(readable(readCompletion(raw)), readable(zod.success ? zod.data : undefined), JSON.stringify(raw));
    }
  });

  it('returns the chunk itself for the usual shape, without a copy', () => {
    const raw = { choices: [{ delta: { content: 'Hel' }, finish_reason: null }] };
    assert.equal(readChunk(raw), raw);
  });
});
