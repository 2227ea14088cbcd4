import assert from 'node:assert/strict';
import { ignoredWarning, mergeSetting, policyOf, type SettingPolicy } from '../../src/core/settingsPolicy';

/** The merged value of `key` when the user has `user` and the workspace `workspace`. */
function merge(key: string, user: unknown, workspace: unknown, policy: SettingPolicy = policyOf(key)) {
  return mergeSetting(key, policy, { user, workspace: [workspace] });
}

describe('settings policy: a workspace may only tighten', () => {
  const cases: { key: string; user: unknown; stricter: unknown; looser: unknown }[] = [
    { key: 'budgets.dailyUsd', user: 5, stricter: 2, looser: 10 },
    { key: 'budgets.weeklyUsd', user: 20, stricter: 20, looser: 21 },
    { key: 'budgets.monthlyUsd', user: 50, stricter: 0.5, looser: 500 },
    { key: 'budgets.dailyTokens', user: 50_000, stricter: 10_000, looser: 60_000 },
    { key: 'budgets.weeklyTokens', user: 100_000, stricter: 99_999, looser: 100_001 },
    { key: 'budgets.monthlyTokens', user: 1_000_000, stricter: 1, looser: 2_000_000 },
    { key: 'budgets.warnAt', user: 0.8, stricter: 0.5, looser: 0.9 },
    { key: 'budgets.throttleAt', user: 0.95, stricter: 0.9, looser: 0.99 },
    { key: 'budgets.stopAt', user: 1, stricter: 0.9, looser: 1.5 },
    { key: 'security.secretScan', user: 'ask', stricter: 'redact', looser: 'off' },
    { key: 'security.maxFileKB', user: 256, stricter: 64, looser: 4096 },
    { key: 'audit.includeContent', user: false, stricter: false, looser: true },
    { key: 'ledger.fsync', user: true, stricter: true, looser: false },
    { key: 'rateLimits.pacing', user: true, stricter: true, looser: false },
    { key: 'maxConcurrentRequests', user: 5, stricter: 2, looser: 20 },
  ];

  for (const { key, user, stricter, looser } of cases) {
    it(`${key}: a stricter workspace value is used, a looser one ignored and named`, () => {
      assert.equal(policyOf(key), 'tighten-only');
      assert.deepEqual(merge(key, user, stricter), { value: stricter });
      assert.deepEqual(merge(key, user, looser), { value: user, ignored: 'looser' });
    });
  }

  it('the secret scan orders off < ask < redact < block', () => {
    const order = ['off', 'ask', 'redact', 'block'];
    for (const [i, user] of order.entries()) {
      for (const [j, workspace] of order.entries()) {
        const merged = merge('security.secretScan', user, workspace);
        assert.equal(merged.value, j >= i ? workspace : user, `${user} vs ${workspace}`);
        assert.equal(merged.ignored, j >= i ? undefined : 'looser', `${user} vs ${workspace}`);
      }
    }
  });

  it('a workspace budget applies when the user has none (no limit is the loosest)', () => {
    assert.deepEqual(merge('budgets.dailyUsd', undefined, 3), { value: 3 });
    assert.deepEqual(merge('budgets.dailyUsd', null, 3), { value: 3 });
  });

  it('a workspace cannot remove a budget with null', () => {
    assert.deepEqual(merge('budgets.dailyUsd', 5, null), { value: 5, ignored: 'looser' });
    assert.deepEqual(merge('budgets.dailyUsd', null, null), { value: null });
  });

  it('an invalid workspace value is ignored (it would fall back to a looser default) and named', () => {
    assert.deepEqual(merge('budgets.dailyUsd', 5, -1), { value: 5, ignored: 'invalid' });
    assert.deepEqual(merge('budgets.dailyUsd', 5, 'cheap'), { value: 5, ignored: 'invalid' });
    assert.deepEqual(merge('security.secretScan', 'block', 'paranoid'), { value: 'block', ignored: 'invalid' });
    assert.deepEqual(merge('security.maxFileKB', 256, 0), { value: 256, ignored: 'invalid' });
    assert.deepEqual(merge('audit.includeContent', false, 'no'), { value: false, ignored: 'invalid' });
  });

  it('rate-limit overrides are tightened per model and per limit', () => {
    const user = { 'gpt-4o': { requestsPerMinute: 10, concurrent: 2 } };
    const workspace = { 'gpt-4o': { requestsPerMinute: 5, concurrent: 8 }, 'gpt-4.1': { requestsPerDay: 100 } };
    assert.deepEqual(merge('rateLimits.overrides', user, workspace), {
      value: { 'gpt-4o': { requestsPerMinute: 5, concurrent: 2 }, 'gpt-4.1': { requestsPerDay: 100 } },
      ignored: 'looser',
    });
    assert.deepEqual(merge('rateLimits.overrides', user, { 'gpt-4o': { concurrent: 1 } }), { value: { 'gpt-4o': { requestsPerMinute: 10, concurrent: 1 } } });
    assert.deepEqual(merge('rateLimits.overrides', user, { 'gpt-4o': { concurrent: -1 } }), { value: user, ignored: 'invalid' });
  });

  it('the folder level is merged after the workspace level, each only tightening', () => {
    assert.deepEqual(mergeSetting('budgets.dailyUsd', 'tighten-only', { user: 10, workspace: [5, 8] }), { value: 5, ignored: 'looser' });
    assert.deepEqual(mergeSetting('budgets.dailyUsd', 'tighten-only', { user: 10, workspace: [5, 3] }), { value: 3 });
    assert.deepEqual(mergeSetting('budgets.dailyUsd', 'tighten-only', { user: 10, workspace: [undefined, 3] }), { value: 3 });
  });
});

describe('settings policy: user-only and free settings', () => {
  it('where requests go, prices and retention are the user\'s alone', () => {
    for (const key of ['provider', 'endpoints.openai', 'endpoints.custom', 'customHeaders', 'githubModels.organization', 'githubModels.plan', 'prices', 'ledger.retentionDays', 'audit.retentionDays', 'audit.maxFileMB']) {
      assert.equal(policyOf(key), 'user-only', key);
    }
    assert.deepEqual(merge('prices', { 'gpt-4o': { input: 2.5, output: 10 } }, { 'gpt-4o': { input: 0, output: 0 } }), {
      value: { 'gpt-4o': { input: 2.5, output: 10 } },
      ignored: 'user-only',
    });
    assert.deepEqual(merge('provider', 'openai', 'custom'), { value: 'openai', ignored: 'user-only' });
  });

  it('an application- or machine-scoped setting is user-only whatever its name', () => {
    assert.equal(policyOf('models.explain', 'application'), 'user-only');
    assert.equal(policyOf('models.explain', 'machine'), 'user-only');
  });

  it('model chains, retries and the cache follow the workspace', () => {
    for (const key of ['models.explain', 'models.review', 'retry.maxAttempts', 'breaker.failureThreshold', 'requestTimeoutSeconds', 'cache.enabled']) {
      assert.equal(policyOf(key), 'free', key);
    }
    assert.deepEqual(merge('models.explain', [], ['gpt-4.1-mini']), { value: ['gpt-4.1-mini'] });
  });

  it('Restricted Mode reads every setting as user-only', () => {
    assert.deepEqual(merge('models.explain', ['gpt-4o'], ['evil'], 'user-only'), { value: ['gpt-4o'], ignored: 'user-only' });
    assert.deepEqual(merge('budgets.dailyUsd', 5, 1, 'user-only'), { value: 5, ignored: 'user-only' });
  });

  it('no workspace value: the user\'s value, nothing ignored', () => {
    assert.deepEqual(merge('security.secretScan', 'redact', undefined), { value: 'redact' });
    assert.deepEqual(merge('provider', 'openai', undefined), { value: 'openai' });
  });
});

describe('the warning about ignored workspace values', () => {
  it('names each value once, grouped by why', () => {
    const text = ignoredWarning(
      [
        { setting: 'aurelis.provider', reason: 'user-only' },
        { setting: 'aurelis.prices', reason: 'user-only' },
        { setting: 'aurelis.security.secretScan', reason: 'looser' },
        { setting: 'aurelis.budgets.dailyUsd', reason: 'invalid' },
      ],
      true,
    );
    assert.equal(
      text,
      "Aurelis ignores this workspace's values for aurelis.provider, aurelis.prices (only your user settings may set them, so a repository cannot change where your code and keys are sent); " +
        'aurelis.security.secretScan (looser than your own setting: a workspace may only make budgets and safety settings stricter); ' +
        'aurelis.budgets.dailyUsd (not a valid value; your own setting applies).',
    );
  });

  it('says Restricted Mode when the workspace is not trusted', () => {
    assert.equal(
      ignoredWarning([{ setting: 'aurelis.models.explain', reason: 'user-only' }], false),
      "Aurelis ignores this workspace's values for aurelis.models.explain: this workspace is in Restricted Mode, so only your user settings apply.",
    );
  });
});
