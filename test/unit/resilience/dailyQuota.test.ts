import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../src/core/host';
import { DailyQuota, QUOTA_FILE } from '../../../src/core/resilience/dailyQuota';

describe('DailyQuota saves', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'aurelis-quota-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts at once in memory, and a burst of requests shares a save instead of writing once each', async () => {
    const quota = new DailyQuota(dir, { now: () => Date.UTC(2026, 4, 4, 10) }, silentLogger);
    const loading = quota.ready();
    assert.equal(quota.ready(), loading, 'a second caller waits for the same read');
    await loading;
    assert.equal(quota.ready(), undefined, 'once read, there is nothing to wait for');
    const target = { provider: 'github-models' as const, model: 'openai/gpt-4o' };
    const saves = new Set(Array.from({ length: 50 }, () => quota.recordRequest(target)));
    assert.equal(quota.count(target), 50, 'counted before anything is on disk');
    assert.ok(saves.size <= 2, `${saves.size} saves for one burst`);
    await quota.flush();
    const file = JSON.parse(readFileSync(path.join(dir, QUOTA_FILE), 'utf8')) as { counts: Record<string, number> };
    assert.equal(file.counts['github-models:openai/gpt-4o'], 50);
  });

  it('starts over exactly at UTC midnight, and again when the clock is set back a day', async () => {
    let now = Date.UTC(2026, 4, 4, 23, 59, 59, 999);
    const quota = new DailyQuota(dir, { now: () => now }, silentLogger);
    const target = { provider: 'openai' as const, model: 'gpt-4o-mini' };
    void quota.recordRequest(target);
    void quota.recordRequest(target);
    assert.equal(quota.count(target), 2);
    now = Date.UTC(2026, 4, 5);
    assert.equal(quota.count(target), 0, 'a new UTC day');
    void quota.recordRequest(target);
    now = Date.UTC(2026, 4, 5, 23, 59, 59, 999);
    assert.equal(quota.count(target), 1, 'still the same day');
    now = Date.UTC(2026, 4, 4, 12);
    assert.equal(quota.count(target), 0, 'the clock went back to another day');
    await quota.flush();
  });
});
