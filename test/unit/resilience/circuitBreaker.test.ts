import assert from 'node:assert/strict';
import { CircuitBreakers } from '../../../src/core/resilience/circuitBreaker';

describe('CircuitBreaker', () => {
  const target = { provider: 'openai' as const, model: 'gpt-4o' };
  let now: number;
  let thresholds: { failureThreshold: number; cooldownSeconds: number; halfOpenMaxCalls: number };
  let breakers: CircuitBreakers;
  beforeEach(() => {
    now = 1_000_000;
    thresholds = { failureThreshold: 5, cooldownSeconds: 60, halfOpenMaxCalls: 3 };
    breakers = new CircuitBreakers({ now: () => now }, () => thresholds);
  });
  const state = () => breakers.snapshots()[0];

  it('opens after 5 consecutive failures, not 4', () => {
    for (let i = 0; i < 4; i++) breakers.recordFailure(target);
    assert.equal(state()?.state, 'closed');
    assert.equal(breakers.tryPass(target), true);
    breakers.recordFailure(target);
    assert.deepEqual(state(), { target, state: 'open', failures: 5, openedAt: now });
    assert.equal(breakers.tryPass(target), false);
    assert.equal(breakers.isBlocked(target), true);
  });

  it('a success resets the count of consecutive failures', () => {
    for (let i = 0; i < 4; i++) breakers.recordFailure(target);
    breakers.recordSuccess(target);
    for (let i = 0; i < 4; i++) breakers.recordFailure(target);
    assert.equal(state()?.state, 'closed');
  });

  it('turns half-open after the cooldown and lets at most 3 trial calls through', () => {
    for (let i = 0; i < 5; i++) breakers.recordFailure(target);
    now += 59_999;
    assert.equal(state()?.state, 'open');
    now += 1;
    assert.equal(state()?.state, 'half-open');
    assert.equal(breakers.tryPass(target), true);
    assert.equal(breakers.tryPass(target), true);
    assert.equal(breakers.tryPass(target), true);
    assert.equal(breakers.tryPass(target), false);
    assert.equal(breakers.isBlocked(target), true);
  });

  it('closes on a successful trial', () => {
    for (let i = 0; i < 5; i++) breakers.recordFailure(target);
    now += 60_000;
    assert.equal(breakers.tryPass(target), true);
    breakers.recordSuccess(target);
    assert.deepEqual(state(), { target, state: 'closed', failures: 0 });
  });

  it('a failed trial opens it again for a fresh cooldown', () => {
    for (let i = 0; i < 5; i++) breakers.recordFailure(target);
    now += 60_000;
    assert.equal(breakers.tryPass(target), true);
    breakers.recordFailure(target);
    assert.equal(state()?.state, 'open');
    assert.equal(state()?.openedAt, now);
    now += 30_000;
    assert.equal(breakers.tryPass(target), false);
  });

  it('a trial that says nothing about health (a 4xx) gives its trial back', () => {
    thresholds.halfOpenMaxCalls = 1;
    for (let i = 0; i < 5; i++) breakers.recordFailure(target);
    now += 60_000;
    assert.equal(breakers.tryPass(target), true);
    breakers.recordNeutral(target);
    assert.equal(breakers.tryPass(target), true);
  });

  it('reads thresholds live from settings', () => {
    thresholds.failureThreshold = 2;
    breakers.recordFailure(target);
    breakers.recordFailure(target);
    assert.equal(state()?.state, 'open');
    thresholds.cooldownSeconds = 5;
    now += 5_000;
    assert.equal(state()?.state, 'half-open');
  });

  it('keeps one breaker per (provider, model), model ids compared case-insensitively', () => {
    for (let i = 0; i < 5; i++) breakers.recordFailure({ provider: 'openai', model: 'GPT-4o' });
    assert.equal(breakers.isBlocked(target), true);
    assert.equal(breakers.isBlocked({ provider: 'openrouter', model: 'gpt-4o' }), false);
  });
});
