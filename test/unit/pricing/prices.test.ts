import assert from 'node:assert/strict';
import { ModelPrices, costWith } from '../../../src/core/pricing/priceBook';
import { liveSettings } from '../helpers/usage';

const M = 1_000_000;

describe('ModelPrices', () => {
  const settings = liveSettings();
  const prices = new ModelPrices(settings.get);
  const usage = (promptTokens: number, completionTokens: number, cachedTokens = 0) => ({ promptTokens, completionTokens, cachedTokens });

  it("matches GitHub's worked example: 1M in + 1M out on GPT-4o = $12.50", () => {
    assert.equal(prices.cost({ provider: 'github-models', model: 'openai/gpt-4o' }, usage(M, M)), 12.5);
    // The retired endpoint's bare names and mixed case price the same.
    assert.equal(prices.cost({ provider: 'github-models', model: 'GPT-4o' }, usage(M, M)), 12.5);
  });

  it('prices GitHub Models as token units × $0.00001, cached input at its own multiplier', () => {
    // gpt-4.1: input 0.2, cached 0.05, output 0.8 → 600k fresh × 0.2 + 400k cached × 0.05 + 100k × 0.8 units.
    const expected = (600_000 * 0.2 + 400_000 * 0.05 + 100_000 * 0.8) * 0.00001;
    assert.ok(Math.abs(prices.cost({ provider: 'github-models', model: 'openai/gpt-4.1' }, usage(M, 100_000, 400_000))! - expected) < 1e-12);
    // No cached multiplier published: cached input costs the same as input.
    assert.ok(Math.abs(prices.cost({ provider: 'github-models', model: 'microsoft/phi-4' }, usage(M, 0, M))! - 0.125) < 1e-12);
  });

  it('prices OpenAI, Azure deployments named after a model, OpenRouter ids and dated snapshots', () => {
    assert.equal(prices.cost({ provider: 'openai', model: 'gpt-4o-mini' }, usage(M, M)), 0.75);
    assert.equal(prices.cost({ provider: 'openai', model: 'gpt-4o-2024-08-06' }, usage(M, M)), 12.5);
    assert.equal(prices.cost({ provider: 'openai', model: 'gpt-4o-2024-05-13' }, usage(M, M)), 20);
    assert.equal(prices.cost({ provider: 'azure-ai-foundry', model: 'gpt-4.1' }, usage(M, M)), 10);
    assert.equal(prices.cost({ provider: 'openrouter', model: 'openai/gpt-4.1-mini' }, usage(M, M)), 2);
    assert.equal(prices.cost({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4' }, usage(M, M)), 18);
    assert.equal(prices.cost({ provider: 'openai', model: 'o4-mini' }, usage(M, 0, M)), 0.275);
  });

  it('answers null for a model with no known price, never $0', () => {
    assert.equal(prices.cost({ provider: 'openai', model: 'some-new-model' }, usage(10, 10)), null);
    assert.equal(prices.cost({ provider: 'custom', model: 'gpt-4o' }, usage(10, 10)), null);
    assert.equal(prices.cost({ provider: 'github-models', model: 'openai/gpt-5' }, usage(10, 10)), null);
    assert.equal(prices.priceOf({ provider: 'openrouter', model: 'gpt-4o' }), null);
  });

  it('costs nothing on local providers', () => {
    assert.equal(prices.cost({ provider: 'ollama', model: 'qwen2.5-coder' }, usage(M, M)), 0);
    assert.equal(prices.priceOf({ provider: 'lmstudio', model: 'anything' })?.source, 'local');
  });

  it('takes overrides from settings, provider-specific before general, read live', () => {
    settings.set((s) => {
      s.prices = {
        'my-model': { input: 1, output: 2 },
        'custom:My-Model': { input: 3, output: 4 },
        'gpt-4o': { input: 5, output: 5 },
      };
    });
    assert.equal(prices.cost({ provider: 'custom', model: 'my-model' }, usage(M, M)), 7);
    assert.equal(prices.cost({ provider: 'openrouter', model: 'my-model' }, usage(M, M)), 3);
    assert.equal(prices.cost({ provider: 'openai', model: 'gpt-4o' }, usage(M, M)), 10);
    assert.equal(prices.priceOf({ provider: 'openai', model: 'gpt-4o' })?.source, 'settings');
    settings.set((s) => {
      s.prices = {};
    });
    assert.equal(prices.cost({ provider: 'custom', model: 'my-model' }, usage(M, M)), null);
  });

  it('never counts more cached tokens than prompt tokens', () => {
    assert.equal(costWith({ input: 2, cachedInput: 1, output: 0 }, usage(M, 0, 5 * M)), 1);
  });
});

describe('ModelPrices: prices looked up once per settings', () => {
  it("an edited price applies to the next request, and a handed-out price is the caller's own copy", () => {
    const settings = liveSettings();
    const prices = new ModelPrices(settings.get);
    const target = { provider: 'openai' as const, model: 'gpt-4o-mini' };
    const usage = { promptTokens: 1_000_000, completionTokens: 1_000_000, cachedTokens: 0 };
    assert.equal(prices.cost(target, usage), 0.75);
    const handed = prices.priceOf(target);
    assert.ok(handed);
    handed.input = 1000;
    assert.equal(prices.cost(target, usage), 0.75, 'changing a handed-out price changes nothing');
    settings.set((s) => (s.prices = { 'gpt-4o-mini': { input: 1, output: 2 } }));
    assert.equal(prices.cost(target, usage), 3);
    assert.equal(prices.priceOf(target)?.source, 'settings');
    settings.set((s) => (s.prices = {}));
    assert.equal(prices.cost(target, usage), 0.75);
  });
});
