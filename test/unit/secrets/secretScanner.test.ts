import assert from 'node:assert/strict';
import { maskPreview, redact, SecretScanner } from '../../../src/core/secrets/secretScanner';
import type { SecretKind } from '../../../src/core/secrets/secretKinds';

const scanner = new SecretScanner();

/** A PEM body: random base64 in 64-character lines, the way openssl writes it. */
const KEY_BODY = [
  'MIIEowIBAAKCAQEA2DMuaHRcvV5n6zGaKhiDygNS5BXN17Tg3Oih8GeRmTCBlftX',
  'zsNCR+kdvr7HKNDvZyLlVOGJsV7EbsMuZzS4LxLMV014GQLjW/2j558MO0Xx9qpM',
  'VjeoZ5EuiBNjg/9/pDazHsNl+pMFHZ0bvTxBcWaBDMIypWACGUJARudXjIqCaveF',
  'kdj+GaNxz6UTjJirwvQLYu7wKGJ4+CvbfoqcmA5t8X5rSIZmmU9dh0l7p0WP7Uip',
  't79LBgPFPpUKoihowa9jDeVQv2UMlP258VESzOc5bbh6QPnBPguFGe/Pueh3JPr1',
];

interface Case {
  name: string;
  input: string;
  output: string;
  kinds: SecretKind[];
}

const CASES: Case[] = [
  {
    name: 'classic GitHub personal access token',
    input: 'const token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";',
    output: 'const token = "[REDACTED:github_token]";',
    kinds: ['github_token'],
  },
  {
    name: 'GitHub OAuth, app and refresh tokens',
    input: 'a gho_zORZbgmKRw609xhTGOWvGR1mZeEgbcWJNG5K b ghs_Ejmlhnl1ks7RgLdi8RDeWguzDBGwBnMxaOSc c ghu_zORZbgmKRw609xhTGOWvGR1mZeEgbcWJNG5K d ghr_Ejmlhnl1ks7RgLdi8RDeWguzDBGwBnMxaOSc',
    output: 'a [REDACTED:github_token] b [REDACTED:github_token] c [REDACTED:github_token] d [REDACTED:github_token]',
    kinds: ['github_token', 'github_token', 'github_token', 'github_token'],
  },
  {
    name: 'fine-grained GitHub token',
    input: "pat: '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'",
    output: "pat: '[REDACTED:github_token]'",
    kinds: ['github_token'],
  },
  {
    name: 'AWS access key ids (long-term and temporary)',
    input: 'AWS_ACCESS_KEY_ID=AKIAUVW75EFR6EDT4SYW\nsession: ASIAUMNMGIPIFQYG32IM',
    output: 'AWS_ACCESS_KEY_ID=[REDACTED:aws_access_key_id]\nsession: [REDACTED:aws_access_key_id]',
    kinds: ['aws_access_key_id', 'aws_access_key_id'],
  },
  {
    name: 'AWS secret access key in an ini file, JSON and code',
    input:
      '[default]\naws_secret_access_key = c7Tvo+hBKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas1\n' +
      '{"SecretAccessKey": "c7Tvo+hBKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas1"}\n' +
      'const awsSecret = `c7Tvo+hBKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas1`;',
    output:
      '[default]\naws_secret_access_key = [REDACTED:aws_secret_access_key]\n' +
      '{"SecretAccessKey": "[REDACTED:aws_secret_access_key]"}\n' +
      'const awsSecret = `[REDACTED:aws_secret_access_key]`;',
    kinds: ['aws_secret_access_key', 'aws_secret_access_key', 'aws_secret_access_key'],
  },
  {
    name: 'RSA private key block, the whole block',
    input: `key = """\n-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY.join('\n')}\n-----END RSA PRIVATE KEY-----\n"""`,
    output: 'key = """\n[REDACTED:private_key]\n"""',
    kinds: ['private_key'],
  },
  {
    name: 'PKCS#8 private key inside a JSON string (service-account file)',
    input: `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${KEY_BODY.join('\\n')}\\n-----END PRIVATE KEY-----\\n"}`,
    output: '{"type": "service_account", "private_key": "[REDACTED:private_key]\\n"}',
    kinds: ['private_key'],
  },
  {
    name: 'encrypted PEM with armour headers, and an OpenSSH key',
    input:
      `-----BEGIN ENCRYPTED PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F2A\n\n${KEY_BODY.slice(0, 2).join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n` +
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY.slice(2).join('\n')}\n-----END OPENSSH PRIVATE KEY-----`,
    output: '[REDACTED:private_key]\n[REDACTED:private_key]',
    kinds: ['private_key', 'private_key'],
  },
  {
    name: 'private key whose END line was cut off by the selection',
    input: `-----BEGIN EC PRIVATE KEY-----\n${KEY_BODY.slice(0, 2).join('\n')}\n\nconsole.log("next");`,
    output: '[REDACTED:private_key]\n\nconsole.log("next");',
    kinds: ['private_key'],
  },
  {
    name: 'PGP private key block',
    input: `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${KEY_BODY.slice(0, 3).join('\n')}\n=Xk2L\n-----END PGP PRIVATE KEY BLOCK-----`,
    output: '[REDACTED:private_key]',
    kinds: ['private_key'],
  },
  {
    name: 'JSON Web Token',
    input:
      'curl -H "Cookie: session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsIm5hbWUiOiJBZGEiLCJpYXQiOjE3MDAwMDAwMDB9.Zq3v9XkL2mB7nR4tW8yA1cE6gI0oU5sD3fH7jK9lP2Q" https://api.internal',
    output: 'curl -H "Cookie: session=[REDACTED:jwt]" https://api.internal',
    kinds: ['jwt'],
  },
  {
    name: 'Slack bot token, app token and webhook',
    input:
      'SLACK_BOT_TOKEN=xoxb-852808414852-5388853933633-HFwUbbYrEqmSM9wCZ7Uw9xfo\n' +
      'app = "xapp-1-AI4J7725FO2-8848288844693-3e2907da6ab6d9cfc8762199e4794d07a2eab0e1a34519d9d207a67f000e15f4"\n' +
      'post("https://hooks.slack.com/services/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", body)',
    output: 'SLACK_BOT_TOKEN=[REDACTED:slack_token]\napp = "[REDACTED:slack_token]"\npost("[REDACTED:slack_webhook]", body)',
    kinds: ['slack_token', 'slack_token', 'slack_webhook'],
  },
  {
    name: 'Stripe live, restricted, test and webhook secrets',
    input:
      'Stripe.apiKey = "sk_live_hh2FDEEtfjgVvVqE1SkHbn88";\n' +
      '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\n' +
      'STRIPE_TEST=sk_test_8vDuPngU30ZP7Thnp5yftIY7\n' +
      'endpointSecret = "whsec_uq6T2bwGfcCvJAXrF6bnZ3eBZclIvRY6"',
    output:
      'Stripe.apiKey = "[REDACTED:stripe_key]";\n[REDACTED:stripe_key]\nSTRIPE_TEST=[REDACTED:stripe_key]\nendpointSecret = "[REDACTED:stripe_key]"',
    kinds: ['stripe_key', 'stripe_key', 'stripe_key', 'stripe_key'],
  },
  {
    name: 'Google API key',
    input: '<script src="https://maps.googleapis.com/maps/api/js?key=AIzaVOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8"></script>',
    output: '<script src="https://maps.googleapis.com/maps/api/js?key=[REDACTED:google_api_key]"></script>',
    kinds: ['google_api_key'],
  },
  {
    name: 'OpenAI and Anthropic keys',
    input:
      'OPENAI_API_KEY=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\n' +
      'legacy: 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\n' +
      'client = Anthropic(api_key="sk-ant-api03-rec8TNecj9iNOrjj5VfqRTk8j1d-bWWbjkloG1QX647kdNl9cDo-_GbVMszvR4-EPZGz3zBXCOArr-SfiJvo58JB0W-O5AA")',
    output: 'OPENAI_API_KEY=[REDACTED:openai_key]\nlegacy: [REDACTED:openai_key]\nclient = Anthropic(api_key="[REDACTED:anthropic_key]")',
    kinds: ['openai_key', 'openai_key', 'anthropic_key'],
  },
  {
    name: 'database and broker URLs: only the password goes',
    input:
      'DATABASE_URL=postgres://app:Xk9!mPq2vL@db.internal:5432/app\n' +
      'mongo = "mongodb+srv://svc:q7R2xLmN4t@cluster0.ab1cd.mongodb.net/prod?retryWrites=true"\n' +
      'REDIS_URL=rediss://:Vb8kQ3zP1w@cache.internal:6380/0\n' +
      'amqp://orders:Hn4Wq9Lz2k@mq.internal:5672/%2f and mysql://root:T5vK8mQ2xZ@10.0.0.4/shop',
    output:
      'DATABASE_URL=postgres://app:[REDACTED:connection_string]@db.internal:5432/app\n' +
      'mongo = "mongodb+srv://svc:[REDACTED:connection_string]@cluster0.ab1cd.mongodb.net/prod?retryWrites=true"\n' +
      'REDIS_URL=rediss://:[REDACTED:connection_string]@cache.internal:6380/0\n' +
      'amqp://orders:[REDACTED:connection_string]@mq.internal:5672/%2f and mysql://root:[REDACTED:connection_string]@10.0.0.4/shop',
    kinds: ['connection_string', 'connection_string', 'connection_string', 'connection_string', 'connection_string'],
  },
  {
    name: 'ADO-style connection strings and password query parameters',
    input:
      '"Server=tcp:sql.internal,1433;Database=app;User Id=app;Password=Xk9mPq2vLr;Encrypt=true;"\n' +
      'DefaultEndpointsProtocol=https;AccountName=store1;AccountKey=q7R2xLmN4tVb8kQ3zP1wHn4Wq9Lz2kT5vK8mQ2xZ==;EndpointSuffix=core.windows.net\n' +
      'jdbc:postgresql://db/app?user=app&password=Hn4Wq9Lz2k&ssl=true',
    output:
      '"Server=tcp:sql.internal,1433;Database=app;User Id=app;Password=[REDACTED:connection_string];Encrypt=true;"\n' +
      'DefaultEndpointsProtocol=https;AccountName=store1;AccountKey=[REDACTED:connection_string];EndpointSuffix=core.windows.net\n' +
      'jdbc:postgresql://db/app?user=app&password=[REDACTED:connection_string]&ssl=true',
    kinds: ['connection_string', 'connection_string', 'connection_string'],
  },
  {
    name: 'high-entropy values assigned to secret names, in many syntaxes',
    input: [
      'const apiKey = "jJJibaZUPgHV7iB3m03nbqnsGpWLuqIA";',
      'private readonly clientSecret: string = \'47f39b8868767611088d013782257bffb6aaf423\';',
      'API_TOKEN = r"Vb8kQ3zP1wHn4Wq9Lz2kT5vK"',
      'authToken := "q7R2xLmN4tVb8kQ3zP1wHn4W"',
      '  "client_secret": "gTtpU4r16H1UrLq7R2xLmN4t",',
      "  :session_key => 'Hn4Wq9Lz2kT5vK8mQ2xZ0aB1',",
      'export NPM_TOKEN=npm_q7R2xLmN4tVb8kQ3zP1wHn4Wq9Lz2kT5vK8m',
      'jwt_secret: 9f86d081884c7d659a2feaa0c55ad015',
      'spring.datasource.credentials=Lz2kT5vK8mQ2xZ0aB1Hn4W',
    ].join('\n'),
    output: [
      'const apiKey = "[REDACTED:generic_secret]";',
      "private readonly clientSecret: string = '[REDACTED:generic_secret]';",
      'API_TOKEN = r"[REDACTED:generic_secret]"',
      'authToken := "[REDACTED:generic_secret]"',
      '  "client_secret": "[REDACTED:generic_secret]",',
      "  :session_key => '[REDACTED:generic_secret]',",
      'export NPM_TOKEN=[REDACTED:generic_secret]',
      'jwt_secret: [REDACTED:generic_secret]',
      'spring.datasource.credentials=[REDACTED:generic_secret]',
    ].join('\n'),
    kinds: Array<SecretKind>(9).fill('generic_secret'),
  },
  {
    name: 'passwords assigned to password names',
    input: 'DB_PASSWORD=kY7#mQ2!vR\nconfig = { password: "Tr0ub4dor&3x" }\n$dbPass = \'Wn8$pL3q\';\nsmtp_passwd: "hQ5^zR8@"',
    output: 'DB_PASSWORD=[REDACTED:password]\nconfig = { password: "[REDACTED:password]" }\n$dbPass = \'[REDACTED:password]\';\nsmtp_passwd: "[REDACTED:password]"',
    kinds: ['password', 'password', 'password', 'password'],
  },
  {
    name: 'credentials in Authorization and API-key headers',
    input:
      'headers: { Authorization: "Bearer q7R2xLmN4tVb8kQ3zP1wHn4W" }\n' +
      'curl -H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l" -H "X-Api-Key: Hn4Wq9Lz2kT5vK8mQ2xZ0aB1" https://api',
    output:
      'headers: { Authorization: "Bearer [REDACTED:auth_header]" }\n' +
      'curl -H "Authorization: Basic [REDACTED:auth_header]" -H "X-Api-Key: [REDACTED:auth_header]" https://api',
    kinds: ['auth_header', 'auth_header', 'auth_header'],
  },
];

describe('SecretScanner', () => {
  it('answers a text scanned again as the first time: clean stays clean, a secret is found every time', () => {
    const scanner = new SecretScanner();
    const clean = 'You are a concise senior engineer. Answer in Markdown.';
    assert.deepEqual(scanner.scan(clean), []);
    assert.deepEqual(scanner.scan(clean), []);
    const withKey = `${clean}\nconst token = "ghp_${'a1B2c3D4e5'.repeat(3)}123456";`;
    const first = scanner.scan(withKey);
    assert.equal(first.length, 1);
    assert.deepEqual(scanner.scan(withKey), first);
    assert.deepEqual(new SecretScanner().scan(withKey), first);
  });

  for (const c of CASES) {
    it(`detects and redacts exactly: ${c.name}`, () => {
      const findings = scanner.scan(c.input);
      assert.deepEqual(
        findings.map((f) => f.kind),
        c.kinds,
      );
      assert.equal(redact(c.input, findings), c.output);
      assert.equal(scanner.redactText(c.input), c.output);
    });
  }

  it('reports line, column, length and offset of each secret', () => {
    const text = 'first line\n  token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"\r\nAKIAUVW75EFR6EDT4SYW';
    const [gh, aws] = scanner.scan(text);
    assert.deepEqual(gh, { kind: 'github_token', line: 2, column: 12, offset: 22, length: 40, preview: 'ghp_…' });
    assert.deepEqual(aws, { kind: 'aws_access_key_id', line: 3, column: 1, offset: 65, length: 20, preview: 'AKIA…' });
    assert.equal(text.slice(gh?.offset, (gh?.offset ?? 0) + (gh?.length ?? 0)), 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d');
  });

  it('never puts the secret in a finding', () => {
    const secret = 'jJJibaZUPgHV7iB3m03nbqnsGpWLuqIA';
    const findings = scanner.scan(`apiKey = "${secret}"\nDB_PASSWORD=kY7#mQ2!vR`);
    const json = JSON.stringify(findings);
    assert.equal(findings.length, 2);
    assert.ok(!json.includes(secret));
    assert.ok(!json.includes('kY7#mQ2!vR'));
    assert.ok(!json.includes('kY7#'), 'a short secret shows at most a quarter of itself');
  });

  it('masks previews: four characters at most, a quarter of short secrets', () => {
    assert.equal(maskPreview('ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d'), 'ghp_…');
    assert.equal(maskPreview('kY7#mQ2!vR'), 'kY…');
    assert.equal(maskPreview('abc'), '…');
  });

  it('prefers the most specific kind when detectors overlap', () => {
    const text = 'GITHUB_TOKEN="ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"\nDATABASE_URL=postgres://u:sk_live_hh2FDEEtfjgVvVqE1SkHbn88@db/app';
    assert.equal(scanner.redactText(text), 'GITHUB_TOKEN="[REDACTED:github_token]"\nDATABASE_URL=postgres://u:[REDACTED:stripe_key]@db/app');
  });

  it('flags real-format tokens even in test code, but not single-character documentation bodies', () => {
    const text = [
      "it('rejects a revoked token', () => { client.auth('ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d'); });",
      'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX',
      'SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'STRIPE=sk_live_0000000000000000000000000',
    ].join('\n');
    assert.deepEqual(
      scanner.scan(text).map((f) => [f.kind, f.line]),
      [['github_token', 1]],
    );
  });

  it('treats placeholders, references and low-entropy values as not secret', () => {
    const text = [
      'const apiKey = "your-api-key-here";',
      'API_KEY=<your-api-key>',
      'TOKEN=${GITHUB_TOKEN}',
      'token: {{ .Values.token }}',
      'password: "changeme"',
      'DB_PASSWORD=P@ssw0rd123',
      'SECRET_KEY = "xxxxxxxxxxxxxxxxxxxxxxxx"',
      'apiKey: process.env.OPENAI_API_KEY,',
      'api_key = os.environ["API_KEY"]',
      'auth_token = "****************"',
      'client_secret = "1234567890abcdef1234"',
      'const password = userPassword;',
      'token = self.token',
      'secret: !vault |',
      'AUTH_TOKEN=$AUTH_TOKEN',
      'session_secret = "keyboard-cat-session-secret"',
      'errorToken: "AccessTokenExpired"',
      'signingKey = "generateKey2048bitRSA"',
      'const fakeToken = "q7R2xLmN4tVb8kQ3zP1wHn4W";',
      'password = "hunter2"',
      'privateKey: "/etc/ssl/private/server2.key"',
      "  PWD: '/Users/jane/projects/app-2',",
      'DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev',
      'url = "postgresql://{user}:{password}@{host}/{db}"',
      'mongodb://user:password@localhost:27017',
      'amqp://guest:guest@localhost:5672',
      'redis://:${REDIS_PASSWORD}@redis:6379',
      '"Server=localhost;Database=app;User Id=sa;Password=<YourStrong!Passw0rd>;"',
      'headers: { Authorization: `Bearer ${token}` }',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----',
      "if (pem.startsWith('-----BEGIN PRIVATE KEY-----')) return parse(pem);",
      '"password": "Passwort", "token": "Jeton d\'accès", "apiKey": "API-Schlüssel"',
    ].join('\n');
    assert.deepEqual(scanner.scan(text), []);
  });

  it('does not mistake ordinary identifiers for secret names', () => {
    const text = [
      'const maxTokens = "q7R2xLmN4tVb8kQ3zP1wHn4W";',
      'author: "Hn4Wq9Lz2kT5vK8mQ2xZ0aB1"',
      'cacheKey = "9f86d081884c7d659a2feaa0c55ad015"',
      'passwordHint: "Lz2kT5vK8mQ2xZ0aB1Hn4W"',
      'tokenizer: "o200k_base_v2_9f86d081"',
      'publicKey = "Vb8kQ3zP1wHn4Wq9Lz2kT5vK"',
    ].join('\n');
    assert.deepEqual(scanner.scan(text), []);
  });

  it('handles text without secrets and empty text', () => {
    assert.deepEqual(scanner.scan(''), []);
    assert.equal(scanner.redactText('plain words'), 'plain words');
  });

  it('finds nothing in a megabyte of base64 image data and minified code', () => {
    const blob = Buffer.alloc(750_000, 'q7R2xLmN4tVb8kQ3zP1wHn4W').toString('base64');
    const text = `data:image/png;base64,${blob}\n${'var a=b.c(d,e);'.repeat(20_000)}`;
    assert.deepEqual(scanner.scan(text), []);
  });
});
