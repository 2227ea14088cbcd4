/**
 * Secrets whose shape alone identifies them: issuers put a fixed prefix (or a PEM armour, or
 * a JSON header) on every credential so that scanners like this one can find them. A match
 * is a secret wherever it appears, test fixtures and documentation included; the only
 * exemption is a body that is one character repeated (`ghp_xxxx…`), which no issuer mints.
 */
import { matchPass, type Candidate, type Pass } from './detection';
import { isRepeatedCharacter } from './secretValues';

/** A token whose body (the pattern's first group) is one character repeated is an example, not a secret. */
function firstGroupReal(m: RegExpExecArray): boolean {
  return !isRepeatedCharacter(m[1] ?? '');
}

/** Below this many base64 characters a PEM block is an elided example (`MIIE…`), not a key. */
const MIN_KEY_BODY = 32;
/** How far a PEM block may run before its END line must have appeared. */
const MAX_KEY_BLOCK = 64 * 1024;

/**
 * `-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----` through the matching
 * END line, the whole block. Also inside JSON strings (`"-----BEGIN…\nMIIE…\n-----END…"`) and
 * when the END line was cut off by a selection (then the base64 lines that follow).
 */
const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;

export const privateKeyPasses: readonly Pass[] = [
  // Every block starts with the BEGIN line the pattern opens with.
  { trigger: /-----BEGIN /, pattern: PEM_BEGIN, find: privateKeyBlocks },
];

function privateKeyBlocks(text: string, out: Candidate[]): void {
  PEM_BEGIN.lastIndex = 0;
  // Per END marker, where it next occurs (-1: nowhere further): many BEGINs without an END must not each search to the end of the text.
  const nextEnd = new Map<string, number>();
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const label = `${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}`;
    const bodyStart = m.index + m[0].length;
    const endMarker = `-----END ${label}-----`;
    const known = nextEnd.get(endMarker);
    const endAt = known === -1 || (known !== undefined && known >= bodyStart) ? known : text.indexOf(endMarker, bodyStart);
    nextEnd.set(endMarker, endAt);
    let end: number;
    let body: string;
    if (endAt !== -1 && endAt - bodyStart <= MAX_KEY_BLOCK && isArmouredBody(text.slice(bodyStart, endAt))) {
      body = text.slice(bodyStart, endAt);
      end = endAt + endMarker.length;
    } else {
      end = unterminatedBlockEnd(text, bodyStart);
      body = text.slice(bodyStart, end);
    }
    const base64 = body.replace(/\\[nr]/g, '').replace(/^[A-Za-z-]+: .*$/gm, '').replace(/[^A-Za-z0-9+/]/g, '');
    if (base64.length >= MIN_KEY_BODY && !isRepeatedCharacter(base64)) out.push({ kind: 'private_key', start: m.index, end });
    PEM_BEGIN.lastIndex = Math.max(PEM_BEGIN.lastIndex, end);
  }
}

/**
 * Only armour headers, base64, line breaks (real or `\\n` escapes) and the quotes and pluses
 * of a string split across source lines. Anything else means the END line found belongs to
 * some other block (two examples in one document), not to this BEGIN.
 */
function isArmouredBody(body: string): boolean {
  return /^[A-Za-z0-9+/=\s"'`,]*$/.test(body.replace(/\\[nr]/g, '\n').replace(/^[\s"'`+]*[A-Za-z-]+: .*$/gm, ''));
}

/**
 * Where a PEM block whose END line is missing stops: after the armour headers and base64
 * lines that follow BEGIN, at the first line that is neither. Also the JSON-string form, where
 * the lines are joined with `\\n` escapes.
 */
function unterminatedBlockEnd(text: string, from: number): number {
  const escaped = /^(?:\\[nr]|[A-Za-z0-9+/=])+/.exec(text.slice(from, from + MAX_KEY_BLOCK));
  if (escaped?.[0].includes('\\n')) return from + escaped[0].replace(/(?:\\[nr])+$/, '').length;
  const line = /\r?\n([^\r\n]*)/y;
  let end = from;
  let bodySeen = false;
  line.lastIndex = from;
  for (let m = line.exec(text); m !== null && m.index - from <= MAX_KEY_BLOCK; m = line.exec(text)) {
    const content = (m[1] ?? '').trim();
    if (/^[A-Za-z0-9+/]+=*$/.test(content)) bodySeen = true;
    else if (bodySeen || !(/^[A-Za-z-]+: \S/.test(content) || content === '')) break;
    end = m.index + m[0].length;
  }
  return end;
}

/**
 * GitHub: `ghp_` (personal), `gho_` (OAuth), `ghu_` (app user-to-server), `ghs_` (app
 * server-to-server), `ghr_` (refresh) followed by 36 base62 characters (the last six a
 * checksum; GitHub reserves the right to grow them to 255), and fine-grained personal tokens
 * `github_pat_` + 22 + `_` + 59 base62 characters.
 */
const GITHUB_CLASSIC = /(?<![A-Za-z0-9_])gh[pousr]_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/dg;
const GITHUB_FINE_GRAINED = /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9]{22})_([A-Za-z0-9]{59,221})(?![A-Za-z0-9_])/dg;

export const githubTokenPasses: readonly Pass[] = [
  // The pattern opens with the type prefix.
  matchPass(/gh[pousr]_/, GITHUB_CLASSIC, 'github_token', firstGroupReal),
  // The pattern opens with the prefix.
  matchPass(/github_pat_/, GITHUB_FINE_GRAINED, 'github_token', (m) => !isRepeatedCharacter(`${m[1] ?? ''}${m[2] ?? ''}`)),
];

/** AWS access key ids: `AKIA` (long-term) or `ASIA` (temporary, STS) and 16 upper-case base32 characters. */
const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)([A-Z0-9]{16})(?![A-Za-z0-9])/dg;

export const awsAccessKeyIdPasses: readonly Pass[] = [
  // The pattern opens with one of the two prefixes (case matters).
  matchPass(/A[KS]IA/, AWS_KEY_ID, 'aws_access_key_id', firstGroupReal),
];

/**
 * JSON Web Tokens: three base64url parts where the first decodes to a JSON object with an
 * `alg` and the second to a JSON object. Unsigned tokens (`alg: none`) end with a dot.
 */
const JWT = /(?<![A-Za-z0-9_-])(e[wy][A-Za-z0-9_-]{8,})\.(e[wy][A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]*)/dg;

export const jsonWebTokenPasses: readonly Pass[] = [
  // The pattern's header part and the start of its payload (`{"` in base64url is `ey` or `ew`).
  matchPass(/(?<![A-Za-z0-9_-])e[wy][A-Za-z0-9_-]{8,}\.e[wy]/, JWT, 'jwt', (m) => {
    const header = decodeJsonObject(m[1] ?? '');
    if (!header || typeof header.alg !== 'string' || !decodeJsonObject(m[2] ?? '')) return false;
    return header.alg.toLowerCase() === 'none' || (m[3] ?? '').length >= 16;
  }),
];

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Slack: bot, user, app, refresh and legacy tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`,
 * `xoxs-`, `xoxo-`, `xoxe-`, `xoxe.xoxp-`: a numeric segment, then more), app-level tokens
 * (`xapp-1-…`) and incoming-webhook / workflow URLs on hooks.slack.com.
 */
const SLACK_TOKEN = /(?<![A-Za-z0-9.-])(?:xoxe\.)?xox[abposre]-[0-9]+-[A-Za-z0-9-]{8,}[A-Za-z0-9]/g;
const SLACK_APP_TOKEN = /(?<![A-Za-z0-9-])xapp-[0-9]+-[A-Z0-9]+-[0-9]+-[A-Za-z0-9]{16,}/g;
const SLACK_WEBHOOK = /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+){1,3}/g;

function lastSegmentReal(m: RegExpExecArray): boolean {
  return !isRepeatedCharacter(m[0].split(/[-/]/).pop() ?? '');
}

export const slackSecretPasses: readonly Pass[] = [
  // The token type, after the optional `xoxe.` of a rotating token.
  matchPass(/xox[abposre]-/, SLACK_TOKEN, 'slack_token', lastSegmentReal),
  // The pattern opens with the prefix.
  matchPass(/xapp-/, SLACK_APP_TOKEN, 'slack_token', lastSegmentReal),
  // The pattern opens with the host.
  matchPass(/https:\/\/hooks\.slack\.com\//, SLACK_WEBHOOK, 'slack_webhook', lastSegmentReal),
];

/**
 * Stripe secret (`sk_live_`, `sk_test_`) and restricted (`rk_live_`, `rk_test_`) keys, and
 * webhook signing secrets (`whsec_`). Test-mode keys are flagged too: they open the account's
 * test data and sit in the same files as the live ones. Publishable keys (`pk_…`) are public
 * by design and are not flagged.
 */
const STRIPE_KEY = /(?<![A-Za-z0-9_])[sr]k_(?:live|test)_([A-Za-z0-9]{20,247})(?![A-Za-z0-9_])/dg;
const STRIPE_WEBHOOK_SECRET = /(?<![A-Za-z0-9_])whsec_([A-Za-z0-9+/]{24,})(?![A-Za-z0-9_])/dg;

export const stripeKeyPasses: readonly Pass[] = [
  // The pattern opens with the key type and mode.
  matchPass(/[sr]k_(?:live|test)_/, STRIPE_KEY, 'stripe_key', firstGroupReal),
  // The pattern opens with the prefix.
  matchPass(/whsec_/, STRIPE_WEBHOOK_SECRET, 'stripe_key', firstGroupReal),
];

/** Google API keys: `AIza` and 35 base64url characters. */
const GOOGLE_API_KEY = /(?<![A-Za-z0-9_-])AIza([A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/dg;

export const googleApiKeyPasses: readonly Pass[] = [
  // The pattern opens with the prefix (case matters).
  matchPass(/AIza/, GOOGLE_API_KEY, 'google_api_key', firstGroupReal),
];

/**
 * OpenAI keys: project, service-account and admin keys (`sk-proj-`, `sk-svcacct-`,
 * `sk-admin-`) and legacy user keys, which carry `T3BlbkFJ` (base64 of "OpenAI") in the middle.
 * Anthropic keys: `sk-ant-api03-…`, `sk-ant-admin01-…`.
 */
const OPENAI_KEY = /(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,})(?![A-Za-z0-9_-])/dg;
const OPENAI_LEGACY_KEY = /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9_-])/g;
const ANTHROPIC_KEY = /(?<![A-Za-z0-9_-])sk-ant-[a-z]+[0-9]{2}-([A-Za-z0-9_-]{80,})(?![A-Za-z0-9_-])/dg;

export const aiProviderKeyPasses: readonly Pass[] = [
  // The pattern opens with the key type.
  matchPass(/sk-(?:proj|svcacct|admin)-/, OPENAI_KEY, 'openai_key', firstGroupReal),
  // The fixed middle of every legacy key: rarer in ordinary text than its `sk-`.
  matchPass(/T3BlbkFJ/, OPENAI_LEGACY_KEY, 'openai_key'),
  // The pattern opens with the prefix.
  matchPass(/sk-ant-/, ANTHROPIC_KEY, 'anthropic_key', firstGroupReal),
];
