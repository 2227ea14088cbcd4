/**
 * New tests for a test file that already exists. The prompt shows the model the file and asks
 * only for tests to add; whatever it answers, the proposal keeps every existing test: an answer
 * that repeats the whole file with every existing line still in it replaces the file, anything
 * else is appended (without the import lines the file already has).
 */

export interface MergedTests {
  text: string;
  /** 'rewritten': the answer kept every existing line; 'appended': the new tests follow the old ones. */
  how: 'rewritten' | 'appended';
}

const IMPORT = /^\s*(?:import\b|from\s+\S+\s+import\b|(?:const|let|var)\s+[\w{}\s,]+=\s*require\(|using\s+[\w.]+;|use\s+[\w:]+|require\s+['"]|#include\b|package\s+\w)/;

export function mergeTests(existing: string, generated: string): MergedTests {
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const old = existing.replace(/\r\n/g, '\n');
  const added = generated.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  if (keepsEveryLine(old, added)) return { text: `${added}\n`.replace(/\n/g, eol), how: 'rewritten' };
  const present = new Set(old.split('\n').filter((l) => IMPORT.test(l)).map((l) => l.trim()));
  const lines = added.split('\n');
  let i = 0;
  const kept: string[] = [];
  // Only the import block at the top is checked: the same line further down is test code.
  for (; i < lines.length && (IMPORT.test(lines[i] as string) || (lines[i] as string).trim() === ''); i++) {
    const line = lines[i] as string;
    if (!present.has(line.trim())) kept.push(line);
  }
  const body = [...kept, ...lines.slice(i)].join('\n').replace(/^\n+/, '');
  const head = old.replace(/\s+$/, '');
  return { text: `${head}\n\n${body}\n`.replace(/\n/g, eol), how: 'appended' };
}

/** Every non-blank line of `old`, in order, is still in `next` (compared without indentation). */
function keepsEveryLine(old: string, next: string): boolean {
  const wanted = old.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (wanted.length === 0) return true;
  let w = 0;
  for (const line of next.split('\n')) {
    if (line.trim() === wanted[w]) w++;
    if (w === wanted.length) return true;
  }
  return false;
}
