import assert from 'node:assert/strict';
import { fullJitterDelay, serverWaitMs } from '../../../src/core/resilience/backoff';

const policy = { baseDelayMs: 500, maxDelayMs: 20_000 };
const headers = (h: Record<string, string>) => new Headers(h);

describe('backoff: full jitter with a cap', () => {
  it('draws from [0, base·2^attempt) and never beyond the cap', () => {
    assert.equal(fullJitterDelay(0, policy, () => 0), 0);
    assert.equal(fullJitterDelay(0, policy, () => 0.999), 499);
    assert.equal(fullJitterDelay(1, policy, () => 0.5), 500);
    assert.equal(fullJitterDelay(3, policy, () => 0.5), 2000);
    // 500·2^10 = 512 000 ms, capped at 20 000.
    assert.equal(fullJitterDelay(10, policy, () => 0.999), 19_980);
    assert.equal(fullJitterDelay(10, policy, () => 0), 0);
  });

  it('spreads retries: different random draws give different waits', () => {
    const draws = [0.1, 0.4, 0.9].map((r) => fullJitterDelay(4, policy, () => r));
    assert.deepEqual(draws, [800, 3200, 7200]);
  });
});

describe('backoff: the server says how long', () => {
  const now = Date.UTC(2026, 0, 1);

  it('reads retry-after-ms first (most precise)', () => {
    assert.equal(serverWaitMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9', 'x-ratelimit-timeremaining': '7' }), undefined, now), 1500);
  });

  it('then x-ratelimit-timeremaining (seconds), which GitHub’s CLI prefers to retry-after', () => {
    assert.equal(serverWaitMs(headers({ 'retry-after': '9', 'x-ratelimit-timeremaining': '7' }), undefined, now), 7000);
  });

  it('then retry-after in seconds or as an HTTP date', () => {
    assert.equal(serverWaitMs(headers({ 'retry-after': '3' }), undefined, now), 3000);
    assert.equal(serverWaitMs(headers({ 'retry-after': new Date(now + 42_000).toUTCString() }), undefined, now), 42_000);
  });

  it('then GitHub’s body text "Please wait N seconds", and undefined when nothing says', () => {
    const text = 'Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying.';
    assert.equal(serverWaitMs(headers({}), text, now), 5_631_000);
    assert.equal(serverWaitMs(headers({}), 'busy', now), undefined);
    assert.equal(serverWaitMs(undefined, undefined, now), undefined);
  });

  it('ignores values that are not a wait', () => {
    assert.equal(serverWaitMs(headers({ 'retry-after-ms': '-5', 'retry-after': 'soon' }), undefined, now), undefined);
  });
});
