import assert from 'node:assert/strict';
import { githubRequestCaps, githubTierOf, paceLimitsFor, userSetLimits } from '../../../src/core/resilience/rateTiers';
import { settingsFrom } from '../orchestrator/harness';

const gh = (model: string) => ({ provider: 'github-models' as const, model });

describe('rate tiers', () => {
  it('puts GitHub models in their tier: catalog first, then by id', () => {
    assert.equal(githubTierOf('openai/gpt-4o-mini'), 'low');
    assert.equal(githubTierOf('mistral-ai/codestral-2501'), 'low');
    assert.equal(githubTierOf('openai/gpt-4o'), 'high');
    assert.equal(githubTierOf('meta/meta-llama-3.1-405b-instruct'), 'high');
    assert.equal(githubTierOf('some/new-model'), 'high', 'unknown models get the stricter tier');
    assert.equal(githubTierOf('some/new-model', 'low'), 'low');
    assert.equal(githubTierOf('openai/o3-mini', 'custom'), 'reasoning-mini');
    assert.equal(githubTierOf('openai/gpt-5'), 'reasoning');
    assert.equal(githubTierOf('deepseek/DeepSeek-R1'), 'deepseek-r1');
  });

  it('uses the free-tier numbers of the Copilot plan', () => {
    const free = settingsFrom({ provider: 'github-models' });
    assert.deepEqual(paceLimitsFor(gh('openai/gpt-4o-mini'), free), { requestsPerMinute: 15, requestsPerDay: 150, concurrent: 5 });
    assert.deepEqual(paceLimitsFor(gh('openai/gpt-4o'), free), { requestsPerMinute: 10, requestsPerDay: 50, concurrent: 2 });
    const business = settingsFrom({ provider: 'github-models', githubModels: { plan: 'business' } });
    assert.deepEqual(paceLimitsFor(gh('openai/gpt-4o'), business), { requestsPerMinute: 10, requestsPerDay: 100, concurrent: 2 });
    const enterprise = settingsFrom({ provider: 'github-models', githubModels: { plan: 'enterprise' } });
    assert.deepEqual(paceLimitsFor(gh('openai/gpt-4o-mini'), enterprise), { requestsPerMinute: 20, requestsPerDay: 450, concurrent: 8 });
    assert.deepEqual(paceLimitsFor(gh('deepseek/deepseek-r1'), enterprise), { requestsPerMinute: 2, requestsPerDay: 12, concurrent: 1 });
    assert.deepEqual(githubRequestCaps('openai/gpt-4o', 'enterprise'), { maxInputTokens: 16000, maxOutputTokens: 8000 });
    assert.deepEqual(githubRequestCaps('openai/gpt-4o-mini', 'free'), { maxInputTokens: 8000, maxOutputTokens: 4000 });
  });

  it('applies overrides by tier name, then model id, then provider:model', () => {
    const s = settingsFrom({
      provider: 'github-models',
      rateLimits: { overrides: { low: { requestsPerMinute: 5 }, 'openai/gpt-4o-mini': { concurrent: 1 }, 'github-models:openai/gpt-4o-mini': { requestsPerDay: 9 } } },
    });
    assert.deepEqual(paceLimitsFor(gh('OpenAI/GPT-4o-mini'), s), { requestsPerMinute: 5, requestsPerDay: 9, concurrent: 1 });
  });

  it('paces other providers only when the user sets limits', () => {
    const s = settingsFrom({ provider: 'openai', rateLimits: { overrides: { 'gpt-4o': { requestsPerMinute: 60 } } } });
    assert.deepEqual(paceLimitsFor({ provider: 'openai', model: 'gpt-4.1' }, s), {});
    assert.deepEqual(paceLimitsFor({ provider: 'openai', model: 'gpt-4o' }, s), { requestsPerMinute: 60 });
  });
});

describe('rate limits, once per settings', () => {
  it('the same settings give the same frozen limits; edited overrides and a new catalog tier apply at once', () => {
    const target = { provider: 'openai' as const, model: 'gpt-4o-mini' };
    const none = settingsFrom({ provider: 'openai' });
    assert.equal(paceLimitsFor(target, none), paceLimitsFor(target, none));
    assert.ok(Object.isFrozen(paceLimitsFor(target, none)));
    assert.equal(userSetLimits(target, none), false);
    const edited = settingsFrom({ provider: 'openai', rateLimits: { overrides: { 'gpt-4o-mini': { requestsPerMinute: 3 } } } });
    assert.equal(paceLimitsFor(target, edited).requestsPerMinute, 3);
    assert.equal(userSetLimits(target, edited), true);
    const byTier = settingsFrom({ provider: 'openai', rateLimits: { overrides: { fast: { requestsPerMinute: 7 } } } });
    assert.equal(paceLimitsFor(target, byTier).requestsPerMinute, undefined);
    assert.equal(paceLimitsFor(target, byTier, 'fast').requestsPerMinute, 7, 'a tier the catalog names later is its own entry');
    assert.equal(userSetLimits(target, byTier, 'fast'), true);
  });
});
