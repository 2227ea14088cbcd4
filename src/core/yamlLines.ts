/**
 * Where something is in a YAML file, for messages that name the line: a syntax error's line and
 * first sentence, and the line of the value at a key path. Shared by every YAML file Aurelis
 * reads (`.aurelis.yaml`, prompt files).
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

/** The document's first syntax error as `{ line, message }` (message without its position), or undefined. */
export function yamlSyntaxError(doc: Document, lineCounter: LineCounter): { line: number; message: string } | undefined {
  const syntax = doc.errors[0];
  if (!syntax) return undefined;
  const line = syntax.linePos?.[0].line ?? lineCounter.linePos(syntax.pos[0]).line;
  const message = (syntax.message.split('\n')[0] ?? syntax.message).replace(/\.$/, '').replace(/ at line \d+, column \d+:?$/, '');
  return { line, message };
}

/** The line of the value (or key) at `keys`, or of the deepest part of it that exists. */
export function yamlLineOf(doc: Document, lineCounter: LineCounter, keys: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let line = 1;
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      const keyNode = pair.key as { range?: [number, number, number] };
      if (keyNode.range) line = lineCounter.linePos(keyNode.range[0]).line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) line = lineCounter.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  return line;
}
