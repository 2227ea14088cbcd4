/**
 * Turning a model's answer to an edit task into the code that goes into the file. The
 * prompts ask for code only, but models still wrap it in Markdown fences or add a sentence;
 * what reaches the editor must be code.
 */
import { AurelisError } from '../errors';

/**
 * The code in an answer: the longest fenced block when there is one, otherwise the whole
 * text without the blank lines around it. Indentation of the first line is kept.
 */
export function extractCode(answer: string): string {
  const blocks = [...answer.matchAll(/^[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?[ \t]*\1[ \t]*$/gm)].map((m) => m[2] ?? '');
  const code = blocks.length > 0 ? blocks.reduce((a, b) => (b.length > a.length ? b : a)) : answer;
  const trimmed = code.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, '');
  if (trimmed.length === 0) {
    throw new AurelisError('invalid_response', 'The model answered without any code. Run the command again, or choose another model (Aurelis: Models).', {
      nextSteps: ['retry', 'chooseModel'],
    });
  }
  return trimmed;
}

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
