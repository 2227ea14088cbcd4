/**
 * What a server said, made fit to quote to a person: self-hosted servers answer errors with
 * Python tracebacks, Node stacks and the paths of their source files, which say nothing to the
 * user and tell anyone reading over their shoulder how the server is laid out. Keep the sentence
 * that names the problem, never a path or a stack frame. (Secrets are removed before this runs.)
 */

const MAX_QUOTE = 240;

/** A stack frame or traceback line in the languages servers are written in. */
const FRAME = /^\s*(at\s+\S|File\s+"|Traceback \(most recent call last\)|\^+\s*$|~+\s*$|\.\.\.\s*\d+ more|#\d+\s+0x)/;

/** Absolute and relative file paths (with an optional :line:column), not URLs. */
const PATH = /(?<![\w:/])(?:[A-Za-z]:\\|\\\\|~?\/|\.{1,2}\/)?(?:[\w.@-]+[\\/])+[\w.@-]+(?::\d+){0,2}/g;

/** `publisher/model` ids (openai/gpt-4.1, meta-llama/Llama-3.1-8B-Instruct) look like paths but are what the user chose. */
const MODEL_ID = /^[\w-]+\/[\w.-]+$(?<!\.(?:py|js|ts|mjs|cjs|go|rs|java|rb|cpp|cc|c|h|hpp|cs|php|json|ya?ml|toml|so|dll|log))/;

export function serverWords(raw: string): string {
  const lines = raw.split(/\r?\n/).map((l) => l.trim());
  let kept: string[];
  const traceback = lines.findIndex((l) => l.startsWith('Traceback (most recent call last)'));
  if (traceback >= 0) {
    // Python puts the exception, the part that matters, last.
    const after = lines.slice(traceback + 1).filter((l) => l !== '' && !FRAME.test(l) && !/^\s/.test(l));
    const before = lines.slice(0, traceback).filter((l) => l !== '');
    kept = [...before, after[after.length - 1] ?? ''];
  } else {
    const firstFrame = lines.findIndex((l) => FRAME.test(l));
    kept = (firstFrame >= 0 ? lines.slice(0, firstFrame) : lines).filter((l) => l !== '');
  }
  // URLs (a docs link) stay; set aside so the path pattern cannot touch them.
  const urls: string[] = [];
  const text = kept
    .join(' ')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, (url) => `⟦${urls.push(url) - 1}⟧`)
    .replace(PATH, (path) => (MODEL_ID.test(path) ? path : '…'))
    .replace(/⟦(\d+)⟧/g, (_, i: string) => urls[Number(i)] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return firstSentences(text);
}

/** Whole sentences up to MAX_QUOTE characters; a first sentence longer than that is cut with "…". */
function firstSentences(text: string): string {
  if (text.length <= MAX_QUOTE) return text;
  const sentences = text.split(/(?<=[.!?])\s+/);
  let out = '';
  for (const sentence of sentences) {
    if (out !== '' && out.length + 1 + sentence.length > MAX_QUOTE) break;
    out = out === '' ? sentence : `${out} ${sentence}`;
  }
  return out.length > MAX_QUOTE ? `${out.slice(0, MAX_QUOTE - 1)}…` : out;
}
