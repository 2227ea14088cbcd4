import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { redactedCause, redactValues, type AurelisError } from '../../../src/core/errors';
import type { Logger } from '../../../src/core/host';
import type { UsageRecord } from '../../../src/core/pipeline';
import { secretValues } from '../../../src/core/providers/connection';
import { classifyFailure } from '../../../src/core/providers/providerErrors';
import { reply, type FakeReply, type RecordedRequest } from '../../fake-server';
import { failure, type Harness, settingsFrom, startHarness } from './harness';

/**
 * Secrets that no pattern of `scrubSecrets` recognises, so only knowing the connection's own
 * values can keep them out: an unprefixed token, an Azure key (32 hex digits) and a gateway key
 * sent as a custom header.
 */
const UNPREFIXED = 'Zt4pW9qLx2Vn7RkB5cYh8Jm3Ds6Fg1Ae0Tu';
const AZURE_HEX = 'f3a9c1e07b5d4a2c9e8f1b3d5a7c9e0f';
const GATEWAY = 'gw_Qm7Vt2Kp9Xr4Lb8Nc3';

interface Scenario {
  name: string;
  secret: string;
  /** Points the harness at the fake server with this secret configured. */
  setup(h: Harness): Promise<void>;
  /** The secret as the fake server received it: what it echoes back. */
  received(r: RecordedRequest): string | undefined;
  model: string;
}

const scenarios: Scenario[] = [
  {
    name: 'an unprefixed GitHub token',
    secret: UNPREFIXED,
    setup: async (h) => {
      await h.keys.set('github-models', UNPREFIXED);
    },
    received: (r) => r.headers['authorization']?.replace(/^Bearer /, ''),
    model: 'openai/gpt-4o-mini',
  },
  {
    name: 'a 32-hex Azure key',
    secret: AZURE_HEX,
    setup: async (h) => {
      await h.keys.set('azure-ai-foundry', AZURE_HEX);
      h.settings = settingsFrom({ provider: 'azure-ai-foundry', endpoints: { 'azure-ai-foundry': h.server.v1Url } });
    },
    received: (r) => r.headers['api-key'],
    model: 'gpt-4o',
  },
  {
    name: 'a custom header value (a gateway key)',
    secret: GATEWAY,
    setup: async (h) => {
      h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: h.server.v1Url }, customHeaders: { 'X-Gateway-Key': GATEWAY } });
    },
    received: (r) => r.headers['x-gateway-key'],
    model: 'gateway-model',
  },
];

/** How the fake server echoes what it received; each lands in a different part of the error. */
const echoes: Array<{ name: string; stream: boolean; kind: AurelisError['kind']; reply: (secret: string) => FakeReply }> = [
  {
    name: 'a 401 body',
    stream: false,
    kind: 'auth',
    reply: (secret) => reply.error(401, { error: { code: 'invalid_api_key', message: `Incorrect API key provided: ${secret}.`, param: secret, key: secret } }),
  },
  {
    name: 'a 500 body (the key where the message is cut short)',
    stream: false,
    kind: 'unavailable',
    // The key straddles the 300-character cut: redacting after cutting would leave its head.
    reply: (secret) => reply.error(500, { error: { code: 'upstream_error', message: `${'Upstream failure. '.repeat(15)}credential=${secret} rejected`, details: { key: secret } } }),
  },
  {
    name: 'an SSE error event',
    stream: true,
    kind: 'unavailable',
    reply: (secret) => reply.streamError({ message: `Upstream refused credential ${secret}`, code: 'upstream_auth', credential: secret }),
  },
  {
    name: 'a 429 x-ratelimit-type header',
    stream: false,
    kind: 'rate_limited',
    reply: (secret) => reply.error(429, { error: { code: 'RateLimitReached', message: `Too many requests for ${secret}` } }, { 'x-ratelimit-type': secret, 'retry-after': '1' }),
  },
];

/** Every text a person, a log or a crash report could see of the error. */
function views(e: AurelisError, logged: string[], records: UsageRecord[]): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['error.message', e.message],
    ['String(error)', String(e)],
    ['error.stack', e.stack ?? ''],
    ['util.inspect(error)', inspect(e, { depth: null, showHidden: true })],
    ['the log', logged.join('\n')],
    ['the usage records', JSON.stringify(records)],
  ];
  let link: unknown = e;
  for (let depth = 0; link !== undefined && depth < 10; depth++) {
    // Message and stack are not enumerable; spread picks up the rest (an SDK error's body and headers).
    const json = link instanceof Error ? JSON.stringify({ ...link, name: link.name, message: link.message, stack: link.stack }) : JSON.stringify(link);
    out.push([`JSON of cause ${depth}`, json ?? '']);
    link = link instanceof Error ? link.cause : undefined;
  }
  return out;
}

/** Any six characters of the secret in a row count as a leak (a cut-off key still leaks its head). */
function leak(text: string, secret: string): string | undefined {
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = secret.slice(i, i + 6);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

function capturingLogger(lines: string[]): Logger {
  const keep = (message: string, ...args: unknown[]): void => void lines.push([message, ...args.map((a) => inspect(a, { depth: null }))].join(' '));
  return { trace: keep, debug: keep, info: keep, warn: keep, error: keep };
}

describe('orchestrator: a key the provider echoes never leaves the provider layer', () => {
  let h: Harness;
  let logged: string[];
  let records: UsageRecord[];
  beforeEach(async () => {
    logged = [];
    records = [];
    h = await startHarness({ deps: { logger: capturingLogger(logged), recorders: [{ record: async (r) => void records.push(r) }] } });
  });
  afterEach(() => h.close());

  for (const scenario of scenarios) {
    for (const echo of echoes) {
      it(`${scenario.name}, echoed in ${echo.name}`, async () => {
        await scenario.setup(h);
        h.orchestrator = h.restart();
        h.server.handle((r) => echo.reply(scenario.received(r) ?? 'nothing received'));
        const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'hi', model: scenario.model, stream: echo.stream }));
        assert.equal(scenario.received(h.server.chatRequests[0] as RecordedRequest), scenario.secret, 'the fake received the secret (and so echoed it)');
        assert.equal(e.kind, echo.kind, e.message);
        for (const [where, text] of views(e, logged, records)) {
          assert.equal(leak(text, scenario.secret), undefined, `the secret leaked into ${where}: ${text.slice(0, 600)}`);
        }
      });
    }
  }

  it('a key being checked before it is stored (validateKey) is not echoed back either', async () => {
    h.server.scriptCatalog(reply.error(401, { error: { code: 'unauthorized', message: `Bad credentials: ${UNPREFIXED}` } }));
    const result = await h.orchestrator.validateKey('github-models', UNPREFIXED);
    assert.equal(result.ok, false);
    const e = (result as { error: AurelisError }).error;
    assert.equal(e.kind, 'auth');
    for (const [where, text] of views(e, logged, records)) {
      assert.equal(leak(text, UNPREFIXED), undefined, `the key leaked into ${where}: ${text.slice(0, 600)}`);
    }
  });

  it('keeps the rest of the server’s words, with the key marked as redacted', async () => {
    await scenarios[1]?.setup(h);
    h.server.script(reply.error(401, { error: { code: 'invalid_api_key', message: `Access denied: key ${AZURE_HEX} is not valid for this resource.` } }));
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'hi', model: 'gpt-4o' }));
    assert.match(e.message, /The server said: "Access denied: key \[redacted\] is not valid for this resource\."/);
  });
});

describe('redacting known secret values', () => {
  it('redacts the value as written, URL-encoded and JSON-escaped', () => {
    const key = 'ab+cd/ef"gh\\ij';
    const text = `raw ${key} url ${encodeURIComponent(key)} json ${JSON.stringify(key)}`;
    assert.equal(redactValues(text, [key]), 'raw [redacted] url [redacted] json "[redacted]"');
  });

  it('leaves values too short to be credentials alone (they would garble the message)', () => {
    assert.equal(redactValues('GitHub Models v1 said no', ['v1', 'Models']), 'GitHub Models v1 said no');
  });

  it('redacts a longer value before a shorter one it contains, so no tail is left', () => {
    assert.equal(redactValues('key 12345678-tail', ['12345678', '12345678-tail']), 'key [redacted]');
  });

  it('counts the key and the added headers as secrets, never a preset’s public headers', () => {
    assert.deepEqual(secretValues({ provider: 'github-models', apiKey: 'tok', headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' } }), ['tok']);
    assert.deepEqual(secretValues({ provider: 'custom', headers: { 'X-Gateway-Key': GATEWAY } }), [GATEWAY]);
  });

  it('a library error that quotes the key (an invalid header value) keeps only a redacted copy as the cause', () => {
    // undici's words when a key holds a stray control character: the key is in the message.
    const original = new TypeError(`Headers.append: "Bearer ${UNPREFIXED}" is an invalid header value.`, { cause: new Error(`inner ${UNPREFIXED}`) });
    const ctx = { connection: { provider: 'openai' as const, label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', local: false, apiKey: UNPREFIXED, headers: {} }, model: 'gpt-4o', now: 0 };
    const { error } = classifyFailure(original, ctx);
    assert.equal(error.kind, 'unavailable');
    const cause = error.cause as Error;
    assert.notEqual(cause, original, 'the original error (with the key) is not kept');
    assert.equal(cause.name, 'TypeError');
    assert.equal(cause.message, 'Headers.append: "Bearer [redacted]" is an invalid header value.');
    assert.equal((cause.cause as Error).message, 'inner [redacted]');
    assert.equal(leak(inspect(error, { depth: null, showHidden: true }), UNPREFIXED), undefined);
  });

  it('a redacted cause keeps code and status for the log, and turns other values into redacted text', () => {
    const err = Object.assign(new Error(`refused ${AZURE_HEX}`), { code: 'ECONNRESET', status: 502 });
    const copy = redactedCause(err, (t) => redactValues(t, [AZURE_HEX])) as Error & { code?: string; status?: number };
    assert.deepEqual([copy.message, copy.code, copy.status], ['refused [redacted]', 'ECONNRESET', 502]);
    assert.equal(redactedCause({ key: AZURE_HEX }, (t) => redactValues(t, [AZURE_HEX])), '{"key":"[redacted]"}');
    assert.equal(redactedCause(undefined, (t) => t), undefined);
  });
});
