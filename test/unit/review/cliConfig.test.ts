import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSettings } from '../../../src/cli/cliSettings';
import { PROJECT_TEMPLATE } from '../../../src/cli/commands/init';
import { describeError } from '../../../src/cli/errorText';
import { AurelisError } from '../../../src/core/errors';
import { parseSince } from '../../../src/cli/commands/maintenance';
import { parsePeriod } from '../../../src/cli/commands/usage';
import { parseFileSpan } from '../../../src/cli/commands/explain';
import { parseProjectText } from '../../../src/cli/projectFile';

describe('command line configuration', () => {
  it('maps .aurelis.yaml onto the core settings', () => {
    const config = parseProjectText(
      ['provider: openrouter', 'models:', '  review: [a, b]', '  explain: c', 'processing:', '  max_concurrent: 3', '  max_retries: 1', '  timeout: 30', '  chunk_size: 2000', 'cost_management:', '  daily_budget: 2.5', 'security:', '  secret_scan: redact'].join('\n'),
      '/p/.aurelis.yaml',
    );
    const { settings, chunkTokens } = buildSettings(config, {}, {});
    assert.equal(settings.provider, 'openrouter');
    assert.deepEqual(settings.models.review, ['a', 'b']);
    assert.deepEqual(settings.models.explain, ['c']);
    assert.equal(settings.maxConcurrentRequests, 3);
    assert.equal(settings.retry.maxAttempts, 2);
    assert.equal(settings.requestTimeoutSeconds, 30);
    assert.equal(settings.budgets.dailyUsd, 2.5);
    assert.equal(settings.security.secretScan, 'redact');
    assert.equal(chunkTokens, 2000);
  });

  it('prices from the file reach the settings; core messages use command-line words', () => {
    const config = parseProjectText('prices:\n  my-model: { input: 1, output: 2 }\n', '/p/.aurelis.yaml');
    assert.deepEqual(buildSettings(config, {}, {}).settings.prices['my-model'], { input: 1, output: 2 });
    const auth = new AurelisError('auth', 'GitHub Models refused the key (HTTP 401). Run "Aurelis: Set API Key" with such a token.', { provider: 'github-models' });
    assert.equal(describeError(auth), 'GitHub Models refused the key (HTTP 401). Set AURELIS_API_KEY or GITHUB_TOKEN to such a token.');
    assert.match(describeError(new AurelisError('unknown_model', 'Choose a model ("Aurelis: Models") or fix the id in aurelis.models.')), /\(aurelis models\) or fix the id in models in \.aurelis\.yaml/);
    assert.match(describeError(new AurelisError('no_key', 'x', { provider: 'openrouter' })), /^No API key for OpenRouter: set AURELIS_API_KEY or OPENROUTER_API_KEY in the environment/);
  });

  it('"ask" is "block" without anybody to ask, unless --secrets says redact', () => {
    assert.equal(buildSettings({ security: { secret_scan: 'ask' } }, {}, {}).settings.security.secretScan, 'block');
    assert.equal(buildSettings({}, {}, {}).settings.security.secretScan, 'block');
    assert.equal(buildSettings({ security: { secret_scan: 'ask' } }, {}, { secrets: 'redact' }).settings.security.secretScan, 'redact');
  });

  it('flags win over the environment, which wins over the file; --model replaces every chain', () => {
    const { settings } = buildSettings({ provider: 'openai', base_url: 'http://127.0.0.1:1/v1' }, { AURELIS_PROVIDER: 'custom', AURELIS_BASE_URL: 'http://127.0.0.1:2/v1' }, { baseUrl: 'http://127.0.0.1:3/v1', model: 'm' });
    assert.equal(settings.provider, 'custom');
    assert.equal(settings.endpoints.custom, 'http://127.0.0.1:3/v1');
    assert.deepEqual(settings.models.generate, ['m']);
    assert.throws(() => buildSettings({}, { AURELIS_BASE_URL: 'not a url' }, {}), /AURELIS_BASE_URL: /);
  });

  it('names the line of a bad value, an unknown key and a YAML syntax error', () => {
    assert.throws(() => parseProjectText('cache:\n  enabled: true\n  ttl_minutes: -5\n', '/p/.aurelis.yaml'), /\.aurelis\.yaml line 3: "cache\.ttl_minutes"/);
    assert.throws(() => parseProjectText('review:\n  fail_on: error\n  failon: warning\n', '/p/.aurelis.yaml'), /line 3: "review\.failon" is not a setting/);
    assert.throws(() => parseProjectText('a: [1\n', '/p/.aurelis.yaml'), /\.aurelis\.yaml line \d+: /);
    assert.throws(() => parseProjectText('provider: openai\nprovider: ollama\n', '/p/.aurelis.yaml'), /line 2: /);
  });

  it('refuses keys under key-like names and key-shaped values anywhere, without repeating them', () => {
    const key = 'sk-proj-Zyx987wvu654tsr321qpo098nml765kji432';
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    for (const [text, secret] of [[`api_key: ${key}\n`, key], [`security:\n  openai_token: ${key}\n`, key], [`models:\n  review: [${token}]\n`, token]] as const) {
      assert.throws(
        () => parseProjectText(text, '/p/.aurelis.yaml'),
        (e: Error) => /looks like an API key/.test(e.message) && !e.message.includes(secret),
      );
    }
    assert.doesNotThrow(() => parseProjectText('security:\n  secret_scan: block\n', '/p/.aurelis.yaml'));
  });

  it("the README's example .aurelis.yaml and the one `aurelis init` writes are valid", () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const example = /```yaml\n(provider: openai {2,}#[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README has the example');
    const { settings } = buildSettings(parseProjectText(example, '/p/.aurelis.yaml'), {}, {});
    assert.equal(settings.budgets.dailyUsd, 5);
    assert.deepEqual(settings.models.review, ['gpt-4.1', 'gpt-4o-mini']);
    assert.doesNotThrow(() => buildSettings(parseProjectText(PROJECT_TEMPLATE, '/p/.aurelis.yaml'), {}, {}));
  });

  it('reads --since, --period and file:lines', () => {
    const now = new Date(2026, 10, 15, 12, 0).getTime();
    assert.equal(parseSince('2h', now), now - 7_200_000);
    assert.equal(parseSince('yesterday', now), new Date(2026, 10, 14).getTime());
    assert.equal(parseSince('2026-11-01', now), new Date(2026, 10, 1).getTime());
    assert.throws(() => parseSince('soon', now), /--since "soon"/);
    assert.deepEqual(parsePeriod('week'), { kind: 'last7Days' });
    assert.deepEqual(parsePeriod('2026-11-01..2026-11-30'), { kind: 'custom', from: new Date(2026, 10, 1).getTime(), to: new Date(2026, 11, 1).getTime() });
    assert.throws(() => parsePeriod('2026-11-30..2026-11-01'), /ends before it starts/);
    assert.throws(() => parsePeriod('2026-02-30..2026-03-01'), /--period/);
    assert.deepEqual(parseFileSpan('src/a.ts:10-42'), { file: 'src/a.ts', from: 10, to: 42 });
    assert.deepEqual(parseFileSpan('src/a.ts:7'), { file: 'src/a.ts', from: 7, to: 7 });
    assert.deepEqual(parseFileSpan('C:/x/a.ts'), { file: 'C:/x/a.ts' });
    assert.throws(() => parseFileSpan('a.ts:9-3'), /<from>-<to>/);
  });
});
