import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog, MAX_CONTENT_CHARS, MAX_FIELD_CHARS } from '../../../src/core/audit/auditLog';
import type { SecurityEvent } from '../../../src/core/audit/auditEvents';
import type { UsageRecord } from '../../../src/core/pipeline';
import { settingsFrom } from '../orchestrator/harness';
import type { Settings } from '../../../src/core/settings';

const DAY = 86_400_000;
/** 2026-03-14 12:00 UTC. */
const NOW = Date.UTC(2026, 2, 14, 12);
const GITHUB_TOKEN = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';

function record(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    ts: NOW,
    requestId: 'req-1',
    provider: 'openai',
    model: 'gpt-4o',
    task: 'review',
    promptTokens: 120,
    completionTokens: 30,
    cachedTokens: 0,
    tokensEstimated: false,
    costUsd: 0.0006,
    latencyMs: 840,
    outcome: 'ok',
    cacheHit: false,
    fallbackDepth: 0,
    workspace: 'a'.repeat(64),
    ...overrides,
  };
}

/** One of each security event the extension writes. */
const EVERY_EVENT: SecurityEvent[] = [
  { type: 'key_set', provider: 'openai' },
  { type: 'key_cleared', provider: 'openai' },
  { type: 'key_validated', provider: 'openai', result: 'invalid', detail: 'OpenAI rejected the key (401).' },
  { type: 'key_source', provider: 'github-models', source: 'environment' },
  {
    type: 'secret_detected',
    requestId: 'req-2',
    provider: 'openai',
    model: 'gpt-4o',
    policy: 'ask',
    choice: 'redacted',
    findings: [{ kind: 'github_token', part: 'prompt', line: 6, column: 10, length: 40, file: 'src/config.ts', fileLine: 11 }],
  },
  { type: 'budget_override', requestId: 'req-3', task: 'generate', limit: 'daily $5.00 (aurelis.budgets.dailyUsd)' },
  { type: 'provider_change', from: 'github-models', to: 'azure-ai-foundry' },
  { type: 'restricted_mode_refusal', command: 'aurelis.review', reason: 'The user chose not to send code from a workspace in Restricted Mode.' },
];

describe('AuditLog', () => {
  let dir: string;
  let now: number;
  let settings: Settings;
  const log = () => new AuditLog({ storageDir: dir, settings: () => settings, clock: { now: () => now } });
  const auditFiles = () => (existsSync(path.join(dir, 'audit')) ? readdirSync(path.join(dir, 'audit')).sort() : []);
  const rawLines = () => auditFiles().flatMap((f) => readFileSync(path.join(dir, 'audit', f), 'utf8').split('\n').filter(Boolean));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aurelis-audit-'));
    now = NOW;
    settings = settingsFrom({});
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per request with its accounting, and no prompt or response text', async () => {
    const audit = log();
    await audit.record(record());
    await audit.record(record({ requestId: 'req-2', outcome: 'budget_exceeded', errorMessage: 'The daily budget is used up.', budgetOverride: false, costUsd: null }));
    assert.deepEqual(auditFiles(), ['audit-2026-03-14.jsonl']);
    const lines = rawLines().map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.type, l.time, l.requestId, l.provider, l.model, l.task, l.outcome, l.promptTokens, l.completionTokens, l.costUsd, l.cacheHit, l.workspace]),
      [
        ['request', '2026-03-14T12:00:00.000Z', 'req-1', 'openai', 'gpt-4o', 'review', 'ok', 120, 30, 0.0006, false, 'a'.repeat(64)],
        ['request', '2026-03-14T12:00:00.000Z', 'req-2', 'openai', 'gpt-4o', 'review', 'budget_exceeded', 120, 30, null, false, 'a'.repeat(64)],
      ],
    );
    assert.equal(lines[1]?.errorMessage, 'The daily budget is used up.');
    assert.equal((await audit.read()).lines.length, 2);
  });

  it('writes and reads back every security event type', async () => {
    const audit = log();
    for (const event of EVERY_EVENT) await audit.securityEvent(event);
    const { lines, skipped } = await audit.read();
    assert.equal(skipped, 0);
    assert.deepEqual(lines.map((l) => l.type), EVERY_EVENT.map((e) => e.type));
    for (const [i, event] of EVERY_EVENT.entries()) {
      const { v, time, ...rest } = lines[i] as Record<string, unknown>;
      assert.equal(v, 1);
      assert.equal(time, '2026-03-14T12:00:00.000Z');
      assert.deepEqual(rest, event);
    }
  });

  it('refuses an event that is not valid, writing nothing', async () => {
    const audit = log();
    await assert.rejects(audit.securityEvent({ type: 'key_set', provider: 'nowhere' } as unknown as SecurityEvent), /Not a valid audit event \(provider: /);
    assert.deepEqual(auditFiles(), []);
  });

  it('redacts fields named like credentials at any depth, scans the rest, and cuts long values', async () => {
    const audit = log();
    await audit.securityEvent({
      type: 'provider_change',
      to: 'custom',
      context: {
        apiKey: 'plain-looking-value',
        headers: { Authorization: 'Bearer abc.def.ghi', 'X-Team': 'platform' },
        password: ['one', 'two'],
        promptTokens: 120,
        note: `pasted ${GITHUB_TOKEN} by mistake`,
        long: 'x'.repeat(MAX_FIELD_CHARS + 500),
      },
    });
    const line = rawLines()[0] ?? '';
    for (const secret of ['plain-looking-value', 'abc.def.ghi', GITHUB_TOKEN, '"one"', '"two"']) assert.equal(line.includes(secret), false, `${secret} was written`);
    const context = (JSON.parse(line) as { context: Record<string, unknown> }).context;
    assert.deepEqual(context.apiKey, '[REDACTED]');
    assert.deepEqual(context.headers, { Authorization: '[REDACTED]', 'X-Team': 'platform' });
    assert.deepEqual(context.password, ['[REDACTED]', '[REDACTED]']);
    assert.equal(context.promptTokens, 120, 'a count is not a credential');
    assert.equal(context.note, 'pasted [REDACTED:github_token] by mistake');
    assert.match(String(context.long), new RegExp(`^x{${MAX_FIELD_CHARS}}…\\[truncated 500 characters\\]$`));
  });

  it('keeps prompt and response text only with audit.includeContent, scanned and redacted, and cut when long', async () => {
    const audit = log();
    await audit.content({ requestId: 'req-1', direction: 'prompt', text: `token = "${GITHUB_TOKEN}"` });
    assert.deepEqual(auditFiles(), [], 'nothing is written by default');

    settings = settingsFrom({ audit: { includeContent: true } });
    await audit.content({ requestId: 'req-1', direction: 'prompt', text: `token = "${GITHUB_TOKEN}"` });
    await audit.content({ requestId: 'req-1', direction: 'response', text: 'y'.repeat(MAX_CONTENT_CHARS + 10) });
    const [prompt, response] = (await audit.read()).lines;
    assert.ok(prompt?.type === 'content' && response?.type === 'content');
    assert.equal(prompt.text, 'token = "[REDACTED:github_token]"');
    assert.equal(prompt.redactions, 1);
    assert.equal(prompt.truncated, false);
    assert.equal(response.truncated, true);
    assert.equal(response.text.length, MAX_CONTENT_CHARS + '…[truncated 10 characters]'.length);
    assert.equal(rawLines().join('\n').includes(GITHUB_TOKEN), false);
  });

  it('rotates by size: a new file when the next line would pass aurelis.audit.maxFileMB, read back in order', async () => {
    settings = settingsFrom({ audit: { maxFileMB: 2 / 1024 } }); // 2 KB
    const audit = log();
    for (let i = 0; i < 20; i++) await audit.record(record({ requestId: `req-${i}` }));
    const files = (await audit.files()).map((f) => path.basename(f));
    assert.ok(files.length >= 4, files.join(', '));
    assert.deepEqual(files.slice(0, 3), ['audit-2026-03-14.jsonl', 'audit-2026-03-14.1.jsonl', 'audit-2026-03-14.2.jsonl']);
    for (const f of files) assert.ok(readFileSync(path.join(dir, 'audit', f)).length <= 2048, `${f} is over the limit`);
    const ids = (await audit.read()).lines.map((l) => (l.type === 'request' ? l.requestId : ''));
    assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => `req-${i}`));
    // A new window appends to the newest file (or the next one), never to an older one.
    await log().record(record({ requestId: 'req-20' }));
    const newest = (await audit.files()).at(-1) ?? '';
    assert.ok([files.at(-1), `audit-2026-03-14.${files.length}.jsonl`].includes(path.basename(newest)), newest);
    assert.match(readFileSync(newest, 'utf8'), /"requestId":"req-20"/);
  });

  it('deletes files older than aurelis.audit.retentionDays on the first write, keeping the boundary day', async () => {
    settings = settingsFrom({ audit: { retentionDays: 1000 } });
    const old = log();
    for (const daysAgo of [120, 91, 90, 89, 1]) {
      now = NOW - daysAgo * DAY;
      await old.record(record({ requestId: `req-${daysAgo}` }));
    }
    // A file is deleted only when its whole day lies beyond the retention period.
    settings = settingsFrom({ audit: { retentionDays: 90 } });
    now = NOW;
    const deleted = await log().applyRetention();
    assert.deepEqual(deleted.sort(), ['audit-2025-11-14.jsonl', 'audit-2025-12-13.jsonl']);
    assert.deepEqual(auditFiles(), ['audit-2025-12-14.jsonl', 'audit-2025-12-15.jsonl', 'audit-2026-03-13.jsonl']);
    // It also runs by itself on a window's first write.
    now = NOW + 60 * DAY;
    await log().record(record());
    assert.deepEqual(auditFiles(), ['audit-2026-03-13.jsonl', 'audit-2026-05-13.jsonl'], 'a file 61 days old stays');
    now = NOW + 100 * DAY;
    await log().record(record());
    assert.deepEqual(auditFiles(), ['audit-2026-05-13.jsonl', 'audit-2026-06-22.jsonl'], 'a file 101 days old goes');
  });

  it('skips a torn or hand-edited line on read and export, counting it', async () => {
    const audit = log();
    await audit.record(record({ requestId: 'before' }));
    const file = path.join(dir, 'audit', 'audit-2026-03-14.jsonl');
    appendFileSync(file, '{"v":1,"time":"2026-03-14T12:00:00.000Z","type":"requ');
    appendFileSync(file, '\nnot json at all\n');
    await audit.record(record({ requestId: 'after' }));
    const { lines, skipped } = await audit.read();
    assert.deepEqual(lines.map((l) => l.type === 'request' && l.requestId), ['before', 'after']);
    assert.equal(skipped, 2);
    const target = path.join(dir, 'export.jsonl');
    assert.deepEqual(await audit.exportTo(target), { lines: 2, skipped: 2, files: 1 });
    assert.deepEqual(readFileSync(target, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { requestId: string }).requestId), ['before', 'after']);
  });

  it('two windows appending at once never interleave a line', async () => {
    const a = log();
    const b = log();
    await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).record(record({ requestId: `req-${i}`, errorMessage: 'z'.repeat(i * 7) }))));
    const { lines, skipped } = await a.read();
    assert.equal(skipped, 0);
    assert.equal(lines.length, 200);
    assert.equal(new Set(lines.map((l) => l.type === 'request' && l.requestId)).size, 200);
  });

  it('says where it could not write, and a later write still works', async () => {
    writeFileSync(path.join(dir, 'audit'), 'a file where the folder should be');
    const audit = log();
    await assert.rejects(audit.record(record()), /Could not write the audit log in .*audit \((EEXIST|ENOTDIR)\)\. Check that the folder exists and is writable\./);
    rmSync(path.join(dir, 'audit'));
    await audit.record(record({ requestId: 'later' }));
    assert.equal((await audit.read()).lines.length, 1);
  });
});
