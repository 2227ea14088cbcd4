/**
 * Secrets recognised by the name they are assigned to: `apiKey = "…"`, `"client_secret": "…"`,
 * `DB_PASSWORD=…` in a .env file, `password: …` in YAML, `Authorization: Bearer …`. Such a
 * value has no fixed shape, so it must also look like a secret:
 * - under a password name: 8+ characters, no spaces, letters plus a digit or symbol, at
 *   least 2.5 bits of entropy per character;
 * - under a token/secret/key name: 16+ characters, no spaces, letters and digits, at least
 *   3 bits per character, and not a run of words (`AccessTokenExpired`, `generateKey2048`);
 * - under an AWS secret name: exactly 40 base64 characters (the format AWS issues);
 * and never a placeholder or reference (see secretValues.ts), a URL, a path or an e-mail.
 */
import { anyCase, type Candidate, type Pass } from './detection';
import { classifyName, type SecretNameClass } from './secretNames';
import { characterClasses, distinctCharacters, isPlaceholder, isRepeatedCharacter, shannonEntropy } from './secretValues';

/** `name = "value"`, `"name": 'value'`, `name := \`value\``, `name: Type = "value"`, `:name => "value"`. */
const QUOTED_ASSIGNMENT =
  /(?<![A-Za-z0-9_$.-])(@?\$?[A-Za-z_][A-Za-z0-9_.-]{0,99})["'`]?\]?(?:\s*:\s*[A-Za-z_][\w.<>[\]|?]*|[ \t]+[A-Za-z_][\w.[\]]*)?\s*(?:=>|:=|\?\?=|\|\|=|=|:)(?!=)\s*(?:[rbuRBfF]{1,2}|[@$])?(?:"([^"\r\n\\]*(?:\\.[^"\r\n\\]*)*)"|'([^'\r\n\\]*(?:\\.[^'\r\n\\]*)*)'|`([^`\r\n\\$]*)`)/dg;

/**
 * What every quoted assignment holds, and so the trigger of its pass: the end of its operator
 * (`=`, `:`, `=>`), maybe spaces and a string prefix, then a quote. A text without one has no
 * quoted assignment, and the pattern above (the costliest of the scan) need not walk it.
 */
const QUOTED_ASSIGNMENT_MARK = /[=:>]\s*(?:[rbuRBfF]{1,2}|[@$])?["'`]/;

/** A whole line `NAME=value` (.env, ini, properties) or `name: value` (YAML) with a bare value. */
const BARE_ASSIGNMENT = /^[ \t]*(?:export[ \t]+|set[ \t]+|-[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]{0,99})[ \t]*(=|:(?=[ \t]))[ \t]*([^\s'"`#!&*|>[{][^\s'"`]*)[ \t]*(?:[ \t]#.*)?\r?$/dgm;

/** `Authorization: Bearer …` and the API-key headers, in code, curl lines and HTTP examples. */
const AUTH_HEADER =
  /(?<![A-Za-z0-9-])(?:(?:proxy-)?authorization["'\]]?\s*[:=]\s*["'`]?\s*(?:bearer|basic|token|bot|digest)\s+|(?:x-api-key|api-key|x-auth-token|x-access-token|private-token)\s*:\s*)([A-Za-z0-9._~+/-]{16,}=*)/dgi;

const IDENTIFIER_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const LITERAL_KEYWORDS = new Set(['true', 'false', 'null', 'none', 'nil', 'undefined', 'yes', 'no', 'on', 'off']);

export const assignmentPasses: readonly Pass[] = [
  // The end of the operator and the opening quote (see QUOTED_ASSIGNMENT_MARK).
  { trigger: QUOTED_ASSIGNMENT_MARK, pattern: QUOTED_ASSIGNMENT, find: quotedAssignments },
  {
    // The whole pattern, flags aside: a line matches by its shape from start to end (code is
    // full of `=` and `: `), so no shorter part of it is both implied and rare. Searched for
    // with the other triggers, it costs a text without such a line no pass of its own.
    trigger: new RegExp(BARE_ASSIGNMENT.source, 'm'),
    pattern: BARE_ASSIGNMENT,
    find: bareAssignments,
  },
  {
    // Each header name, or the part of it every spelling holds (`x-api-key` holds `api-key`), in any letter case, as the `i` flag matches it.
    trigger: new RegExp(anyCase('authorization', 'api-key', 'auth-token', 'access-token', 'private-token')),
    pattern: AUTH_HEADER,
    find: authHeaders,
  },
];

function quotedAssignments(text: string, out: Candidate[]): void {
  QUOTED_ASSIGNMENT.lastIndex = 0;
  for (let m = QUOTED_ASSIGNMENT.exec(text); m !== null; m = QUOTED_ASSIGNMENT.exec(text)) {
    const group = m[2] !== undefined ? 2 : m[3] !== undefined ? 3 : 4;
    const span = m.indices?.[group];
    const found = span && judge(m[1] ?? '', m[group] ?? '');
    if (span && found) out.push({ kind: found, start: span[0], end: span[1] });
    // `const apiKey = …` first matches with `const` as the name and `apiKey` as a Go-style
    // type; when that name is not a secret's, let the words after it have their turn.
    else QUOTED_ASSIGNMENT.lastIndex = m.index + (m[1] ?? '').length;
  }
}

function bareAssignments(text: string, out: Candidate[]): void {
  BARE_ASSIGNMENT.lastIndex = 0;
  for (let m = BARE_ASSIGNMENT.exec(text); m !== null; m = BARE_ASSIGNMENT.exec(text)) {
    const name = m[1] ?? '';
    const value = m[3] ?? '';
    const span = m.indices?.[3];
    if (!span || isBareReference(name, m[2] === '=', value)) continue;
    const found = judge(name, value);
    if (found) out.push({ kind: found, start: span[0], end: span[1] });
  }
}

function authHeaders(text: string, out: Candidate[]): void {
  AUTH_HEADER.lastIndex = 0;
  for (let m = AUTH_HEADER.exec(text); m !== null; m = AUTH_HEADER.exec(text)) {
    const span = m.indices?.[1];
    if (span && looksRandom(m[1] ?? '', 16)) out.push({ kind: 'auth_header', start: span[0], end: span[1] });
  }
}

/** False only for a text in which QUOTED_ASSIGNMENT cannot match: its pass's trigger (exported for the test that holds it to that). */
export function mayHoldQuotedAssignment(text: string): boolean {
  return QUOTED_ASSIGNMENT_MARK.test(text);
}

/**
 * A bare right-hand side in code is an expression, not a literal: `token = self.token`,
 * `password = userPassword`, `key = make_key();`. In .env and YAML (upper-case names, or
 * `name: value`) a bare value is the literal itself, and so is a random-looking one anywhere.
 */
function isBareReference(name: string, equals: boolean, value: string): boolean {
  if (LITERAL_KEYWORDS.has(value.toLowerCase()) || /^-?\d+(?:\.\d+)?$/.test(value)) return true;
  if (/[;,)(]$/.test(value) || value.includes('(')) return true;
  if (!IDENTIFIER_PATH.test(value)) return false;
  if (value.includes('.')) return true;
  const envStyle = /^[A-Z][A-Z0-9_]*$/.test(name);
  return equals && !envStyle && isRunOfWords(value);
}

function judge(name: string, value: string): Candidate['kind'] | undefined {
  const nameClass: SecretNameClass | undefined = classifyName(name);
  if (nameClass === undefined) return undefined;
  if (nameClass === 'aws_secret' && /^[A-Za-z0-9/+]{40}$/.test(value) && !isRepeatedCharacter(value)) return 'aws_secret_access_key';
  if (isNotASecretShape(value)) return undefined;
  if (nameClass === 'password') return looksLikePassword(value) ? 'password' : undefined;
  return looksRandom(value, 16) && !isRunOfWords(value) ? 'generic_secret' : undefined;
}

/** URLs (their passwords are the connection-string detector's job), paths and e-mail addresses. */
function isNotASecretShape(value: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ||
    /^(?:~|\.{1,2})?\/[\w.-]+(?:\/[\w.-]+)+\/?$/.test(value) ||
    /^(?:~|\.{1,2})?\/[\w-]+\.[A-Za-z]{1,5}$/.test(value) ||
    /^[A-Za-z]:\\/.test(value) ||
    /^[^@\s]+@[\w-]+(?:\.[\w-]+)+$/.test(value)
  );
}

function looksLikePassword(value: string): boolean {
  const c = characterClasses(value);
  return (
    value.length >= 8 &&
    value.length <= 200 &&
    !/\s/.test(value) &&
    (c.lower || c.upper) &&
    (c.digit || c.symbol) &&
    distinctCharacters(value) >= 5 &&
    shannonEntropy(value) >= 2.5 &&
    !isPlaceholder(value, { extraWords: ['password', 'passwd', 'secret'] })
  );
}

function looksRandom(value: string, minLength: number): boolean {
  const c = characterClasses(value);
  return (
    value.length >= minLength &&
    value.length <= 1000 &&
    !/\s/.test(value) &&
    (c.lower || c.upper) &&
    c.digit &&
    shannonEntropy(value) >= 3 &&
    !isPlaceholder(value, { extraWords: ['secret', 'token', 'apikey'] })
  );
}

/**
 * Identifiers and messages made of words (`generateKey2048bitRSA`, `session-token-v2`): every
 * letter run is 3+ letters with a vowel. Generated secrets break into short consonant shards.
 */
function isRunOfWords(value: string): boolean {
  const pieces = value.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])/).filter((p) => p.length > 0);
  return pieces.every((p) => /^[0-9]+$/.test(p) || (p.length >= 3 && /[aeiouy]/i.test(p)));
}
