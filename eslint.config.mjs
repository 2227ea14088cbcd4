// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const here = import.meta.dirname;

/**
 * Where each layer may reach (docs: ../shared/design/architecture.md, "Layers"). One zone per
 * boundary, each with the sentence a developer needs when they cross it; test/unit/lint-boundary
 * lints a file that crosses each one.
 */
const layerZones = [
  {
    target: './src/webview',
    from: './src',
    except: ['./webview', './shared'],
    message: 'src/webview runs in the browser and imports only src/shared: move what it needs there.',
  },
  {
    target: './src/shared',
    from: './src',
    except: ['./shared'],
    message: 'src/shared is read by the webview, the core and the CLI alike: it must not depend on any of them.',
  },
  {
    target: './src/core',
    from: ['./src/extension', './src/webview', './src/cli'],
    message: 'src/core is editor-free and knows no front end: pass what it needs through src/core/host.ts.',
  },
  {
    target: './src/cli',
    from: ['./src/extension', './src/webview'],
    message: 'src/cli must not depend on editor or browser code; move what it shares with the editor into src/core or src/shared.',
  },
  {
    target: './src/extension',
    from: ['./src/webview', './src/cli'],
    message: 'src/extension reaches the panel only through messages and never loads the command line: share code through src/core or src/shared.',
  },
  {
    target: './src',
    from: './test',
    message: 'Shipped code must not import tests or their fixtures.',
  },
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'media/**/*.js', 'node_modules/**', '.vscode-test/**', 'test-results/**', '*.vsix'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: here, zones: layerZones }],
    },
  },
  {
    // The build hands modules VS Code's API object itself rather than an ES-module copy of it
    // (esbuild.mjs, requireVscodeAsIs): it has no `default`, so only its members may be imported.
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='vscode'] > ImportDefaultSpecifier",
          message: "Import VS Code's API as a namespace (import * as vscode from 'vscode') or by name: the build hands over the API object itself, which has no default.",
        },
      ],
    },
  },
  {
    // The panel's code runs in a browser: a Node built-in would break the bundle or bloat it.
    files: ['src/shared/**/*.ts', 'src/webview/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/shared and src/webview run in the browser too: they never import vscode.' }] },
      ],
    },
  },
  {
    // The orchestrator must stay editor-free so it runs under plain mocha and in a CLI.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must never import vscode: pass what it needs through the host interfaces in src/core/host.ts.' }],
        },
      ],
    },
  },
  {
    // The command line runs without VS Code: it reaches the editor's features only through src/core.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/cli runs without VS Code: use src/core, never vscode.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS as VS Code loads an extension's `main`: the second extension of the packaged test.
    files: ['**/*.cjs', 'test/fixtures/other-extension/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
