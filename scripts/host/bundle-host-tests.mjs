// Bundles the host-test harness (test/host/index.ts) with every `*.test.ts` of a suite folder into
// one CommonJS file the extension host loads. Each test file becomes a lazily required module, so
// the harness loads them one by one and turns a file that throws while loading into a failure.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

const VIRTUAL = 'aurelis:host-test-files';

/** Every `*.test.ts` below `dir`, in a stable order. */
export function findTestFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.test.ts'))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

/**
 * @param {{ suiteDir: string, outDir: string }} options
 *   The bundle must end up inside the extension's folder (e.g. under out/): VS Code then hands the
 *   tests the same `vscode` API object as the extension, which lets them stub `window.showInputBox`.
 * @returns {Promise<{ bundle: string, files: string[] }>}
 */
export async function bundleHostTests({ suiteDir, outDir }) {
  const files = findTestFiles(suiteDir);
  const listing = {
    name: 'host-test-files',
    setup(build) {
      build.onResolve({ filter: /^aurelis:host-test-files$/ }, () => ({ path: VIRTUAL, namespace: 'aurelis' }));
      build.onLoad({ filter: /.*/, namespace: 'aurelis' }, () => ({
        resolveDir: repoRoot,
        loader: 'js',
        contents:
          'export const hostTestFiles = [\n' +
          files.map((f) => `  { file: ${JSON.stringify(path.relative(repoRoot, f))}, load: () => require(${JSON.stringify(f)}) },`).join('\n') +
          '\n];\n',
      }));
    },
  };
  mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, 'index.js');
  // Node maps stack traces only for code loaded after source maps are switched on, so a small
  // entry switches them on and then loads the suite: failures then point into test/host/*.ts.
  writeFileSync(bundle, "'use strict';\nprocess.setSourceMapsEnabled(true);\nmodule.exports = require('./suite.js');\n");
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'host', 'index.ts')],
    outfile: path.join(outDir, 'suite.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [listing],
  });
  return { bundle, files };
}
