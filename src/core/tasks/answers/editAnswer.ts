/**
 * The code in an answer to an edit task. The prompt asks for exactly one fenced block (or
 * search/replace blocks for a large range); models still add prose around it, show a second
 * block (a usage example, the code before the change), leave out unchanged parts ("// ... rest
 * unchanged") or stop mid-block at the output limit. Each of those either yields the one block
 * that is the change, or an honest error — never a guess that could put the wrong text in a file.
 */
import { AurelisError } from '../../errors';
import { CutOffError, type ModelAnswer } from './cutOff';
import { fencedBlocks, fenceMatchesLanguage, fenceNamesOtherLanguage, type FencedBlock } from './fences';
import { withoutReasoning } from './reasoning';
import { hasSearchReplace, parseSearchReplace, type SearchReplaceBlock } from './searchReplace';

export interface EditTarget {
  /** The editor's language id of the file the code goes into. */
  language: string;
  /**
   * The code the answer relates to: the code it replaces (a rewrite), or the code under test (new
   * tests). Its names tell apart the change from an example when there are several blocks.
   */
  original?: string;
  /** 'rewrite': the answer replaces `original`; 'new': new code (an insertion, a test file). */
  kind: 'rewrite' | 'new';
}

export type EditReading = { kind: 'code'; code: string } | { kind: 'searchReplace'; blocks: SearchReplaceBlock[] };

/** Files whose content is prose: an unfenced answer is the text itself. */
const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'restructuredtext', 'asciidoc', 'latex', 'tex']);

/** Fence languages that hold commands or output, not code for the file. */
const NOT_CODE = new Set(['bash', 'sh', 'shell', 'console', 'terminal', 'text', 'plaintext', 'txt', 'output', 'diff', 'zsh', 'powershell', 'ps1', 'cmd']);

export function readEdit(answer: ModelAnswer, target: EditTarget): EditReading {
  if (answer.finishReason === 'length') throw new CutOffError('nothing was proposed', answer.completionTokens);
  const content = withoutReasoning(answer.content);
  if (hasSearchReplace(content)) {
    const blocks = parseSearchReplace(content, answer.completionTokens);
    if (blocks.length === 0) throw noCode();
    return { kind: 'searchReplace', blocks };
  }
  const blocks = fencedBlocks(content);
  if (blocks.some((b) => !b.closed)) throw new CutOffError('its code block never closed and nothing was proposed', answer.completionTokens);
  const code = blocks.length === 0 ? (PROSE_LANGUAGES.has(target.language) ? content : unfencedCode(content)) : chooseBlock(blocks, target).code;
  const trimmed = code.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
  if (trimmed === '') throw noCode();
  refuseElisions(trimmed, target);
  return { kind: 'code', code: trimmed };
}

function noCode(): AurelisError {
  return new AurelisError('invalid_response', 'The model answered without any code. Regenerate, or choose another model (Aurelis: Models).', { nextSteps: ['retry', 'chooseModel'] });
}

/** An answer without fences is code only when no line around it reads as a sentence. */
function unfencedCode(content: string): string {
  const lines = content.replace(/\r\n/g, '\n').split('\n');
  const filled = lines.filter((l) => l.trim() !== '');
  if (filled.length === 0) throw noCode();
  if (filled.every(isSentence)) {
    throw new AurelisError('invalid_response', 'The model answered in prose, without any code; nothing was proposed. Regenerate, or choose another model (Aurelis: Models).', {
      nextSteps: ['retry', 'chooseModel'],
    });
  }
  const edges = [filled[0] as string, filled[filled.length - 1] as string];
  if (edges.some(isSentence)) {
    throw new AurelisError(
      'invalid_response',
      'The model answered with text around its code instead of one code block, so Aurelis cannot tell where the code starts and ends; nothing was proposed. Regenerate, or choose another model (Aurelis: Models).',
      { nextSteps: ['retry', 'chooseModel'] },
    );
  }
  return content.replace(/\r\n/g, '\n');
}

/** A line of prose: a capitalised sentence of several words, not a comment and with no code punctuation. */
function isSentence(line: string): boolean {
  const t = line.trim();
  if (/^(\/\/|#|\/\*|\*|--|<!--|"""|''')/.test(t)) return false;
  if (/[;{}=]|=>|\)\s*$/.test(t)) return false;
  return /^[A-Z][A-Za-z']*,?(\s+\S+){3,}$/.test(t) && /[.:!?]$/.test(t);
}

function chooseBlock(blocks: readonly FencedBlock[], target: EditTarget): FencedBlock {
  const isCode = (b: FencedBlock) => (!NOT_CODE.has(b.language) && !fenceNamesOtherLanguage(b.language, target.language)) || fenceMatchesLanguage(b.language, target.language);
  const code = blocks.filter(isCode);
  if (code.length === 0) {
    throw new AurelisError('invalid_response', `The model answered with ${blocks[0]?.language || 'a'} block${blocks.length === 1 ? '' : 's'}, not ${target.language} code; nothing was proposed. Regenerate, or choose another model (Aurelis: Models).`, {
      nextSteps: ['retry', 'chooseModel'],
    });
  }
  if (code.length === 1) return code[0] as FencedBlock;
  const sameLanguage = code.filter((b) => fenceMatchesLanguage(b.language, target.language));
  let candidates = sameLanguage.length > 0 ? sameLanguage : code;
  if (candidates.length === 1) return candidates[0] as FencedBlock;
  if (target.original !== undefined) {
    // "Before" and "after": the block that only repeats the original is not the change.
    const original = squeeze(target.original);
    const changed = candidates.filter((b) => squeeze(b.code) !== original);
    if (changed.length > 0) candidates = changed;
    if (candidates.length === 1) return candidates[0] as FencedBlock;
    const names = [...declaredNames(target.original)];
    if (names.length > 0) {
      // A rewrite declares everything the original declared; an example only calls it. New tests mention it.
      const fits = (b: FencedBlock) => {
        if (target.kind === 'new') return names.some((n) => new RegExp(`\\b${escape(n)}\\b`).test(b.code));
        const declared = declaredNames(b.code);
        return names.every((n) => declared.has(n));
      };
      const fitting = candidates.filter(fits);
      if (fitting.length === 1) return fitting[0] as FencedBlock;
      if (fitting.length > 1) candidates = fitting;
    }
  }
  throw new AurelisError(
    'invalid_response',
    `The model answered with ${candidates.length} code blocks and Aurelis cannot tell which one is the change; nothing was proposed. Regenerate, or choose another model (Aurelis: Models).`,
    { nextSteps: ['retry', 'chooseModel'] },
  );
}

const DECLARATION =
  /^(?:export\s+(?:default\s+)?)?(?:(?:pub(?:\([\w:]+\))?|public|private|protected|internal|static|async|abstract|final|open|override|declare)\s+)*(?:function\*?|def|class|interface|type|enum|struct|trait|impl|fn|fun|func(?:\s*\([^)]*\))?|const|let|var|val|module|record|object)\s+([A-Za-z_$][\w$]*)/gm;

/**
 * Names a piece of code declares at its outermost level (functions, classes, types, variables),
 * measured after removing its common indentation, so a selected method counts as outermost.
 */
export function declaredNames(code: string): Set<string> {
  const lines = code.split('\n');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = widths.length > 0 ? Math.min(...widths) : 0;
  const dedented = lines.map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n');
  return new Set([...dedented.matchAll(DECLARATION)].map((m) => m[1] as string));
}

/**
 * "// ... rest of the code unchanged": a rewrite that leaves out part of the code would delete it
 * when accepted. Refused unless the original already had that very line.
 */
const ELISION = /^\s*(?:\/\/|#|\/\*|<!--|--|;)\s*(?:\.{3}|…)\s*(?:\(?\s*(?:rest|existing|remaining|other|previous|same|unchanged|more|omitted|original)\b.*)?$/i;
const ELISION_WORDS = /^\s*(?:\/\/|#|\/\*|<!--|--)\s*(?:\.{3}|…)?\s*(?:the\s+)?(?:rest of|existing|remaining|other|previous)\b.*(?:unchanged|code|same|here|as before|methods|functions)\b/i;

function refuseElisions(code: string, target: EditTarget): void {
  if (target.kind !== 'rewrite') return;
  const originalLines = new Set((target.original ?? '').split('\n').map((l) => l.trim()));
  const elided = code.split('\n').find((l) => (ELISION.test(l) || ELISION_WORDS.test(l)) && !originalLines.has(l.trim()));
  if (elided === undefined) return;
  throw new AurelisError(
    'invalid_response',
    `The model left out part of the code ("${elided.trim()}"), so accepting it would delete that code; nothing was proposed. Regenerate, or select a smaller part of the code.`,
    { nextSteps: ['retry', 'chooseModel'] },
  );
}

function squeeze(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}

function escape(name: string): string {
  return name.replace(/[$]/g, '\\$');
}
