/**
 * Texts for the tests that hold the scanner's skipping of passes to running them all: every
 * file with secrets or secret-like text the project has (fixtures, the tests' inputs as
 * written in their sources, the detectors' own sources), samples of each secret format, and
 * texts made from those samples: near misses of each trigger, secrets split across lines,
 * letter-case variants, JSON-escaped and CRLF forms, and seeded random mixes of the pieces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Files whose text holds secrets, near-secrets or the detectors' own patterns. */
const FILES = [
  'src/cli/commands/init.ts',
  'src/core/audit/auditEvents.ts',
  'src/extension/secretQuestion.ts',
  'test/cli/config.test.ts',
  'test/cli/review.test.ts',
  'test/fixtures/answers/editShapes.ts',
  'test/host/editor/answers.test.ts',
  'test/host/editor/security.test.ts',
  'test/host/editor/workspacePolicy.test.ts',
  'test/unit/audit/auditLog.test.ts',
  'test/unit/audit/auditTrail.test.ts',
  'test/unit/orchestrator/catalog.test.ts',
  'test/unit/orchestrator/errors.test.ts',
  'test/unit/orchestrator/harness.ts',
  'test/unit/orchestrator/presets.test.ts',
  'test/unit/orchestrator/run.test.ts',
  'test/unit/review/batchReview.test.ts',
  'test/unit/review/cliConfig.test.ts',
  'test/unit/team/teamHarness.ts',
  'test/unit/team/telemetry.test.ts',
];
/** Folders whose every file is taken. */
const FOLDERS = ['src/core/secrets', 'test/unit/secrets', 'test/fixtures/corpus/clean', 'test/fixtures/corpus/secrets'];

export function projectTexts(): string[] {
  const fromFolders = FOLDERS.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .sort()
      .map((f) => path.join(dir, f)),
  );
  return [...FILES, ...fromFolders].map((f) => readFileSync(path.join(ROOT, f), 'utf8'));
}

/** A PEM body: base64 in 64-character lines. */
const KEY_LINES = [
  'MIIEowIBAAKCAQEA2DMuaHRcvV5n6zGaKhiDygNS5BXN17Tg3Oih8GeRmTCBlftX',
  'zsNCR+kdvr7HKNDvZyLlVOGJsV7EbsMuZzS4LxLMV014GQLjW/2j558MO0Xx9qpM',
  'VjeoZ5EuiBNjg/9/pDazHsNl+pMFHZ0bvTxBcWaBDMIypWACGUJARudXjIqCaveF',
];

function pem(label: string, lines = KEY_LINES, end = true): string {
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${end ? `\n-----END ${label}-----` : '\n'}`;
}

function base64url(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64url');
}

const SIGNATURE = 'Zq3v9XkL2mB7nR4tW8yA1cE6gI0oU5sD3fH7jK9lP2Q';

/** One or more real-format secrets per pass, each as it would sit in a file. */
export const SAMPLES: readonly string[] = [
  pem('RSA PRIVATE KEY'),
  pem('PRIVATE KEY'),
  pem('EC PRIVATE KEY', KEY_LINES.slice(0, 2), false),
  pem('OPENSSH PRIVATE KEY').replace(/\n/g, '\r\n'),
  `-----BEGIN ENCRYPTED PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F2A\n\n${KEY_LINES.join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----`,
  `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${KEY_LINES.join('\n')}\n=Xk2L\n-----END PGP PRIVATE KEY BLOCK-----`,
  `{"type": "service_account", "private_key": ${JSON.stringify(`${pem('PRIVATE KEY')}\n`)}}`,
  `key = ("-----BEGIN RSA PRIVATE KEY-----\\n" +\n  "${KEY_LINES.join('\\n" +\n  "')}\\n" +\n  "-----END RSA PRIVATE KEY-----")`,
  'const token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";',
  'a gho_zORZbgmKRw609xhTGOWvGR1mZeEgbcWJNG5K b ghs_Ejmlhnl1ks7RgLdi8RDeWguzDBGwBnMxaOSc c ghu_zORZbgmKRw609xhTGOWvGR1mZeEgbcWJNG5K d ghr_Ejmlhnl1ks7RgLdi8RDeWguzDBGwBnMxaOSc',
  "pat: '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'",
  'AWS_ACCESS_KEY_ID=AKIAUVW75EFR6EDT4SYW\nsession: ASIAUMNMGIPIFQYG32IM',
  `Cookie: session=${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url('{"sub":"42","name":"Ada"}')}.${SIGNATURE}`,
  `unsigned ${base64url('{"alg":"none"}')}.${base64url('{"sub":"42","iat":1700000000}')}.`,
  `ew ${base64url('{\n"alg":"RS256"}')}.${base64url('{\n"sub":"7","aud":"api"}')}.${SIGNATURE}`,
  'SLACK_BOT_TOKEN=xoxb-852808414852-5388853933633-HFwUbbYrEqmSM9wCZ7Uw9xfo\nrotating xoxe.xoxp-1-Mi0yLTU0ODM5NzQ2NjctODQx',
  'app = "xapp-1-AI4J7725FO2-8848288844693-3e2907da6ab6d9cfc8762199e4794d07a2eab0e1a34519d9d207a67f000e15f4"',
  'post("https://hooks.slack.com/services/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", body)',
  'Stripe.apiKey = "sk_live_hh2FDEEtfjgVvVqE1SkHbn88";\nrk_test_ue1cr3McRTrKwtPYKbPizDmbX1rpXjYdOh\nSTRIPE_TEST=sk_test_8vDuPngU30ZP7Thnp5yftIY7',
  'endpointSecret = "whsec_uq6T2bwGfcCvJAXrF6bnZ3eBZclIvRY6"',
  '<script src="https://maps.googleapis.com/maps/api/js?key=AIzaVOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8"></script>',
  'OPENAI_API_KEY=sk-proj-biheyEd7P4zDL-ak6J0kGODKdinZnLXicaBAg8WY1jzIRlNQb0prFmbh7_wy5yq1XoY1BaIMcAT3BlbkFJxYmfsB4HbQ',
  'legacy: 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',
  'client = Anthropic(api_key="sk-ant-api03-rec8TNecj9iNOrjj5VfqRTk8j1d-bWWbjkloG1QX647kdNl9cDo-_GbVMszvR4-EPZGz3zBXCOArr-SfiJvo58JB0W-O5AA")',
  'DATABASE_URL=postgres://app:Xk9!mPq2vL@db.internal:5432/app\nmongo = "mongodb+srv://svc:q7R2xLmN4t@cluster0.ab1cd.mongodb.net/prod"',
  'REDIS_URL=rediss://:Vb8kQ3zP1w@cache.internal:6380/0 and smtp://mail:Hn4Wq9Lz2k@smtp.internal',
  'jdbc:postgresql://db/app?user=app&password=Hn4Wq9Lz2k&ssl=true\nsee db.internal?PWD=Zq8fK2pLm4x',
  '"Server=tcp:sql.internal,1433;Database=app;User Id=app;Password=Xk9mPq2vLr;Encrypt=true;"',
  'DefaultEndpointsProtocol=https;AccountName=store1;AccountKey=q7R2xLmN4tVb8kQ3zP1wHn4Wq9Lz2kT5vK8mQ2xZ==;EndpointSuffix=core.windows.net',
  'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey = Vb8kQ3zP1wHn4Wq9Lz2kT5vK=',
  'const apiKey = "jJJibaZUPgHV7iB3m03nbqnsGpWLuqIA";\nprivate readonly clientSecret: string = \'47f39b8868767611088d013782257bffb6aaf423\';',
  'API_TOKEN = r"Vb8kQ3zP1wHn4Wq9Lz2kT5vK"\nauthToken := "q7R2xLmN4tVb8kQ3zP1wHn4W"\n  :session_key => \'Hn4Wq9Lz2kT5vK8mQ2xZ0aB1\',',
  '{"SecretAccessKey": "c7Tvo+hBKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas1", "password": `Tr0ub4dor&3x`}',
  'export NPM_TOKEN=npm_q7R2xLmN4tVb8kQ3zP1wHn4Wq9Lz2kT5vK8m\njwt_secret: 9f86d081884c7d659a2feaa0c55ad015\nDB_PASSWORD=kY7#mQ2!vR # prod',
  '[default]\naws_secret_access_key = c7Tvo+hBKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas1\r\n  - api_token: Lz2kT5vK8mQ2xZ0aB1Hn4W\r\nset SECRET=Wn8$pL3qZ0aB1x',
  'headers: { Authorization: "Bearer q7R2xLmN4tVb8kQ3zP1wHn4W" }',
  'curl -H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l" -H "X-Api-Key: Hn4Wq9Lz2kT5vK8mQ2xZ0aB1" -H "PRIVATE-TOKEN: glpat8mQ2xZ0aB1Hn4Wq9L"',
  "proxy-authorization = 'Digest Lz2kT5vK8mQ2xZ0aB1Hn4W' and x-auth-token: Vb8kQ3zP1wHn4Wq9Lz2k and X-Access-Token : q7R2xLmN4tVb8kQ3zP1w",
];

/** Letters whose case `i` never pairs with an ASCII letter: `ſ` (long s), `K` (Kelvin), `ı` (dotless i). */
const LOOKALIKES: Record<string, string> = { s: 'ſ', S: 'ſ', k: 'K', K: 'K', i: 'ı', I: 'ı' };

/** A neighbour of a character that a trigger would not accept in its place. */
function nearMiss(ch: string): string {
  if (/[a-z]/.test(ch)) return ch.toUpperCase();
  if (/[A-Z]/.test(ch)) return ch.toLowerCase();
  return ({ '-': '_', _: '-', ':': ';', '/': '\\', '.': ',', '=': '~', '?': '!', '&': '+', ' ': '\t', '"': "'", "'": '"', '`': "'", '@': '#' } as Record<string, string>)[ch] ?? 'x';
}

function swapCase(text: string): string {
  return [...text].map((ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

/** The sample in contexts that test the patterns' edges: glued to word characters, quoted, escaped, with other line breaks. */
function contexts(s: string): string[] {
  return [
    s,
    `x${s}`,
    `_${s}`,
    `-${s}`,
    `.${s}`,
    `${s}x`,
    `${s}_`,
    `"${s}"`,
    `token = "${s}"`,
    `\n${s}\n`,
    JSON.stringify(s),
    JSON.stringify({ value: s }),
    s.replace(/\n/g, '\r\n'),
    s.replace(/\n/g, '\r'),
    s.replace(/\n/g, '\u2028'),
    s.replace(/\n/g, '\\n'),
  ];
}

/** The sample broken at many places by a line break, a space, an escaped break or a string continuation. */
function splits(s: string): string[] {
  const separators = ['\n', ' ', '\\n', '" +\n  "', '\r\n'];
  const step = Math.max(1, Math.floor(s.length / 40));
  const out: string[] = [];
  for (let i = 1, n = 0; i < s.length; i += step, n++) out.push(`${s.slice(0, i)}${separators[n % separators.length]}${s.slice(i)}`);
  return out;
}

/** Letter-case variants, look-alike letters, and each of the first characters deleted or replaced by a neighbour. */
function nearMisses(s: string): string[] {
  const out = [s.toUpperCase(), s.toLowerCase(), swapCase(s), s.replace(/[sSkKiI]/g, (ch) => LOOKALIKES[ch] ?? ch)];
  for (let i = 0; i < Math.min(s.length, 48); i++) {
    out.push(s.slice(0, i) + s.slice(i + 1));
    out.push(s.slice(0, i) + nearMiss(s.charAt(i)) + s.slice(i + 1));
  }
  for (let cut = 1; cut <= 3; cut++) out.push(s.slice(0, -cut));
  return out;
}

/**
 * Every occurrence of each trigger in the sample, one character at a time, replaced by a
 * neighbour: the texts where a trigger is only just absent, or present in another case.
 */
export function triggerNearMisses(s: string, triggers: readonly RegExp[]): string[] {
  const out: string[] = [];
  for (const trigger of triggers) {
    const global = new RegExp(trigger.source, `${trigger.flags}g`);
    for (const m of s.matchAll(global)) {
      for (let i = 0; i < Math.min(m[0].length, 24); i++) {
        const at = (m.index ?? 0) + i;
        out.push(s.slice(0, at) + nearMiss(s.charAt(at)) + s.slice(at + 1));
        out.push(s.slice(0, at) + s.slice(at + 1));
      }
    }
  }
  return out;
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + '\n\t';

/**
 * The sample with each character of the trigger's first occurrence replaced by every printable
 * character in turn, and with every printable character inserted before it: a pattern widened
 * (another prefix, another letter, another case) without its trigger matches one of these
 * without the trigger.
 */
export function triggerSubstitutions(s: string, trigger: RegExp): string[] {
  const m = trigger.exec(s);
  if (m === null) return [];
  const out: string[] = [];
  for (let at = m.index; at < m.index + Math.min(m[0].length, 48); at++) {
    for (const ch of PRINTABLE) out.push(s.slice(0, at) + ch + s.slice(at + 1), s.slice(0, at) + ch + s.slice(at));
  }
  return out;
}

/** Seeded, so a failure shows the same texts every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '-----BEGIN ', 'PRIVATE KEY', '-----', '-----END ', 'RSA ', ' BLOCK', 'ghp_', 'gho_', 'github_pat_', 'AKIA', 'ASIA', 'akia', 'eyJ', 'ew', '.', 'xoxb-', 'xoxe.',
  'xapp-', 'https://hooks.slack.com/services/', 'hooks.slack.com/', 'sk_live_', 'rk_test_', 'whsec_', 'AIza', 'sk-', 'sk-proj-', 'sk-ant-api03-', 'T3BlbkFJ',
  'postgres://', 'https://', '://', ':', '@', '?password=', '&pwd=', '?PassWd=', 'Password=', 'PASSWORD = ', 'AccountKey=', 'sharedaccesskey=', 'Server=db;', 'User Id=app;',
  ';', '=', ' = ', ': ', ':=', '=>', '"', "'", '`', 'r"', 'Authorization: Bearer ', 'AUTHORIZATION=basic ', 'x-api-key: ', 'Private-Token: ', 'export ', 'set ', '- ',
  'API_TOKEN', 'apiKey', 'client_secret', 'password', 'aws_secret_access_key', ' # note', '\n', '\r\n', '\n  ', ' ', '\t', '\\n', '{', '}', '/', '#',
];
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random mixes of trigger pieces, punctuation and random base62 runs (some long enough to be tokens). */
function mixes(count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const run = (): string => {
    const length = pick([4, 8, 12, 16, 20, 22, 24, 32, 35, 36, 40, 44, 59, 64, 80, 90]);
    return Array.from({ length }, () => pick([...BASE62])).join('');
  };
  const texts: string[] = [];
  for (let t = 0; t < count; t++) {
    const parts: string[] = [];
    const length = 3 + Math.floor(next() * 30);
    for (let p = 0; p < length; p++) parts.push(next() < 0.35 ? run() : next() < 0.1 ? pick(SAMPLES) : pick(PIECES));
    texts.push(parts.join(''));
  }
  return texts;
}

/** Samples joined, many at a time, with every kind of separator. */
function joins(count: number, seed: number): string[] {
  const next = random(seed);
  const out = [SAMPLES.join('\n'), SAMPLES.join(' '), SAMPLES.join('\r\n'), SAMPLES.join('')];
  for (let t = 0; t < count; t++) {
    const picked = SAMPLES.filter(() => next() < 0.2);
    out.push(picked.join(['\n', ' ', ';', '\n\n', '","'][t % 5] ?? '\n'));
  }
  return out;
}

/** The whole corpus; `triggers` are the ones whose near misses it should hold. */
export function triggerCorpus(triggers: readonly RegExp[]): string[] {
  const fromSamples = SAMPLES.flatMap((s) => [...contexts(s), ...splits(s), ...nearMisses(s), ...triggerNearMisses(s, triggers)]);
  return [...projectTexts(), ...fromSamples, ...joins(200, 17), ...mixes(2000, 42)];
}
