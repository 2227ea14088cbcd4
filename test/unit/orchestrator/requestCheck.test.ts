import assert from 'node:assert/strict';
import { checkedRequest, plainRequest } from '../../../src/core/requestCheck';
import { AurelisError } from '../../../src/core/errors';
import { TaskRequestSchema } from '../../../src/core/types';

const base = { task: 'explain', prompt: 'What does this do?' };
const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];

/** Requests the fast check must take as zod does, and requests it must leave to zod. */
const REQUESTS: unknown[] = [
  base,
  { ...base, systemPrompt: 'You are terse.', stream: true, bypassCache: false, budgetOverride: true },
  { task: 'review', messages },
  { task: 'prompt', messages, prompt: '' },
  { ...base, temperature: 0, topP: 1, maxTokens: 256, model: 'openai:gpt-4o-mini' },
  { ...base, temperature: 2, topP: 0 },
  { ...base, metadata: { language: 'ts', framework: 'react', style: 'x', prompt: 'fix.prompt.md', file: 'src/a.ts' } },
  { ...base, metadata: {} },
  { ...base, stream: undefined, model: undefined },
  Object.assign(Object.create(null) as object, base),
  // Left to zod: it must come to the same verdict.
  { ...base, responseFormat: { type: 'json_object' } },
  { ...base, responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' } } },
  { ...base, extra: 'stripped by zod' },
  { task: 'explain', messages: [{ role: 'user', content: 'Hi', name: 'me' }] },
  { task: 'explain', messages: [{ role: 'tool', content: 'Hi' }] },
  { task: 'explain', messages: [{ role: 'user', content: 3 }] },
  { task: 'explain', messages: [] },
  { task: 'explain', messages: 'Hi' },
  { task: 'explain', prompt: '' },
  { task: 'explain' },
  { task: 'refactor', prompt: 'x' },
  { task: undefined, prompt: 'x' },
  { prompt: 'x' },
  { ...base, temperature: 2.5 },
  { ...base, temperature: -0.1 },
  { ...base, temperature: Number.NaN },
  { ...base, topP: 1.01 },
  { ...base, maxTokens: 0 },
  { ...base, maxTokens: 1.5 },
  { ...base, maxTokens: 2 ** 60 },
  { ...base, model: '' },
  { ...base, stream: 'yes' },
  { ...base, prompt: 42 },
  { ...base, metadata: { language: 3 } },
  { ...base, metadata: { owner: 'me' } },
  { ...base, metadata: { language: undefined } },
  { ...base, metadata: null },
  { ...base, messages: [null] },
  null,
  'explain',
  [base],
  new Date(),
];

describe('request check', () => {
  it('takes every request exactly as zod does, and leaves the odd shape to zod', () => {
    for (const input of REQUESTS) {
      const zod = TaskRequestSchema.safeParse(input);
      const fast = plainRequest(input);
      if (fast !== undefined) {
        assert.ok(zod.success, `the fast check accepted what zod refuses: ${JSON.stringify(input)}`);
        assert.deepStrictEqual({ ...fast }, { ...zod.data }, JSON.stringify(input));
      }
      let checked: unknown;
      try {
        checked = checkedRequest(input);
      } catch (err) {
        assert.ok(err instanceof AurelisError && err.kind === 'bad_request', String(err));
        assert.equal(zod.success, false, `refused what zod accepts: ${JSON.stringify(input)}`);
        continue;
      }
      assert.ok(zod.success, `accepted what zod refuses: ${JSON.stringify(input)}`);
      assert.deepStrictEqual({ ...(checked as object) }, { ...zod.data });
    }
  });

  it('takes the usual shapes without zod', () => {
    for (const input of REQUESTS.slice(0, 10)) assert.notEqual(plainRequest(input), undefined, JSON.stringify(input));
  });

  it("hands back a copy: changing the caller's request or messages later changes nothing", () => {
    const input = { task: 'explain' as const, messages: [{ role: 'user' as const, content: 'Hi' }] };
    const checked = checkedRequest(input);
    input.messages[0]!.content = 'changed';
    input.messages.push({ role: 'user', content: 'more' });
    assert.deepStrictEqual(checked.messages, [{ role: 'user', content: 'Hi' }]);
  });

  it('names each problem of a refused request', () => {
    assert.throws(
      () => checkedRequest({ task: 'explain', prompt: 'x', temperature: 9 }),
      (err: unknown) => err instanceof AurelisError && err.kind === 'bad_request' && /temperature/.test(err.message),
    );
  });
});
