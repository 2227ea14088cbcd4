/**
 * How the scanner judges a candidate value: does it look random enough to be a real secret,
 * or is it a placeholder someone wrote into an example, a template or a test?
 *
 * The rules (the README's "Security and privacy" section repeats them for users):
 * - A value that refers to a secret instead of holding one is never a secret: `${DB_PASSWORD}`,
 *   `{{ token }}`, `$API_KEY`, `%TOKEN%`, `process.env.X`, `os.environ[...]`, `<your-token>`.
 * - A value built from placeholder words (`your-api-key-here`, `changeme`, `dummy`, `example`,
 *   `xxxx`, `****`, `P@ssw0rd` after undoing the digit-for-letter swaps) is not a secret.
 * - A value with fewer than five distinct characters, or an ascending run like
 *   `0123456789abcdef`, is not a secret: nobody's generator produces those.
 * These rules apply to secrets recognised only by the name they are assigned to. A token whose
 * shape alone identifies it (`ghp_…`, `AKIA…`, a PEM block) is flagged even in a test fixture;
 * the one exemption is a body that is a single repeated character, the way documentation
 * writes `ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.
 */

/** Shannon entropy of the string's characters, in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function distinctCharacters(value: string): number {
  return new Set(value).size;
}

/** A documentation body such as `xxxxxxxx` or `00000000`. */
export function isRepeatedCharacter(value: string): boolean {
  return distinctCharacters(value) <= 1;
}

const REFERENCE_PATTERNS: readonly RegExp[] = [
  /\$\{[^}]*\}?/, // ${VAR}, ${{ secrets.X }}
  /\{\{[^}]*\}?\}?/, // {{ var }}
  /%\([\w.]+\)s/, // Python %(name)s
  /^\$\(?[A-Za-z_][\w]*\)?$/, // $VAR, $(VAR)
  /^%[A-Za-z_]\w*%$/, // %VAR%
  /\b(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[)/,
  /^<[^<>]+>$/, // <your-token>
  /^\[[^[\]]+\]$/, // [YOUR_KEY]
];

const PLACEHOLDER_WORDS =
  /your|example|placeholder|changeme|dummy|fake|sample|redacted|insert|replace|lorem|notreal|notasecret|mock|foobar|xxx|\*\*\*|\.\.\.|…/;

/** Undoes the usual digit-for-letter swaps so `P@ssw0rd` reads as `password`. */
function unleet(value: string): string {
  return value
    .toLowerCase()
    .replace(/[-_\s.]/g, '')
    .replace(/0/g, 'o')
    .replace(/1/g, 'i')
    .replace(/3/g, 'e')
    .replace(/4|@/g, 'a')
    .replace(/5|\$/g, 's')
    .replace(/7/g, 't');
}

/** Ascending runs such as `12345678` or `abcdefgh0123`: typed, not generated. */
function isAscendingRun(value: string): boolean {
  if (value.length < 4) return false;
  let steps = 0;
  for (let i = 1; i < value.length; i++) if (value.charCodeAt(i) - value.charCodeAt(i - 1) === 1) steps++;
  return steps / (value.length - 1) >= 0.75;
}

export interface PlaceholderOptions {
  /** Words that make a value a placeholder for this name too (`password` under a password name). */
  extraWords?: readonly string[];
}

/** True when the value is a reference, a placeholder or too regular to be a real secret. */
export function isPlaceholder(value: string, options: PlaceholderOptions = {}): boolean {
  if (REFERENCE_PATTERNS.some((p) => p.test(value))) return true;
  const plain = unleet(value);
  if (PLACEHOLDER_WORDS.test(value.toLowerCase()) || PLACEHOLDER_WORDS.test(plain)) return true;
  if (options.extraWords?.some((w) => plain.includes(w))) return true;
  if (distinctCharacters(value) < 5) return true;
  return isAscendingRun(value.replace(/[-_]/g, ''));
}

/** Which of lower case, upper case, digits and symbols the value uses. */
export function characterClasses(value: string): { lower: boolean; upper: boolean; digit: boolean; symbol: boolean } {
  return {
    lower: /[a-z]/.test(value),
    upper: /[A-Z]/.test(value),
    digit: /[0-9]/.test(value),
    symbol: /[^A-Za-z0-9]/.test(value),
  };
}
