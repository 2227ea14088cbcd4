/**
 * Passwords inside connection strings: URLs with `user:password@` (databases, brokers, and
 * HTTP/FTP/SMTP URLs with credentials), `password=` query parameters, and ADO-style
 * `Server=…;User Id=…;Password=…;` strings (plus Azure's `AccountKey=` / `SharedAccessKey=`).
 * Only the password is a finding, so the redacted prompt still shows which database the code
 * talks to. Human-chosen passwords are low-entropy, so no entropy test applies here; what is
 * skipped is a placeholder, a reference (`${DB_PASSWORD}`, `{password}`, `%s`), a well-known
 * development default (`postgres`, `root`, `guest`, …) and a password equal to the user name.
 */
import { anyCase, type Candidate, type Pass } from './detection';
import { isPlaceholder } from './secretValues';

const URL_WITH_PASSWORD =
  /(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|https?|ftps?|smtps?):\/\/([^\s:/?#@'"`<>]*):([^\s/?#@'"`<>]+)@[^\s/?#@'"`<>]/dg;
const QUERY_PASSWORD = /[?&](?:password|passwd|pwd)=([^&#\s'"`<>]+)/dgi;
const ADO_SECRET = /(?<![A-Za-z?&])(?:password|pwd|accountkey|sharedaccesskey)\s*=\s*([^;'"`\r\n]+)/dgi;
const ADO_CONTEXT = /(?<![A-Za-z])(?:server|data source|host|database|initial catalog|user id|uid|username|accountname|endpoint|defaultendpointsprotocol|sharedaccesskeyname)\s*=/i;

export const connectionStringPasses: readonly Pass[] = [
  {
    // The pattern's `://user:password@`, as written there but without its groups.
    trigger: /:\/\/[^\s:/?#@'"`<>]*:[^\s/?#@'"`<>]+@/,
    pattern: URL_WITH_PASSWORD,
    find: urlPasswords,
  },
  {
    // The pattern's `?password=` in any letter case, as its `i` flag matches it.
    trigger: new RegExp(`[?&](?:${anyCase('password', 'passwd', 'pwd')})=`),
    pattern: QUERY_PASSWORD,
    find: queryPasswords,
  },
  {
    // The pattern's key name and `=`, in any letter case, as its `i` flag matches them.
    trigger: new RegExp(`(?:${anyCase('password', 'pwd', 'accountkey', 'sharedaccesskey')})\\s*=`),
    pattern: ADO_SECRET,
    find: adoSecrets,
  },
];

/** Development defaults that protect nothing; a finding on them would only teach people to click through. */
const WELL_KNOWN_DEFAULTS = new Set(['postgres', 'mysql', 'mariadb', 'root', 'admin', 'guest', 'redis', 'mongo', 'mongodb', 'rabbitmq', 'oracle', 'sa', 'test', 'user', 'pass', 'password']);

function isRealPassword(raw: string, user?: string): boolean {
  let value = raw.trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // Not percent-encoded after all: judge it as written.
  }
  if (value.length === 0 || WELL_KNOWN_DEFAULTS.has(value.toLowerCase())) return false;
  if (user !== undefined && value === user) return false;
  if (/^\{[A-Za-z_]\w*\}$/.test(value) || /^%[sd]$/.test(value)) return false;
  return !isPlaceholder(value, { extraWords: ['password', 'passwd', 'secret'] });
}

function urlPasswords(text: string, out: Candidate[]): void {
  URL_WITH_PASSWORD.lastIndex = 0;
  for (let m = URL_WITH_PASSWORD.exec(text); m !== null; m = URL_WITH_PASSWORD.exec(text)) {
    const span = m.indices?.[2];
    if (span && isRealPassword(m[2] ?? '', m[1])) out.push({ kind: 'connection_string', start: span[0], end: span[1] });
  }
}

function queryPasswords(text: string, out: Candidate[]): void {
  QUERY_PASSWORD.lastIndex = 0;
  for (let m = QUERY_PASSWORD.exec(text); m !== null; m = QUERY_PASSWORD.exec(text)) {
    const span = m.indices?.[1];
    if (span && isRealPassword(m[1] ?? '')) out.push({ kind: 'connection_string', start: span[0], end: span[1] });
  }
}

function adoSecrets(text: string, out: Candidate[]): void {
  ADO_SECRET.lastIndex = 0;
  for (let m = ADO_SECRET.exec(text); m !== null; m = ADO_SECRET.exec(text)) {
    const span = m.indices?.[1];
    if (!span) continue;
    const value = m[1] ?? '';
    const trimmed = value.trimEnd();
    const line = lineAround(text, m.index);
    if (!line.includes(';') || !ADO_CONTEXT.test(line) || !isRealPassword(trimmed)) continue;
    out.push({ kind: 'connection_string', start: span[0], end: span[0] + trimmed.length });
  }
}

/** The line holding `offset`: an ADO string needs `;` and another `Key=` on it to be one. */
function lineAround(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end);
}
