/**
 * Markdown code fences in a model's answer, read line by line the way CommonMark does (a block
 * closes only on a fence of the same character that is at least as long), plus the one thing
 * CommonMark has no notion of: a block still open when the answer ends, which is how an answer
 * cut off at the output limit looks.
 */

export interface FencedBlock {
  /** The info string's first word, lower-case ('' when the fence has none). */
  language: string;
  /** The code between the fences, without the fence lines. */
  code: string;
  /** Offsets in the answer: from the opening fence's line to the end of the closing fence (or the answer). */
  start: number;
  end: number;
  /** False when the answer ended before the closing fence. */
  closed: boolean;
}

const OPENING = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^\s`]*)[^`\n]*$/;

export function fencedBlocks(answer: string): FencedBlock[] {
  const text = answer.replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  const blocks: FencedBlock[] = [];
  let offset = 0;
  let open: { fence: string; indent: number; language: string; start: number; body: string[] } | undefined;
  for (const line of lines) {
    const lineStart = offset;
    offset += line.length + 1;
    if (open) {
      const closing = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (closing?.[1] && closing[1][0] === open.fence[0] && closing[1].length >= open.fence.length) {
        blocks.push({ language: open.language, code: open.body.join('\n'), start: open.start, end: lineStart + line.length, closed: true });
        open = undefined;
      } else {
        open.body.push(dedent(line, open.indent));
      }
      continue;
    }
    const m = OPENING.exec(line);
    if (m) open = { fence: m[2] ?? '```', indent: (m[1] ?? '').length, language: (m[3] ?? '').toLowerCase().replace(/^\{?\.?/, '').replace(/\}$/, ''), start: lineStart, body: [] };
  }
  if (open) blocks.push({ language: open.language, code: open.body.join('\n'), start: open.start, end: text.length, closed: false });
  return blocks;
}

/** A fence indented inside a list item indents its code as far; that indentation is not the code's. */
function dedent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(i);
}

/** Names models put on fences for each editor language id (JavaScript and TypeScript are often swapped). */
const JS_FAMILY = ['ts', 'typescript', 'tsx', 'mts', 'cts', 'js', 'javascript', 'jsx', 'mjs', 'cjs', 'node', 'typescriptreact', 'javascriptreact'];
const LANGUAGE_ALIASES: Record<string, readonly string[]> = {
  typescript: JS_FAMILY,
  typescriptreact: JS_FAMILY,
  javascript: JS_FAMILY,
  javascriptreact: JS_FAMILY,
  java: ['java'],
  php: ['php'],
  swift: ['swift'],
  python: ['py', 'python', 'python3'],
  csharp: ['cs', 'csharp', 'c#'],
  cpp: ['cpp', 'c++', 'cc', 'cxx', 'hpp'],
  c: ['c', 'h'],
  go: ['go', 'golang'],
  rust: ['rs', 'rust'],
  ruby: ['rb', 'ruby'],
  kotlin: ['kt', 'kotlin', 'kts'],
  shellscript: ['sh', 'bash', 'shell', 'zsh', 'shellscript'],
  powershell: ['ps1', 'powershell', 'pwsh'],
  markdown: ['md', 'markdown'],
  yaml: ['yml', 'yaml'],
};

/** Whether a fence's language names the editor's language ('' — no name — counts as neither). */
export function fenceMatchesLanguage(fenceLanguage: string, languageId: string): boolean {
  if (fenceLanguage === '') return false;
  const names = LANGUAGE_ALIASES[languageId] ?? [languageId];
  return names.includes(fenceLanguage);
}

/** Whether a fence names a programming language other than the file's (Python code for a JavaScript file). */
export function fenceNamesOtherLanguage(fenceLanguage: string, languageId: string): boolean {
  if (fenceLanguage === '' || !(languageId in LANGUAGE_ALIASES)) return false;
  const known = Object.values(LANGUAGE_ALIASES).some((names) => names.includes(fenceLanguage));
  return known && !fenceMatchesLanguage(fenceLanguage, languageId);
}
