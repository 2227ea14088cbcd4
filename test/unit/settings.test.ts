import assert from 'node:assert/strict';
import { parseSettings, DEFAULT_SETTINGS } from '../../src/core/settings';

describe('settings', () => {
  it('fills every default from an empty object', () => {
    const { settings, problems } = parseSettings({});
    assert.deepEqual(problems, []);
    assert.equal(settings.provider, 'openai');
    assert.equal(settings.cache.ttlMinutes.document, 120);
    assert.equal(settings.budgets.warnAt, 0.8);
    assert.equal(settings.maxConcurrentRequests, 5);
    assert.deepEqual(settings, DEFAULT_SETTINGS);
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

  it('rejects an endpoint that is not a URL', () => {
    const { settings, problems } = parseSettings({ endpoints: { custom: 'not a url', ollama: 'http://127.0.0.1:11434/v1' } });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.setting, 'aurelis.endpoints.custom');
    assert.equal(settings.endpoints.ollama, 'http://127.0.0.1:11434/v1');
  });
});
