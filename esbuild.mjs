// Bundles the extension (Node, CommonJS, split into chunks loaded on first use), the command
// line, the tokenizer (its own file, loaded on first count) and the webview scripts (browser, IIFE).
// Usage: node esbuild.mjs [--production] [--watch] [--extension-only --outdir DIR --metafile FILE]
// (the last three are for the start-up test: only the extension and its tokenizer, into DIR,
// with esbuild's record of which module went into which file).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const extensionOnly = process.argv.includes('--extension-only');
const optionValue = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const distDir = optionValue('--outdir') ?? 'dist';
const metafileOut = optionValue('--metafile');

/** Logs build errors in the `file:line:col: error: text` form VS Code's problem matchers understand. */
const problemReporter = {
  name: 'problem-reporter',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        if (location) console.error(`${location.file}:${location.line}:${location.column}: error: ${text}`);
        else console.error(`error: ${text}`);
      }
    });
  },
};

/**
 * zod re-exports all of its ~40 message locales (`z.locales`); Aurelis speaks English only and
 * never switches locale, so every bundle gets just `en`, the one zod configures itself with.
 * That is ~200 KB less to parse at start-up and in the webview.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemReporter, zodEnglishOnly],
  legalComments: 'none',
};

/** Every top-level `src/webview/*.ts` file is one webview entry point. */
function webviewEntries() {
  const dir = 'src/webview';
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .map((f) => path.join(dir, f));
}

/**
 * The o200k vocabulary is 2.7 MB of JavaScript: it is built into dist/tokenizer.js on its own and
 * required from there at the first count (src/core/tokens.ts), so neither the extension's start
 * nor the CLI's compiles it. Every bundle that counts tokens sits beside that file in dist/.
 */
const TOKENIZER_MODULE = 'gpt-tokenizer/encoding/o200k_base';
const tokenizerFile = {
  name: 'tokenizer-file',
  setup(build) {
    build.onResolve({ filter: /^gpt-tokenizer\/encoding\/o200k_base$/ }, () => ({ path: './tokenizer.js', external: true }));
  },
};

/**
 * The extension is split along its `import()`s: activation loads dist/extension.js and the small
 * chunks it needs; the core (orchestrator, SDK, Redis, OpenTelemetry…) and each command's code
 * are chunks loaded on first use. esbuild splits only ES modules, and VS Code 1.100 loads an
 * extension with `require`, so the split output is converted file by file to CommonJS (each
 * `import()` becomes a `require` of its chunk, each shared module stays one copy in one chunk:
 * one class for `instanceof`). Minified lazy wrappers would be compiled eagerly by V8 (a
 * wrapper function in parentheses counts as "invoked at once"); chunks avoid wrappers entirely.
 */
const splitToCommonJs = {
  name: 'split-to-commonjs',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !result.outputFiles) return;
      if (metafileOut && result.metafile) writeFileSync(metafileOut, JSON.stringify(result.metafile));
      const outdir = path.resolve(build.initialOptions.outdir);
      mkdirSync(outdir, { recursive: true });
      const written = new Set();
      for (const file of result.outputFiles) {
        const name = path.basename(file.path);
        // Through `build` rather than `transform`, so a development build's source maps (inline in
        // the split output) are carried through to the converted file and point at src/.
        const converted = await esbuild.build({
          stdin: { contents: file.text, sourcefile: file.path, resolveDir: outdir, loader: 'js' },
          outfile: file.path,
          write: false,
          // The stdin is named after the file it replaces, so the source map's paths stay right.
          allowOverwrite: true,
          bundle: false,
          format: 'cjs',
          platform: 'node',
          target: 'node20',
          minify: production,
          sourcemap: production ? false : 'linked',
          sourcesContent: false,
          // `import('./chunk.js')` → `Promise.resolve().then(() => require('./chunk.js'))`.
          supported: { 'dynamic-import': false },
          legalComments: 'none',
          logLevel: 'warning',
        });
        for (const out of converted.outputFiles) writeFileSync(out.path, out.path.endsWith('.js') ? requireVscodeAsIs(out.text) : out.contents);
        written.add(name);
        if (!production) written.add(`${name}.map`);
      }
      // Chunks of an earlier build would be packaged too.
      for (const name of readdirSync(outdir)) {
        if (/^chunk-[A-Z0-9]+\.js(\.map)?$/.test(name) && !written.has(name)) rmSync(path.join(outdir, name));
      }
    });
  },
};

/**
 * `import * as vscode from 'vscode'` converts to `__toESM(require("vscode"))`, which copies every
 * member of VS Code's API object (hundreds of getters) once per module that imports it: ~6 ms of
 * the extension's activation inside VS Code. Aurelis only reads members of that namespace (a
 * default import of `vscode` is refused by ESLint), so the API object itself serves.
 */
function requireVscodeAsIs(code) {
  return code.replace(/\b[\w$]+\(require\("vscode"\)\)/g, 'require("vscode")');
}

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: distDir,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    write: false,
    sourcemap: production ? false : 'inline',
    external: ['vscode'],
    metafile: metafileOut !== undefined,
    plugins: [...common.plugins, tokenizerFile, splitToCommonJs],
  },
  {
    ...common,
    entryPoints: { tokenizer: TOKENIZER_MODULE },
    outdir: distDir,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
];
if (!extensionOnly) {
  // The `aurelis` command line: plain Node, no VS Code; `npx aurelis` runs it through package.json's bin.
  builds.push({
    ...common,
    entryPoints: ['src/cli/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...common.plugins, tokenizerFile],
    define: { AURELIS_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  });
}
const entries = extensionOnly ? [] : webviewEntries();
if (entries.length > 0) {
  builds.push({
    ...common,
    entryPoints: entries,
    outdir: 'media',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
