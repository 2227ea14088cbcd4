// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    // The orchestrator must stay editor-free so it runs under plain mocha and in a CLI.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must never import vscode: pass what it needs through the host interfaces in src/core/host.ts.' }],
          patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'src/core must not depend on editor or browser code.' }],
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
          patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'src/cli must not depend on editor or browser code; move what it shares with the editor into src/core.' }],
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
