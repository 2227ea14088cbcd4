import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { ReviewJsonSchema } from '../../src/core/review/formats/jsonReport';
import { FakeOpenAIServer, reply } from '../fake-server';
import { reviewerReply } from './support/reviewer';
import { promptOf, startCli } from './support/cli';
import { useCliFixture } from './support/setup';

/** The official SARIF 2.1.0 JSON schema (draft-04), as shipped on the npm registry by @microsoft/jest-sarif. */
const SARIF_SCHEMA = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;

const RISKY = ['export function load(input) {', '  const data = eval(input);', '  console.log(data);', '  return data;', '}', ''].join('\n');
const CLEAN = ['export function add(a, b) {', '  return a + b;', '}', ''].join('\n');

interface SarifLog {
  runs: Array<{ results: Array<{ ruleId: string; level: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
}

describe('aurelis review', () => {
  const t = useCliFixture();

  it('text: findings by file, exit 1 on an error-level finding; --fail-on decides the threshold', async () => {
    t.write('src/risky.js', RISKY);
    t.write('src/clean.js', CLEAN);
    const r = await t.run(['review', 'src']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^src\/risky\.js$/m);
    assert.match(r.stdout, /^ {2}2 +error +security +eval\(\) runs any string as code/m);
    assert.match(r.stdout, /^ {2}3 +warning +style +Leftover debug logging/m);
    assert.match(r.stdout, /Reviewed 2 files: 1 error, 1 warning\. 2 requests, .* tokens, \$/);
    assert.ok(!r.stdout.includes('src/clean.js'));
    assert.match(r.stderr, /reviewing 2 files/);
    const auth = t.server.chatRequests.map((q) => q.headers.authorization);
    assert.deepEqual([...new Set(auth)], ['Bearer test-key-4f1d9a'], 'the key from OPENAI_API_KEY is sent');
    assert.equal((await t.run(['review', 'src', '--fail-on', 'never'])).code, 0);
    assert.equal((await t.run(['review', 'src/clean.js', '--fail-on', 'info'])).code, 0);
    assert.equal((await t.run(['review', 'src/risky.js', '--fail-on', 'warning'])).code, 1);
  });

  it('markdown: a pull-request comment with a summary table and a suggestion block', async () => {
    t.write('src/risky.js', RISKY);
    const r = await t.run(['review', 'src', '--format', 'markdown', '--fail-on', 'never']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^## Aurelis review$/m);
    assert.match(r.stdout, /^\| Severity \| Findings \|$/m);
    assert.match(r.stdout, /^\| 🔴 error \| 1 \|$/m);
    assert.match(r.stdout, /^### `src\/risky\.js`$/m);
    assert.match(r.stdout, /\*\*🔴 Line 2 · error · security\*\* — eval\(\) runs any string as code/);
    assert.match(r.stdout, /^```suggestion\n {2}const data = JSON\.parse\(input\);\n```$/m);
  });

  it('sarif: valid against the official SARIF 2.1.0 schema, rule per category, levels, fingerprints stable across runs and moves', async () => {
    t.write('src/risky.js', RISKY);
    const first = await t.run(['review', '.', '--format', 'sarif', '--output', '../review.sarif']);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(first.stdout, '', 'the report went to the file');
    const sarif = JSON.parse(readFileSync(path.join(t.dir, '..', 'review.sarif'), 'utf8')) as SarifLog & { version: string };
    // The schema's `language` pattern has a stray `]`, valid in JavaScript's non-Unicode mode only (as the schema's authors ran it).
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(SARIF_SCHEMA);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    assert.deepEqual(results.map((x) => [x.ruleId, x.level, x.locations[0]?.physicalLocation.region.startLine]), [
      ['aurelis/security', 'error', 2],
      ['aurelis/style', 'warning', 3],
    ]);
    assert.equal(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri, 'src/risky.js');

    await t.run(['cache', 'clear']);
    const second = await t.run(['review', '.', '--format', 'sarif']);
    const again = JSON.parse(second.stdout) as SarifLog;
    assert.deepEqual(again.runs[0]?.results.map((x) => x.partialFingerprints), results.map((x) => x.partialFingerprints), 'the same findings keep their fingerprints');

    // Code added above moves the findings down; their fingerprints stay, so code scanning keeps one alert each.
    t.write('src/risky.js', `// header\n// more header\n${RISKY}`);
    const moved = JSON.parse((await t.run(['review', '.', '--format', 'sarif'])).stdout) as SarifLog;
    assert.deepEqual(moved.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.region.startLine), [4, 5]);
    assert.deepEqual(moved.runs[0]?.results.map((x) => x.partialFingerprints), results.map((x) => x.partialFingerprints));
  });

  it('json: the versioned schema, with the spend of the run', async () => {
    t.write('a.js', RISKY);
    t.write('b.js', CLEAN);
    const r = await t.run(['review', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = ReviewJsonSchema.parse(JSON.parse(r.stdout));
    assert.equal(report.format, 'aurelis-review');
    assert.equal(report.version, 1);
    assert.deepEqual(report.summary.findings, { error: 1, warning: 1, info: 0, hint: 0 });
    assert.equal(report.summary.requests, 2);
    assert.ok(report.summary.promptTokens > 0);
    assert.ok(report.summary.costUsd !== null && report.summary.costUsd > 0, 'the model has a known price');
    assert.deepEqual(report.files.map((f) => [f.path, f.language, f.findings.length]), [
      ['a.js', 'javascript', 2],
      ['b.js', 'javascript', 0],
    ]);
    assert.equal(report.files[0]?.findings[0]?.suggestion, '  const data = JSON.parse(input);');
  });

  it('exit 3 on a provider failure, with the report of what could be reviewed', async () => {
    t.write('a.js', CLEAN);
    t.server.handle(() => reply.error(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    const r = await t.run(['review', '--format', 'json']);
    assert.equal(r.code, 3, r.stderr);
    const report = ReviewJsonSchema.parse(JSON.parse(r.stdout));
    assert.equal(report.summary.filesNotReviewed, 1);
    assert.equal(report.files[0]?.errors[0]?.kind, 'auth');
    assert.match(r.stderr, /could not review .*\(auth\)/);
    t.write('.aurelis.yaml', 'processing:\n  max_retries: 0\n');
    const down = await t.run(['review'], { env: { ...t.env, AURELIS_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.equal(down.code, 3, down.stderr);
  });

  it('exit 4 when the budget refuses, and 2 without a key', async () => {
    t.write('a.js', CLEAN);
    t.write('.aurelis.yaml', 'cost_management:\n  daily_budget: 0.000001\n');
    const r = await t.run(['review']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /budget_exceeded/);
    assert.equal(t.server.chatRequests.length, 0);
    rmSync(path.join(t.dir, '.aurelis.yaml'));
    const noKey = await t.run(['review', '--fail-on', 'never'], { env: { ...t.env, OPENAI_API_KEY: undefined } });
    assert.equal(noKey.code, 2, noKey.stderr);
  });

  it('a file larger than the chunk size is reviewed in overlapping chunks, findings on the whole file’s lines, once each', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 600; i++) lines.push(`export const value${i} = compute(${i}, "padding text to make the line longer ${i}");`);
    const risky = [37, 298, 301, 590];
    for (const n of risky) lines[n - 1] = `export const value${n} = eval(input${n});`;
    t.write('big.js', `${lines.join('\n')}\n`);
    const r = await t.run(['review', 'big.js', '--format', 'json', '--chunk-tokens', '1500']);
    assert.equal(r.code, 1, r.stderr);
    const report = ReviewJsonSchema.parse(JSON.parse(r.stdout));
    assert.deepEqual(report.files[0]?.findings.map((f) => f.startLine), risky);
    const requests = t.server.chatRequests;
    assert.ok(requests.length >= 10, `${requests.length} requests`);
    const ranges = requests.map((q) => /lines (\d+)–(\d+)\):/.exec(promptOf(q))).map((m) => [Number(m?.[1]), Number(m?.[2])] as const).sort((a, b) => a[0] - b[0]);
    assert.equal(ranges[0]?.[0], 1);
    assert.equal(ranges.at(-1)?.[1], 600);
    for (let i = 1; i < ranges.length; i++) assert.ok((ranges[i]?.[0] ?? 0) <= (ranges[i - 1]?.[1] ?? 0), `chunks ${i - 1} and ${i} overlap`);
  });

  it('a file over the model’s input limit is cut to fit it', async () => {
    // This server's catalog says the model takes 1,200 tokens in.
    const lines = Array.from({ length: 300 }, (_, i) => (i === 149 ? 'run(eval(code));' : `step(${i + 1}, "a line of ordinary code with some words in it");`));
    t.write('long.js', `${lines.join('\n')}\n`);
    const env = { ...t.env, AURELIS_BASE_URL: undefined, GITHUB_TOKEN: 'test-key-4f1d9a' };
    const small = await FakeOpenAIServer.start({ apiKey: 'test-key-4f1d9a', catalog: [{ id: 'openai/gpt-4o', name: 'GPT-4o', publisher: 'OpenAI', capabilities: [], limits: { max_input_tokens: 1200, max_output_tokens: 1000 }, rate_limit_tier: 'high' }] });
    try {
      small.handle(reviewerReply);
      const r = await t.run(['--provider', 'github-models', '--base-url', small.inferenceUrl, '--model', 'openai/gpt-4o', 'review', 'long.js', '--format', 'json'], { env });
      assert.equal(r.code, 1, r.stderr);
      const report = ReviewJsonSchema.parse(JSON.parse(r.stdout));
      assert.deepEqual(report.files[0]?.findings.map((f) => f.startLine), [150]);
      const chats = small.chatRequests;
      assert.ok(chats.length > 1, 'the file was split');
      for (const q of chats) assert.notEqual(q.status, 413);
    } finally {
      await small.stop();
    }
  });

  it('a secret in the code is not sent: it becomes a security error on its line; --secrets redact sends it redacted', async () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}123456`;
    t.write('config.js', `export const name = "demo";\nexport const token = "${token}";\n`);
    const r = await t.run(['review', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = ReviewJsonSchema.parse(JSON.parse(r.stdout));
    assert.deepEqual(report.files[0]?.findings.map((f) => [f.startLine, f.severity, f.category]), [[2, 'error', 'security']]);
    assert.match(report.files[0]?.findings[0]?.message ?? '', /GitHub token is written in the code; it was not sent/);
    assert.equal(t.server.chatRequests.length, 0);
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
    const redacted = await t.run(['--secrets', 'redact', 'review', '--fail-on', 'never']);
    assert.equal(redacted.code, 0, redacted.stderr);
    const sent = promptOf(t.server.chatRequests[0]!);
    assert.ok(sent.includes('[REDACTED:github_token]') && !sent.includes(token));
  });

  it('Ctrl-C cancels a running review: exit 130, the ledger records the cancelled request', async () => {
    t.write('a.js', CLEAN);
    t.server.handle(() => reply.hang());
    const running = startCli(['review', '--format', 'json'], { cwd: t.dir, env: t.env });
    await t.server.waitForChatRequests(1);
    running.child.kill('SIGINT');
    const r = await running.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /cancelling/);
    assert.equal(ReviewJsonSchema.parse(JSON.parse(r.stdout)).files[0]?.errors[0]?.kind, 'cancelled');
    t.server.handle(reviewerReply);
    const usage = await t.run(['usage', '--format', 'csv', '--period', 'today']);
    assert.match(usage.stdout, /\bcancelled\b/);
  });

  it('with CI set, one progress line per file; results on stdout, messages on stderr', async () => {
    t.write('a.js', CLEAN);
    t.write('b.js', RISKY);
    const r = await t.run(['review', '--fail-on', 'never'], { env: { ...t.env, CI: 'true' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^aurelis: \[\d\/2\] a\.js: 0 findings$/m);
    assert.match(r.stderr, /^aurelis: \[\d\/2\] b\.js: 2 findings$/m);
    assert.ok(!r.stdout.includes('[1/2]'));
  });
});
