import assert from 'node:assert/strict';
import { BudgetAsk, PaceAsk } from '../../../src/core/lazyAsks';
import { PromptSize } from '../../../src/core/tokens';

/** A prompt size that says whether its exact count was read. */
function watched(): { prompt: PromptSize; counted: () => boolean } {
  const prompt = new PromptSize([{ role: 'user', content: 'Explain this function in two sentences.' }]);
  let read = false;
  const exact = Object.getOwnPropertyDescriptor(PromptSize.prototype, 'tokens')?.get as () => number;
  Object.defineProperty(prompt, 'tokens', {
    get() {
      read = true;
      return exact.call(prompt);
    },
  });
  return { prompt, counted: () => read };
}

describe('what the budget gate and the pacer are asked with', () => {
  it("the budget ask carries the prompt's bound at once and counts the prompt only when read", () => {
    const { prompt, counted } = watched();
    const ask = new BudgetAsk('r1', 'explain', { provider: 'openai', model: 'gpt-4o-mini' }, prompt, 500, false);
    assert.equal(ask.promptTokenBound, prompt.bound);
    assert.equal(ask.maxOutputTokens, 500);
    assert.equal(counted(), false);
    assert.ok(ask.promptTokens > 0 && ask.promptTokens <= prompt.bound);
    assert.equal(counted(), true);
  });

  it('the pace ask counts prompt plus output allowance, only when read', () => {
    const { prompt, counted } = watched();
    const ask = new PaceAsk(prompt, 300, true, false);
    assert.equal(ask.retry, true);
    assert.equal(ask.learned, false);
    assert.equal(counted(), false);
    assert.equal(ask.tokens, prompt.tokens + 300);
    assert.equal(new PaceAsk(PromptSize.NONE, 0, false, true).tokens, 0);
  });
});
