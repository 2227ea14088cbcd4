import { findSourceMap } from 'node:module';
import path from 'node:path';

/**
 * Rewrites `…/suite.js:LINE:COL` frames (this harness and the tests, bundled into one file) of a bundled stack to the TypeScript source they came
 * from. Node would do this itself, but the extension host installs its own
 * `Error.prepareStackTrace`, which bypasses Node's source-map support.
 */
export function mapStack(stack: string): string {
  // The extension host may print bundle paths relative to the extension folder; the bundle is this file.
  return stack.replace(/([^\s()]*suite\.js):(\d+):(\d+)/g, (frame, file: string, line: string, column: string) => {
    const map = findSourceMap(path.isAbsolute(file) ? file : path.join(__dirname, path.basename(file)));
    if (!map) return frame;
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry) || !entry.originalSource) return frame;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
