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
    await quota.ready();
    const target = { provider: 'github-models' as const, model: 'openai/gpt-4o' };
    const saves = new Set(Array.from({ length: 50 }, () => quota.recordRequest(target)));
    assert.equal(quota.count(target), 50, 'counted before anything is on disk');
    assert.ok(saves.size <= 2, `${saves.size} saves for one burst`);
    await quota.flush();
    const file = JSON.parse(readFileSync(path.join(dir, QUOTA_FILE), 'utf8')) as { counts: Record<string, number> };
    assert.equal(file.counts['github-models:openai/gpt-4o'], 50);
  });
});
