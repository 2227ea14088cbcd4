import assert from 'node:assert/strict';
import type { SecurityEvent } from '../../../src/core/audit/auditEvents';
import { describeFindings } from '../../../src/core/secrets/findingsText';
import { SecretGuard, type SecretAnswer, type SecretQuestion } from '../../../src/core/secrets/secretGuard';
import type { Notice, UsageRecord } from '../../../src/core/pipeline';
import { explainRequest } from '../../../src/core/tasks/requests';
import { isAurelisError } from '../../../src/core/errors';
import type { TaskRequest } from '../../../src/core/types';
import { reply } from '../../fake-server';
import { settingsFrom, startHarness, type Harness } from '../orchestrator/harness';

const GITHUB_TOKEN = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';
const AWS_KEY_ID = 'AKIAQYLPMN5HHHFPZAM2';
/** Code as the editor quotes it: lines 10–13 of src/config.ts. */
const CODE = ['export const config = {', `  token: "${GITHUB_TOKEN}",`, `  awsKeyId: "${AWS_KEY_ID}",`, '};'].join('\n');
const request = (): TaskRequest =>
  explainRequest({ language: 'typescript', path: 'src/config.ts', code: CODE, firstLine: 10, scope: 'selection', diagnostics: [] });

class EventLog {
  readonly events: SecurityEvent[] = [];
  async securityEvent(event: SecurityEvent): Promise<void> {
    this.events.push(event);
  }
}

function guardWith(policy: 'ask' | 'redact' | 'block' | 'off', answer?: SecretAnswer) {
  const events = new EventLog();
  const questions: SecretQuestion[] = [];
  const notices: Notice[] = [];
  const guard = new SecretGuard({
    settings: () => settingsFrom({ security: { secretScan: policy } }),
    events,
    ...(answer ? { ask: async (q: SecretQuestion) => (questions.push(q), answer) } : {}),
  });
  const inspect = (r: TaskRequest) =>
    guard.inspect(r, { requestId: 'req-1', target: { provider: 'openai', model: 'gpt-4o' }, notify: (n) => notices.push(n) });
  return { guard, events, questions, notices, inspect };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected the request to be refused');
}

describe('SecretGuard: secrets in an outgoing prompt', () => {
  it('redact: replaces each secret exactly, says so, and audits kinds and file lines, never the secret', async () => {
    const { events, notices, inspect } = guardWith('redact');
    const sent = await inspect(request());
    assert.ok(sent.prompt?.includes('  token: "[REDACTED:github_token]",\n  awsKeyId: "[REDACTED:aws_access_key_id]",'), sent.prompt);
    assert.equal(sent.prompt?.includes(GITHUB_TOKEN), false);
    assert.equal(sent.prompt?.replace(/\[REDACTED:\w+\]/g, 'X'), request().prompt?.replace(GITHUB_TOKEN, 'X').replace(AWS_KEY_ID, 'X'), 'nothing else changed');
    assert.deepEqual(notices.map((n) => n.kind), ['secret_redacted']);
    assert.equal(events.events.length, 1);
    const [event] = events.events;
    assert.ok(event?.type === 'secret_detected');
    assert.equal(event.policy, 'redact');
    assert.equal(event.choice, 'redacted');
    assert.deepEqual(
      event.findings.map((f) => [f.kind, f.part, f.file, f.fileLine]),
      [
        ['github_token', 'prompt', 'src/config.ts', 11],
        ['aws_access_key_id', 'prompt', 'src/config.ts', 12],
      ],
    );
    assert.equal(JSON.stringify(events.events).includes(GITHUB_TOKEN), false);
    assert.equal(JSON.stringify(events.events).includes(AWS_KEY_ID), false);
  });

  it('block: refuses with secret_blocked naming what and where, and audits the refusal', async () => {
    const { events, inspect } = guardWith('block');
    const error = await rejection(inspect(request()));
    assert.ok(isAurelisError(error) && error.kind === 'secret_blocked');
    assert.match(error.message, /^Nothing was sent: the code contains a GitHub token \(src\/config\.ts:11\) and an AWS access key id \(src\/config\.ts:12\)/);
    assert.match(error.message, /aurelis\.security\.secretScan is "block"/);
    assert.equal(error.message.includes(GITHUB_TOKEN), false);
    assert.deepEqual(error.nextSteps, ['openSettings']);
    assert.deepEqual(events.events.map((e) => e.type === 'secret_detected' && [e.policy, e.choice]), [['block', 'blocked']]);
  });

  it('ask → Send Redacted / Send Anyway / Cancel: each answer is applied and audited', async () => {
    const redacted = guardWith('ask', 'redact');
    assert.equal((await redacted.inspect(request())).prompt?.includes(GITHUB_TOKEN), false);
    assert.equal(redacted.questions.length, 1);
    assert.equal(redacted.questions[0]?.findings.length, 2);
    assert.equal(redacted.questions[0]?.model, 'gpt-4o');

    const anyway = guardWith('ask', 'send');
    assert.deepEqual(await anyway.inspect(request()), request(), 'Send Anyway sends the request unchanged');
    assert.deepEqual(anyway.notices, []);

    const cancelled = guardWith('ask', 'cancel');
    const error = await rejection(cancelled.inspect(request()));
    assert.ok(isAurelisError(error) && error.kind === 'cancelled');

    const choices = [redacted, anyway, cancelled].map((g) => g.events.events.map((e) => e.type === 'secret_detected' && e.choice));
    assert.deepEqual(choices, [['redacted'], ['sent'], ['cancelled']]);
  });

  it('ask with nobody to ask sends nothing', async () => {
    const { inspect } = guardWith('ask');
    const error = await rejection(inspect(request()));
    assert.ok(isAurelisError(error) && error.kind === 'cancelled');
  });

  it('off: sends as is, asks nothing and audits nothing', async () => {
    const { events, inspect } = guardWith('off', 'cancel');
    assert.deepEqual(await inspect(request()), request());
    assert.deepEqual(events.events, []);
  });

  it('a clean prompt passes untouched without a question or an event', async () => {
    const { events, questions, inspect } = guardWith('ask', 'cancel');
    const clean = explainRequest({ language: 'typescript', path: 'src/sum.ts', code: 'export const sum = (a: number, b: number) => a + b;', firstLine: 1, scope: 'selection', diagnostics: [] });
    assert.deepEqual(await inspect(clean), clean);
    assert.deepEqual(questions, []);
    assert.deepEqual(events.events, []);
  });

  it('scans the system prompt and every message, redacting each in place', async () => {
    const { events, inspect } = guardWith('redact');
    const sent = await inspect({
      task: 'explain',
      systemPrompt: `Use ${GITHUB_TOKEN} to call the API.`,
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'hi' },
        { role: 'user', content: `DATABASE_URL=postgres://app:Tr0ub4dor-and-3@db.internal:5432/app` },
      ],
    });
    assert.equal(sent.systemPrompt, 'Use [REDACTED:github_token] to call the API.');
    assert.deepEqual(sent.messages?.map((m) => m.content), ['hello', 'hi', 'DATABASE_URL=postgres://app:[REDACTED:connection_string]@db.internal:5432/app']);
    const event = events.events[0];
    assert.ok(event?.type === 'secret_detected');
    assert.deepEqual(event.findings.map((f) => [f.part, f.line]), [['systemPrompt', 1], ['messages[2]', 1]]);
  });

  it('describes many findings briefly', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ kind: 'password' as const, part: 'prompt', line: i + 1, column: 1, length: 8 }));
    assert.equal(describeFindings(many), '5 × password (line 1 of the prompt, line 2 of the prompt, line 3 of the prompt, +2 more)');
  });
});

describe('SecretGuard in the pipeline', () => {
  let h: Harness;
  const records: UsageRecord[] = [];
  const events = new EventLog();

  afterEach(async () => {
    records.length = 0;
    events.events.length = 0;
    await h?.close();
  });

  async function harness(policy: 'redact' | 'block'): Promise<Harness> {
    const deps = {
      guard: new SecretGuard({ settings: () => h.settings, events }),
      recorders: [{ record: async (r: UsageRecord) => void records.push(r) }],
    };
    h = await startHarness({ deps });
    h.settings = { ...h.settings, security: { ...h.settings.security, secretScan: policy } };
    return h;
  }

  it('the provider receives the redacted prompt; the secret never reaches the server', async () => {
    await harness('redact');
    h.server.script(reply.text('It holds the configuration.'));
    const notices: Notice[] = [];
    const result = await h.orchestrator.run(request(), { onNotice: (n) => notices.push(n) });
    assert.equal(result.content, 'It holds the configuration.');
    const body = JSON.stringify(h.server.chatRequests[0]?.body);
    assert.equal(body.includes(GITHUB_TOKEN), false);
    assert.ok(body.includes('[REDACTED:github_token]'));
    assert.ok(notices.some((n) => n.kind === 'secret_redacted'));
    assert.equal(records[0]?.outcome, 'ok');
  });

  it('a blocked request sends nothing and is still recorded (outcome secret_blocked)', async () => {
    await harness('block');
    await assert.rejects(h.orchestrator.run(request()), (e: unknown) => isAurelisError(e) && e.kind === 'secret_blocked');
    assert.equal(h.server.chatRequests.length, 0);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.outcome, 'secret_blocked');
    assert.equal(JSON.stringify(records).includes(GITHUB_TOKEN), false);
    assert.equal(events.events.length, 1);
  });
});
