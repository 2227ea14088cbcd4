import assert from 'node:assert/strict';
import { LearnedPace } from '../../../src/core/resilience/learnedPace';
import { parseDuration, readRateHeaders } from '../../../src/core/resilience/rateHeaders';

const headers = (h: Record<string, string>) => new Headers(h);
const T = Date.UTC(2026, 4, 4, 10, 0, 0);

describe('rate limits the server announces', () => {
  it('reads OpenAI’s durations', () => {
    assert.equal(parseDuration('6m0s'), 360_000);
    assert.equal(parseDuration('12ms'), 12);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('1h2m3.5s'), 3_723_500);
    assert.equal(parseDuration('20'), 20_000);
    assert.equal(parseDuration('soon'), undefined);
  });

  it('reads OpenAI / Groq / LiteLLM headers, requests and tokens', () => {
    const read = readRateHeaders(
      headers({ 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '29000', 'x-ratelimit-reset-tokens': '2s' }),
      T,
    );
    assert.deepEqual(read, { requests: { limit: 500, remaining: 499, resetMs: 120 }, tokens: { limit: 30000, remaining: 29000, resetMs: 2000 } });
  });

  it('reads Anthropic’s headers (RFC 3339 reset times)', () => {
    const read = readRateHeaders(
      headers({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '10', 'anthropic-ratelimit-requests-reset': new Date(T + 30_000).toISOString(), 'anthropic-ratelimit-input-tokens-limit': '40000', 'anthropic-ratelimit-input-tokens-remaining': '39000', 'anthropic-ratelimit-input-tokens-reset': new Date(T + 1500).toISOString() }),
      T,
    );
    assert.deepEqual(read, { requests: { limit: 50, remaining: 10, resetMs: 30_000 }, tokens: { limit: 40000, remaining: 39000, resetMs: 1500 } });
  });

  it('nothing announced, or nonsense, is nothing learned', () => {
    assert.equal(readRateHeaders(headers({ 'content-type': 'application/json' }), T), undefined);
    assert.equal(readRateHeaders(headers({ 'x-ratelimit-limit-requests': 'lots', 'x-ratelimit-remaining-requests': '3' }), T), undefined);
  });
});

describe('LearnedPace', () => {
  const announce = (pace: LearnedPace, remaining: number, resetMs: number, now: number) => pace.observe({ requests: { limit: 60, remaining, resetMs } }, { requests: 0, tokens: 0 }, now);

  it('lets requests go while the bucket has room, then one per refill', () => {
    const pace = new LearnedPace();
    // 60 a minute, 58 left, full again in 2 s: one request refills every second.
    announce(pace, 1, 59_000, T);
    assert.equal(pace.waitNeeded(0, 0, T), 0);
    pace.sent(0, T);
    assert.equal(pace.waitNeeded(0, 0, T), 1000);
    assert.equal(pace.waitNeeded(0, 0, T + 1000), 0);
  });

  it('counts tokens against an announced token limit', () => {
    const pace = new LearnedPace();
    pace.observe({ tokens: { limit: 10_000, remaining: 3_000, resetMs: 7_000 } }, { requests: 0, tokens: 0 }, T);
    assert.equal(pace.waitNeeded(2_000, 0, T), 0);
    pace.sent(2_000, T);
    assert.equal(pace.waitNeeded(2_000, 0, T), 1000, '1,000 tokens short at 1,000 a second');
  });

  it('a 429 empties the bucket and slows the refill until the window would be full again', () => {
    const pace = new LearnedPace();
    announce(pace, 30, 30_000, T);
    pace.rateLimited(5_000, 1, T);
    assert.equal(pace.waitNeeded(0, 0, T + 4_999), 1);
    // Refill halved (1 per 2 s) once the asked-for wait is over.
    assert.equal(pace.waitNeeded(0, 0, T + 5_000), 2000);
  });

  it('a server that announces nothing: a 429 pauses the model, doubling while they keep coming', () => {
    const pace = new LearnedPace();
    pace.rateLimited(undefined, 4, T);
    assert.equal(pace.waitNeeded(0, 0, T), 1000);
    pace.rateLimited(undefined, 1, T + 1000);
    assert.equal(pace.waitNeeded(0, 0, T + 1000), 2000);
    pace.succeeded(T + 4000);
    pace.rateLimited(undefined, 1, T + 5000);
    assert.equal(pace.waitNeeded(0, 0, T + 5000), 60_000, 'one answer in the last minute: a minute per request');
  });

  it('a silent server’s pause is one request’s share of the minute, by the answers of the last minute', () => {
    const pace = new LearnedPace();
    for (let i = 0; i < 30; i++) pace.succeeded(T + i);
    pace.rateLimited(undefined, 1, T + 100);
    assert.equal(pace.waitNeeded(0, 0, T + 100), 2000, '30 answers a minute: one every 2 s');
  });

  it('capacity failures halve how many go at once; successes add one back', () => {
    const pace = new LearnedPace();
    pace.overloaded(8);
    assert.equal(pace.waitNeeded(0, 3, T), 0);
    assert.equal(pace.waitNeeded(0, 4, T), Infinity);
    pace.overloaded(4);
    assert.equal(pace.waitNeeded(0, 2, T), Infinity);
    pace.succeeded(T);
    pace.succeeded(T);
    assert.equal(pace.waitNeeded(0, 2, T), 0, 'two successes at two at once allow a third');
  });
});
