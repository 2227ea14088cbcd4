import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useCliFixture, TEST_KEY } from './support/setup';

describe('aurelis: configuration', () => {
  const t = useCliFixture();

  it('init writes a commented .aurelis.yaml that the other commands read, and will not overwrite it', async () => {
    const first = await t.run(['init']);
    assert.equal(first.code, 0, first.stderr);
    const text = readFileSync(path.join(t.dir, '.aurelis.yaml'), 'utf8');
    assert.match(text, /^# Aurelis project settings/m);
    assert.match(text, /chunk_size: 3500/);
    const status = await t.run(['auth', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`Config: +${path.join(t.dir, '.aurelis.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const again = await t.run(['init']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists.*--force/);
    assert.equal((await t.run(['init', '--force'])).code, 0);
  });

  it('auth status names the variable the key comes from, never the key', async () => {
    const r = await t.run(['auth', 'status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Provider: +OpenAI \(openai\)/);
    assert.match(r.stdout, new RegExp(`Endpoint: +${t.server.v1Url}`));
    assert.match(r.stdout, /API key: +from OPENAI_API_KEY/);
    assert.ok(!r.stdout.includes(TEST_KEY) && !r.stderr.includes(TEST_KEY));
    const preferred = await t.run(['auth', 'status', '--format', 'json'], { env: { ...t.env, AURELIS_API_KEY: 'other-key-value' } });
    const json = JSON.parse(preferred.stdout) as { key: { variable: string } };
    assert.equal(json.key.variable, 'AURELIS_API_KEY');
    assert.ok(!preferred.stdout.includes('other-key-value'));
  });

  it('auth status without a key says which variable to set (exit 2); a local provider needs none', async () => {
    const r = await t.run(['auth', 'status'], { env: { ...t.env, OPENAI_API_KEY: undefined } });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /not set — set AURELIS_API_KEY or OPENAI_API_KEY/);
    const local = await t.run(['auth', 'status', '--provider', 'ollama'], { env: { ...t.env, OPENAI_API_KEY: undefined, AURELIS_BASE_URL: undefined } });
    assert.equal(local.code, 0, local.stderr);
    assert.match(local.stdout, /API key: +not needed/);
    assert.match(local.stdout, /localhost:11434/);
  });

  it('a configuration error names the file, the line and the key (exit 2)', async () => {
    t.write('.aurelis.yaml', 'provider: openai\nprocessing:\n  max_concurrent: 5\n  timout: 30\n');
    const unknown = await t.run(['review', '.']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /\.aurelis\.yaml line 4: "processing\.timout" is not a setting Aurelis knows/);
    t.write('.aurelis.yaml', 'provider: openai\n\ncost_management:\n  daily_budget: lots\n');
    const wrongType = await t.run(['models']);
    assert.equal(wrongType.code, 2);
    assert.match(wrongType.stderr, /\.aurelis\.yaml line 4: "cost_management\.daily_budget": /);
    t.write('.aurelis.yaml', 'processing:\n  max_concurrent: 500\n');
    const outOfRange = await t.run(['health']);
    assert.equal(outOfRange.code, 2);
    assert.match(outOfRange.stderr, /line 2: "processing\.max_concurrent": .*64/);
    t.write('.aurelis.yaml', 'provider: openai\nmodels:\n  review: [gpt-4o\n');
    const syntax = await t.run(['review']);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, /\.aurelis\.yaml line \d+: /);
    assert.equal(t.server.chatRequests.length, 0, 'nothing is sent with a broken configuration');
  });

  it('refuses a key in .aurelis.yaml and says which variable to use, without repeating the key (exit 2)', async () => {
    const key = 'sk-proj-Abc123def456ghi789jkl012mno345pqr678';
    t.write('.aurelis.yaml', `provider: openai\nsecurity:\n  secret_scan: block\napi_key: ${key}\n`);
    const r = await t.run(['review', '.']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.aurelis\.yaml line 4: "api_key" looks like an API key/);
    assert.match(r.stderr, /set AURELIS_API_KEY or OPENAI_API_KEY in the environment/);
    assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key));
    t.write('.aurelis.yaml', `provider: github-models\nmodels:\n  review: ghp_0123456789abcdefghijABCDEFGHIJ012345\n`);
    const hidden = await t.run(['models']);
    assert.equal(hidden.code, 2);
    assert.match(hidden.stderr, /line 3: the value of "review" looks like an API key.*AURELIS_API_KEY or GITHUB_TOKEN/);
  });

  it('the environment and flags override the project file; an unknown provider is a usage error', async () => {
    t.write('.aurelis.yaml', 'provider: openrouter\nbase_url: http://127.0.0.1:9/v1\n');
    const fromEnv = await t.run(['auth', 'status', '--format', 'json'], { env: { ...t.env, AURELIS_PROVIDER: 'openai' } });
    assert.equal(JSON.parse(fromEnv.stdout).provider, 'openai');
    assert.equal(JSON.parse(fromEnv.stdout).endpoint, t.server.v1Url);
    const fromFlag = await t.run(['--provider', 'custom', '--base-url', 'http://127.0.0.1:7/v1', 'auth', 'status', '--format', 'json']);
    assert.equal(JSON.parse(fromFlag.stdout).provider, 'custom');
    assert.equal(JSON.parse(fromFlag.stdout).endpoint, 'http://127.0.0.1:7/v1');
    const bad = await t.run(['auth', 'status'], { env: { ...t.env, AURELIS_PROVIDER: 'acme' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /AURELIS_PROVIDER: "acme" is not a provider/);
  });

  it('every command has --help; --version prints the version; usage errors exit 2', async () => {
    for (const command of [[], ['init'], ['auth', 'status'], ['models'], ['health'], ['review'], ['explain'], ['generate'], ['usage'], ['cache', 'clear'], ['logs'], ['hook', 'install']]) {
      const r = await t.run([...command, '--help']);
      assert.equal(r.code, 0, `${command.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /^Usage: aurelis/m, command.join(' '));
    }
    const version = await t.run(['--version']);
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version);
    assert.equal((await t.run([])).code, 2);
    assert.equal((await t.run(['review', '--format', 'pdf'])).code, 2);
    assert.equal((await t.run(['explain'])).code, 2);
    const missing = await t.run(['review', 'no-such-folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-folder does not exist/);
  });
});
