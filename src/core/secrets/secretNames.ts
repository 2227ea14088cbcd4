/**
 * Which names hold secrets. A name is split into words (camelCase, snake_case, kebab-case,
 * dotted.paths) and judged by its last word, the noun it is about: `dbPassword` and
 * `GITHUB_TOKEN` hold secrets, `passwordHint`, `tokenCount` and `maxTokens` do not.
 */
import { TextMemo } from '../textMemo';

export type SecretNameClass = 'password' | 'secret' | 'aws_secret';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode']);
const SECRET_WORDS = new Set(['secret', 'secrets', 'token', 'credential', 'credentials', 'creds', 'auth', 'authorization', 'apikey', 'pat']);
/** Words that make `…Key` a secret; `cacheKey`, `primaryKey`, `publicKey` are not. */
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'secret', 'private', 'signing', 'sign', 'client', 'encryption', 'master', 'auth', 'app', 'service',
  'account', 'subscription', 'license', 'session', 'webhook', 'consumer', 'shared', 'storage', 'admin', 'root', 'hmac',
  'jwt', 'crypto', 'cipher', 'aes', 'ssh', 'deploy',
]);
/** Collapsed endings that join the words: `APIKEY`, `authtoken`, `clientsecret`. */
const SECRET_ENDINGS = /(?:secret|token|apikey|accesskey|secretkey|privatekey|credentials?|authorization)$/;
const PASSWORD_ENDINGS = /(?:password|passwd|passphrase)$/;
/** A name that says its value is not real. */
const NOT_REAL_WORDS = new Set(['fake', 'dummy', 'mock', 'example', 'sample', 'placeholder', 'public', 'publishable']);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Code assigns to the same few names again and again: each is judged once (names, never values, are kept). */
const judged = new TextMemo<{ class: SecretNameClass | undefined }>(1024, 256);

export function classifyName(name: string): SecretNameClass | undefined {
  return (judged.get(name) ?? judged.remember(name, { class: judgeName(name) })).class;
}

function judgeName(name: string): SecretNameClass | undefined {
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined || words.some((w) => NOT_REAL_WORDS.has(w))) return undefined;
  const collapsed = words.join('');
  if (collapsed.includes('secretaccesskey') || (words.includes('aws') && words.includes('secret'))) return 'aws_secret';
  if (PASSWORD_WORDS.has(last) || PASSWORD_ENDINGS.test(collapsed)) return 'password';
  if (SECRET_WORDS.has(last) || SECRET_ENDINGS.test(collapsed)) return 'secret';
  const previous = words.at(-2);
  if (last === 'key' && previous !== undefined && KEY_QUALIFIERS.has(previous)) return 'secret';
  return undefined;
}
