import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheKey, normaliseWhitespace } from '../../src/core/cache/cacheKey';
import { TieredResponseCache } from '../../src/core/cache/responseCache';
import type { CachedAnswer, ModelTarget } from '../../src/core/pipeline';
import type { TaskRequest } from '../../src/core/types';
import { FakeClock, liveSettings, useTempDir } from './helpers/usage';

const T0 = Date.UTC(2025, 2, 10, 12);
const MIN = 60_000;
const target: ModelTarget = { provider: 'openai', model: 'gpt-4o' };
const base: TaskRequest = {
  task: 'generate',
  prompt: 'def add(a, b):\n    return a + b\n',
  systemPrompt: 'You are a careful engineer.',
  messages: [{ role: 'user', content: 'Add type hints.' }],
  temperature: 0.2,
  maxTokens: 800,
  responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { code: { type: 'string' } } } },
  metadata: { language: 'python', framework: 'django', style: 'pep8', file: 'app/math.py' },
};

function answer(content = 'def add(a: int, b: int) -> int:\n    return a + b\n', storedAt = T0): CachedAnswer {
  return { content, provider: 'openai', model: 'gpt-4o', usage: { promptTokens: 40, completionTokens: 20, cachedTokens: 0, estimated: false }, finishReason: 'stop', storedAt };
}

describe('cache key', () => {
  const key = cacheKey(base, target);
  const changed: Array<[string, TaskRequest, ModelTarget?]> = [
    ['provider', base, { provider: 'openrouter', model: 'gpt-4o' }],
    ['model', base, { provider: 'openai', model: 'gpt-4o-mini' }],
    ['task', { ...base, task: 'review' }],
    ['prompt', { ...base, prompt: 'def sub(a, b):\n    return a - b\n' }],
    ['prompt indentation', { ...base, prompt: 'def add(a, b):\n  return a + b\n' }],
    ['system prompt', { ...base, systemPrompt: 'You are terse.' }],
    ['system prompt added', { ...base, systemPrompt: undefined }],
    ['messages', { ...base, messages: [{ role: 'user', content: 'Add docstrings.' }] }],
    ['message role', { ...base, messages: [{ role: 'system', content: 'Add type hints.' }] }],
    ['temperature', { ...base, temperature: 0.3 }],
    ['temperature unset', { ...base, temperature: undefined }],
    ['max tokens', { ...base, maxTokens: 801 }],
    ['response format', { ...base, responseFormat: { type: 'json_object' } }],
    ['response schema', { ...base, responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } }],
    ['language', { ...base, metadata: { ...base.metadata, language: 'python3' } }],
    ['framework', { ...base, metadata: { ...base.metadata, framework: 'flask' } }],
    ['style', { ...base, metadata: { ...base.metadata, style: 'google' } }],
  ];
  for (const [what, request, t] of changed) {
    it(`changes with the ${what}`, () => {
      assert.notEqual(cacheKey(request, t ?? target), key);
    });
  }

  it('ignores whitespace noise, key order, streaming, the file path and request flags', () => {
    const same: TaskRequest[] = [
      { ...base, prompt: '\r\n\r\ndef add(a, b):   \r\n    return a + b\r\n\r\n\r\n' },
      { ...base, systemPrompt: 'You are a careful engineer.  \n\n' },
      { ...base, stream: true, bypassCache: true, budgetOverride: true },
      { ...base, metadata: { ...base.metadata, file: 'other/place.py' } },
      { ...base, responseFormat: { schema: { properties: { code: { type: 'string' } }, type: 'object' }, name: 'answer', type: 'json_schema' } },
    ];
    for (const r of same) assert.equal(cacheKey(r, target), key);
  });

  it('keeps indentation and single blank lines when normalising', () => {
    assert.equal(normaliseWhitespace('\n\n  a  \r\n\r\n\r\n\tb\t\n\n'), '  a\n\n\tb');
  });
});

describe('TieredResponseCache', () => {
  const tmp = useTempDir();
  const cacheDir = () => path.join(tmp.path, 'cache');
  const settings = liveSettings();
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock(T0);
    settings.set((s) => {
      s.cache = structuredClone(liveSettings().get().cache);
    });
  });
  const open = () => new TieredResponseCache({ storageDir: tmp.path, settings: settings.get, clock });

  it('misses, then hits from memory, counting both', async () => {
    const cache = open();
    assert.equal(await cache.get(base, target), undefined);
    await cache.set(base, target, answer());
    assert.deepEqual(await cache.get(base, target), answer());
    assert.equal(await cache.get({ ...base, temperature: 0.9 }, target), undefined);
    const s = cache.stats();
    assert.deepEqual([s.hits, s.misses, s.memoryHits, s.diskHits, s.memoryEntries, s.diskEntries], [1, 2, 1, 0, 1, 1]);
  });

  it('survives a restart through the disk layer', async () => {
    await open().set(base, target, answer());
    const again = open();
    assert.deepEqual(await again.get(base, target), answer());
    assert.equal(again.stats().diskHits, 1);
    assert.deepEqual(await again.get(base, target), answer());
    assert.equal(again.stats().memoryHits, 1);
  });

  it('expires answers after their task TTL, in memory and on disk', async () => {
    const cache = open();
    await cache.set(base, target, answer());
    await cache.set({ ...base, task: 'document' }, target, answer());
    clock.ms = T0 + 30 * MIN - 1;
    assert.ok(await cache.get(base, target));
    clock.ms = T0 + 30 * MIN;
    assert.equal(await cache.get(base, target), undefined, 'generate lives 30 minutes');
    assert.ok(await cache.get({ ...base, task: 'document' }, target), 'document lives 2 hours');
    assert.ok(!existsSync(path.join(cacheDir(), `${cacheKey(base, target)}.json`)));
    clock.ms = T0 + 120 * MIN;
    assert.equal(await open().get({ ...base, task: 'document' }, target), undefined);
  });

  it('keeps explanations and unlisted tasks for the default hour, in memory and on disk', async () => {
    const explain: TaskRequest = { ...base, task: 'explain' };
    const fix: TaskRequest = { ...base, task: 'fix' };
    const cache = open();
    await cache.set(explain, target, answer());
    await cache.set(fix, target, answer());
    clock.ms = T0 + 59 * MIN;
    assert.ok(await cache.get(explain, target));
    assert.ok(await cache.get(fix, target));
    // A new instance has only the disk to go by: the same TTL must apply there.
    assert.ok(await open().get(explain, target));
    assert.ok(await open().get(fix, target));
    clock.ms = T0 + 60 * MIN;
    assert.equal(await open().get(explain, target), undefined, 'explain lives 60 minutes');
    assert.equal(await open().get(fix, target), undefined, 'fix is not listed, so it takes the default of 60 minutes');
    assert.equal(await cache.get(explain, target), undefined);
    assert.equal(await cache.get(fix, target), undefined);
  });

  it('applies a changed TTL to answers already stored', async () => {
    const cache = open();
    await cache.set({ ...base, task: 'review' }, target, answer());
    clock.ms = T0 + 50 * MIN;
    assert.ok(await cache.get({ ...base, task: 'review' }, target), 'review uses the default of 60 minutes');
    settings.set((s) => {
      s.cache.ttlMinutes.review = 45;
    });
    assert.equal(await cache.get({ ...base, task: 'review' }, target), undefined);
  });

  it('treats corrupt and half-written entries as misses and removes them', async () => {
    await open().set(base, target, answer());
    const file = path.join(cacheDir(), `${cacheKey(base, target)}.json`);
    const whole = readFileSync(file, 'utf8');
    for (const bad of [whole.slice(0, whole.length / 2), 'garbage', '{"v":1}', whole.replace(/"key":"[0-9a-f]+"/, `"key":"${'0'.repeat(64)}"`), '']) {
      writeFileSync(file, bad);
      const cache = open();
      assert.equal(await cache.get(base, target), undefined);
      assert.ok(!existsSync(file), `kept ${JSON.stringify(bad.slice(0, 20))}`);
      await cache.set(base, target, answer());
    }
  });

  it('sweeps temporary files left by a crash, but not one being written', async () => {
    const cache = open();
    await cache.set(base, target, answer());
    const stale = path.join(cacheDir(), `${'a'.repeat(64)}.123.abcd.tmp`);
    const live = path.join(cacheDir(), `${'b'.repeat(64)}.456.ef01.tmp`);
    writeFileSync(stale, '{"v":1,');
    writeFileSync(live, '{"v":1,');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(stale, old, old);
    await open().set({ ...base, task: 'fix' }, target, answer());
    assert.ok(!existsSync(stale));
    assert.ok(existsSync(live));
  });

  it('keeps the disk folder under its size limit, removing the oldest first', async () => {
    const big = (i: number) => answer(`${i}:`.padEnd(3000, 'x'));
    settings.set((s) => {
      s.cache.diskMaxMB = 10_000 / (1024 * 1024);
    });
    const cache = open();
    for (let i = 0; i < 6; i++) await cache.set({ ...base, prompt: `p${i}` }, target, big(i));
    const files = readdirSync(cacheDir());
    const total = files.reduce((sum, f) => sum + statSync(path.join(cacheDir(), f)).size, 0);
    assert.ok(total <= 10_000, `${total} bytes on disk`);
    assert.equal(files.length, 3);
    const fresh = open();
    assert.equal(await fresh.get({ ...base, prompt: 'p0' }, target), undefined);
    assert.ok(await fresh.get({ ...base, prompt: 'p5' }, target));
  });

  it('bounds memory by entries and falls back to disk for the evicted', async () => {
    settings.set((s) => {
      s.cache.memoryMaxEntries = 2;
    });
    const cache = open();
    for (let i = 0; i < 3; i++) await cache.set({ ...base, prompt: `p${i}` }, target, answer());
    assert.equal(cache.stats().memoryEntries, 2);
    assert.ok(await cache.get({ ...base, prompt: 'p0' }, target));
    assert.equal(cache.stats().diskHits, 1);
    settings.set((s) => {
      s.cache.memoryMaxEntries = 1;
    });
    assert.ok(await cache.get({ ...base, prompt: 'p0' }, target));
    assert.equal(cache.stats().memoryEntries, 1);
    assert.equal(cache.stats().memoryHits, 1, 'the most recent answer survived the smaller limit');
  });

  it('bounds memory by bytes', async () => {
    settings.set((s) => {
      s.cache.memoryMaxMB = 20_000 / (1024 * 1024);
    });
    const cache = open();
    for (let i = 0; i < 5; i++) await cache.set({ ...base, prompt: `p${i}` }, target, answer('y'.repeat(4000)));
    assert.ok(cache.stats().memoryBytes <= 20_000);
    assert.equal(cache.stats().memoryEntries, 2);
  });

  it('clears memory and disk, across windows, and reports entries and bytes', async () => {
    const a = open();
    const b = open();
    await a.set({ ...base, prompt: 'one' }, target, answer());
    await a.set({ ...base, prompt: 'two' }, target, answer());
    await b.set({ ...base, prompt: 'three' }, target, answer());
    // Too big for the disk limit: kept in memory only.
    settings.set((s) => {
      s.cache.diskMaxMB = 1000 / (1024 * 1024);
    });
    await a.set({ ...base, prompt: 'four' }, target, answer('z'.repeat(2000)));
    const onDisk = readdirSync(cacheDir()).reduce((sum, f) => sum + statSync(path.join(cacheDir(), f)).size, 0);
    const result = await a.clear();
    assert.equal(result.entries, 4);
    assert.ok(result.bytes > onDisk, 'includes the memory-only answer');
    assert.deepEqual(readdirSync(cacheDir()), []);
    assert.equal(await a.get({ ...base, prompt: 'one' }, target), undefined);
    assert.deepEqual(await open().clear(), { entries: 0, bytes: 0 });
  });

  it('skips the lookup on "regenerate" and does nothing when turned off', async () => {
    const cache = open();
    await cache.set(base, target, answer());
    assert.equal(await cache.get({ ...base, bypassCache: true }, target), undefined);
    assert.equal(cache.stats().bypassed, 1);
    settings.set((s) => {
      s.cache.enabled = false;
    });
    assert.equal(await cache.get(base, target), undefined);
    await cache.set({ ...base, prompt: 'new' }, target, answer());
    assert.deepEqual([cache.stats().hits, cache.stats().misses, cache.stats().diskEntries], [0, 0, 1]);
  });

  it('never throws when the disk refuses, and keeps serving from memory', async () => {
    const blocked = path.join(tmp.path, 'not-a-folder');
    writeFileSync(blocked, 'x');
    const cache = new TieredResponseCache({ storageDir: blocked, settings: settings.get, clock });
    await cache.set(base, target, answer());
    assert.deepEqual(await cache.get(base, target), answer());
    assert.equal(await cache.get({ ...base, prompt: 'other' }, target), undefined);
  });
});
