import assert from 'node:assert/strict';
import { parseSettings, DEFAULT_SETTINGS } from '../../src/core/settings';

/**
 * The defaults, written out: the values the README's settings table promises. Not compared with
 * DEFAULT_SETTINGS, which is parsed from {} as well and so would agree with any default.
 */
const DOCUMENTED_DEFAULTS = {
  provider: 'openai',
  endpoints: {},
  customHeaders: {},
  githubModels: { plan: 'free' },
  models: {},
  retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000, maxServerWaitSeconds: 60 },
  breaker: { failureThreshold: 5, cooldownSeconds: 60, halfOpenMaxCalls: 3 },
  rateLimits: { pacing: true, overrides: {} },
  reasoningEffort: {},
  maxOutputTokens: { generate: 2000, review: 2000, explain: 1000, optimize: 1500, document: 1500, test: 1000, fix: 2000, prompt: 2000 },
  maxConcurrentRequests: 5,
  requestTimeoutSeconds: 120,
  cache: {
    enabled: true,
    ttlMinutes: { default: 60, document: 120, explain: 60, generate: 30 },
    memoryMaxEntries: 500,
    memoryMaxMB: 32,
    diskMaxMB: 200,
  },
  budgets: { warnAt: 0.8, throttleAt: 0.95, stopAt: 1 },
  prices: {},
  ledger: { retentionDays: 90, fsync: true },
  security: { secretScan: 'ask', maxFileKB: 256 },
  network: {},
  audit: { includeContent: false, retentionDays: 90, maxFileMB: 10 },
  allowedModels: [],
  instructions: { enabled: true, maxTokens: 2000 },
  prompts: { userFolder: '' },
  team: { redisUrl: '', name: 'default', budgets: {}, cacheMaxMB: 256 },
  telemetry: { otlpEndpoint: '' },
};

describe('settings', () => {
  it('fills every default from an empty object', () => {
    const { settings, problems } = parseSettings({});
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, DOCUMENTED_DEFAULTS);
  });

  it('DEFAULT_SETTINGS, used when the settings cannot be read at all, holds the same values', () => {
    assert.deepEqual(DEFAULT_SETTINGS, DOCUMENTED_DEFAULTS);
  });

  it('keeps the defaults beside a value the user set in the same object', () => {
    // Settings UIs write only the key that was changed, e.g. one task's TTL or one budget.
    const { settings } = parseSettings({ cache: { ttlMinutes: { explain: 10, review: 5 } }, budgets: { dailyUsd: 5 } });
    assert.deepEqual(settings.cache.ttlMinutes, { default: 60, document: 120, explain: 10, generate: 30, review: 5 });
    assert.deepEqual(settings.budgets, { dailyUsd: 5, warnAt: 0.8, throttleAt: 0.95, stopAt: 1 });
  });

  it('drops an invalid value, names the setting and keeps the valid ones', () => {
    const { settings, problems } = parseSettings({
      provider: 'nonsense',
      budgets: { dailyUsd: -3, monthlyUsd: 40 },
      retry: { maxAttempts: 2 },
    });
    assert.deepEqual(
      problems.map((p) => p.setting).sort(),
      ['aurelis.budgets.dailyUsd', 'aurelis.provider'],
    );
    assert.equal(settings.provider, 'openai');
    assert.equal(settings.budgets.dailyUsd, undefined);
    assert.equal(settings.budgets.monthlyUsd, 40);
    assert.equal(settings.retry.maxAttempts, 2);
  });

  it('passes over the retired general and refactor tasks in a per-task setting, keeping the rest', () => {
    const { settings, problems } = parseSettings({ reasoningEffort: { review: 'high', general: 'low', refactor: 'medium' } });
    assert.deepEqual(problems, []);
    assert.equal(settings.reasoningEffort.review, 'high');
    assert.equal(parseSettings({ reasoningEffort: { reveiw: 'high' } }).problems.length, 1, 'a misspelt task is still reported');
  });

  it('rejects an endpoint that is not a URL', () => {
    const { settings, problems } = parseSettings({ endpoints: { custom: 'not a url', ollama: 'http://127.0.0.1:11434/v1' } });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.setting, 'aurelis.endpoints.custom');
    assert.equal(settings.endpoints.ollama, 'http://127.0.0.1:11434/v1');
  });
});
