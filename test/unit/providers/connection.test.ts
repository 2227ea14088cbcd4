import assert from 'node:assert/strict';
import { MemoryKeyStore } from '../../../src/core/host';
import { resolveConnection } from '../../../src/core/providers/connection';
import { settingsFrom } from '../orchestrator/harness';

describe('connections, once per settings and key', () => {
  it('the same settings and key give the same connection; a new key, key source or settings give a new one at once', async () => {
    const keys = new MemoryKeyStore();
    await keys.set('openai', 'sk-first');
    const settings = settingsFrom({ provider: 'openai' });
    const sources = { settings, keys, env: {} };
    const first = await resolveConnection('openai', sources);
    assert.equal(await resolveConnection('openai', sources), first);
    assert.ok(Object.isFrozen(first));
    assert.equal(first.apiKey, 'sk-first');
    assert.equal(first.keySource, 'secret_storage');

    await keys.set('openai', 'sk-second');
    const second = await resolveConnection('openai', sources);
    assert.equal(second.apiKey, 'sk-second', 'a changed key applies to the next request');

    await keys.delete('openai');
    const fromEnv = await resolveConnection('openai', { ...sources, env: { OPENAI_API_KEY: 'sk-second' } });
    assert.equal(fromEnv.keySource, 'environment', 'the same key from another source is another connection');
    assert.equal(fromEnv.keyVariable, 'OPENAI_API_KEY');

    const moved = await resolveConnection('openai', { ...sources, settings: settingsFrom({ provider: 'openai', endpoints: { openai: 'http://127.0.0.1:9/v1' } }), env: { OPENAI_API_KEY: 'sk-second' } });
    assert.equal(moved.baseUrl, 'http://127.0.0.1:9/v1', 'an edited endpoint applies at once');
  });
});
