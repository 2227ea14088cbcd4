/**
 * Fitting code read from an answer (answers/editAnswer.ts) to where it goes in the file: line
 * endings, the trailing newline, and the indentation at the cursor.
 */

/**
 * Fits replacement code to the text it replaces: same line endings, and a trailing newline
 * exactly when the original had one, so an accepted change does not disturb the lines around it.
 */
export function fitReplacement(original: string, replacement: string): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  let text = replacement.replace(/\r?\n/g, eol);
  const endsWithNewline = /\r?\n$/.test(original);
  text = text.replace(/(?:\r?\n)+$/, '');
  return endsWithNewline ? text + eol : text;
}

/**
 * Places generated code at a cursor that sits inside an indented block: the code is first
 * dedented (models indent it their own way, or not at all), then every line after the first
 * gets the insertion line's indentation; the first line starts at the cursor.
 */
export function indentForInsertion(code: string, indent: string): string {
  const lines = code.split('\n');
  const widths = lines.filter((l) => l.trim().length > 0).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = widths.length > 0 ? Math.min(...widths) : 0;
  return lines
    .map((line, i) => {
      if (line.trim().length === 0) return '';
      const body = line.slice(common);
      return i === 0 ? body : indent + body;
    })
    .join('\n');
}

/** The indentation of the first non-blank line. */
export function leadingIndent(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/**
 * Moves every line indented by `from` to `to` instead — for code a model wrote at another
 * indentation than the lines it replaces (it quoted them trimmed, or dropped the indentation).
 */
export function shiftIndentation(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text
    .split('\n')
    .map((l) => (l.trim() === '' || !l.startsWith(from) ? l : to + l.slice(from.length)))
    .join('\n');
}
