import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { reply } from '../fake-server';
import { useCliFixture } from './support/setup';

const RISKY = 'export function load(input) {\n  return eval(input);\n}\n';

describe('aurelis commands', () => {
  const t = useCliFixture();

  it('models lists the provider’s models, keeps the list for an hour, and --refresh fetches it again', async () => {
    const r = await t.run(['models']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^MODEL +INPUT TOKENS +OUTPUT TOKENS +TIER$/m);
    assert.match(r.stdout, /^openai\/gpt-4o-mini\b/m);
    const fetched = () => t.server.requests.filter((q) => q.endpoint === 'models').length;
    assert.equal(fetched(), 1);
    const again = await t.run(['models', '--format', 'json']);
    assert.equal(fetched(), 1, 'the saved list is used');
    assert.ok((JSON.parse(again.stdout) as Array<{ id: string }>).some((m) => m.id === 'openai/gpt-4o'));
    assert.equal((await t.run(['models', '--refresh'])).code, 0);
    assert.equal(fetched(), 2);
  });

  it('health probes each model of the chains (exit 0), and exits 3 when the provider fails', async () => {
    const ok = await t.run(['health']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^OpenAI: API key from OPENAI_API_KEY$/m);
    assert.match(ok.stdout, /^✓ gpt-4o \(openai\) answered in \d+ ms$/m);
    t.server.handle(() => reply.error(503, { error: { message: 'The server is overloaded' } }));
    const down = await t.run(['health', '--format', 'json']);
    assert.equal(down.code, 3, down.stderr);
    const json = JSON.parse(down.stdout) as { models: Array<{ ok: boolean; error?: { kind: string } }> };
    assert.ok(json.models.every((m) => !m.ok));
  });

  it('explain streams the explanation of a file or a range of its lines', async () => {
    t.write('math.js', 'export function add(a, b) {\n  return a + b;\n}\n\nexport const two = add(1, 1);\n');
    const r = await t.run(['explain', 'math.js:1-3']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'This code adds two numbers.\n\nIt returns their sum.\n');
    const request = t.server.chatRequests[0];
    assert.equal(request?.stream, true);
    const prompt = JSON.stringify(request?.body);
    assert.ok(prompt.includes('lines 1–3') && !prompt.includes('export const two'));
    assert.equal((await t.run(['explain', 'math.js:9-12'])).code, 2);
    assert.equal((await t.run(['explain', 'missing.js'])).code, 2);
  });

  it('generate prints only the code (no fences) and never changes the --file it reads', async () => {
    const file = t.write('util.js', 'export const one = 1;\n');
    const r = await t.run(['generate', 'a function that adds two numbers', '--file', 'util.js']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'function add(a, b) {\n  return a + b;\n}\n');
    assert.equal((await import('node:fs')).readFileSync(file, 'utf8'), 'export const one = 1;\n');
    assert.ok(JSON.stringify(t.server.chatRequests[0]?.body).includes('export const one = 1;'));
    const toFile = await t.run(['generate', 'an add function', '--language', 'javascript', '--output', 'add.js']);
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.ok(existsSync(path.join(t.dir, 'add.js')));
    assert.equal((await t.run(['generate', '   '])).code, 2);
  });

  it('the ledger records the command line’s requests (task, model, tokens, cost) and usage reads them in every format', async () => {
    t.write('a.js', RISKY);
    assert.equal((await t.run(['review', '--fail-on', 'never'])).code, 0);
    assert.equal((await t.run(['explain', 'a.js'])).code, 0);
    const json = await t.run(['usage', '--period', 'today', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const exported = z
      .object({ records: z.array(z.object({ task: z.string(), model: z.string(), promptTokens: z.number(), completionTokens: z.number(), costUsd: z.number().nullable(), outcome: z.string() })) })
      .parse(JSON.parse(json.stdout));
    assert.deepEqual(exported.records.map((r) => [r.task, r.model, r.outcome]).sort(), [
      ['explain', 'gpt-4.1-mini', 'ok'],
      ['review', 'gpt-4.1', 'ok'],
    ]);
    for (const r of exported.records) assert.ok(r.promptTokens > 0 && r.completionTokens > 0 && (r.costUsd ?? 0) > 0, JSON.stringify(r));
    const csv = await t.run(['usage', '--format', 'csv']);
    assert.equal(csv.stdout.trim().split('\n').length, 3, csv.stdout);
    const prom = await t.run(['usage', '--format', 'prometheus', '--period', 'week']);
    assert.match(prom.stdout, /^aurelis_requests_total\{.*task="review".*\} 1$/m);
    const html = await t.run(['usage', '--format', 'html', '--output', 'usage.html']);
    assert.equal(html.code, 0, html.stderr);
    assert.ok(existsSync(path.join(t.dir, 'usage.html')));
    const text = await t.run(['usage']);
    assert.match(text.stdout, /^Requests: 2 \(0 from the cache, 0 failed\)$/m);
    assert.match(text.stdout, /^ {2}gpt-4\.1 \(openai\): 1 request, [\d,]+ tokens, \$/m);
    const range = await t.run(['usage', '--period', '2020-01-01..2020-01-31', '--format', 'csv']);
    assert.equal(range.stdout.trim().split('\n').length, 1, 'only the header: nothing in that range');
    assert.equal((await t.run(['usage', '--period', 'fortnight'])).code, 2);
  });

  it('cache clear empties the cache: the next review asks the model again', async () => {
    t.write('a.js', RISKY);
    await t.run(['review', '--fail-on', 'never']);
    await t.run(['review', '--fail-on', 'never']);
    assert.equal(t.server.chatRequests.length, 1, 'the second review came from the cache');
    const cleared = await t.run(['cache', 'clear']);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(cleared.stderr, /^Removed 1 cached answer /m);
    await t.run(['review', '--fail-on', 'never']);
    assert.equal(t.server.chatRequests.length, 2);
  });

  it('logs prints the audit log’s lines since a moment, as JSON Lines', async () => {
    t.write('a.js', RISKY);
    await t.run(['review', '--fail-on', 'never']);
    const r = await t.run(['logs', '--since', '1h']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; task?: string });
    assert.ok(lines.some((l) => l.type === 'request' && l.task === 'review'), r.stdout);
    assert.ok(lines.some((l) => l.type === 'key_source'), 'the key source (never the key) is audited');
    assert.ok(!r.stdout.includes('test-key-4f1d9a'));
    const future = await t.run(['logs', '--since', '2999-01-01']);
    assert.equal(future.stdout, '');
    assert.match(future.stderr, /no audit lines in that time/);
    assert.equal((await t.run(['logs', '--since', 'last tuesday'])).code, 2);
    assert.ok(readdirSync(path.join(t.env.AURELIS_HOME as string)).length > 0, 'AURELIS_HOME holds the data');
  });
});
