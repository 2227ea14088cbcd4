import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * Every layer boundary of ../shared/design/architecture.md is a lint rule; this proves each one
 * fires on a file that crosses it (and stays quiet on the imports a layer is allowed). The
 * imported modules exist, so the rule resolves them as it does in real code.
 */
describe('lint boundary', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

  async function lint(filePath: string, imports: readonly string[]) {
    const code = imports.map((spec, i) => `import * as m${i} from '${spec}';`).join('\n') + `\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`;
    const [result] = await eslint.lintText(code, { filePath });
    assert.ok(result, `no lint result for ${filePath}`);
    return result.messages;
  }

  /** Lints `imports` from `filePath` and expects each to be refused by `ruleId` with a message matching `reason`. */
  async function expectRefused(filePath: string, imports: readonly string[], ruleId: string, reason: RegExp) {
    const messages = await lint(filePath, imports);
    for (const [i, spec] of imports.entries()) {
      const line = i + 1;
      assert.ok(
        messages.some((m) => m.line === line && m.ruleId === ruleId && reason.test(m.message)),
        `${filePath} importing ${spec} should be refused by ${ruleId}; got ${JSON.stringify(messages)}`,
      );
    }
  }

  async function expectAllowed(filePath: string, imports: readonly string[]) {
    const boundaryRules = new Set(['import-x/no-restricted-paths', 'import-x/no-nodejs-modules', 'no-restricted-imports']);
    const messages = (await lint(filePath, imports)).filter((m) => m.ruleId === null || boundaryRules.has(m.ruleId));
    assert.deepEqual(messages, [], `${filePath} should be allowed ${imports.join(', ')}`);
  }

  describe('webview → shared only', () => {
    it('refuses core, extension and cli code', () =>
      expectRefused('src/webview/example.ts', ['../core/errors', '../extension/log', '../cli/exitCodes'], 'import-x/no-restricted-paths', /imports only src\/shared/));

    it('refuses Node built-ins and vscode', async () => {
      await expectRefused('src/webview/analytics/example.ts', ['node:fs', 'path'], 'import-x/no-nodejs-modules', /builtin module/);
      await expectRefused('src/webview/example.ts', ['vscode'], 'no-restricted-imports', /never import vscode/);
    });

    it('allows shared code, its own files and browser packages', () =>
      expectAllowed('src/webview/example.ts', ['../shared/providerIds', './analytics/render', 'chart.js']));
  });

  describe('shared → nothing of the layers, no Node built-ins', () => {
    it('refuses core, extension, cli and webview code', () =>
      expectRefused(
        'src/shared/example.ts',
        ['../core/errors', '../extension/log', '../cli/exitCodes', '../webview/analytics/render'],
        'import-x/no-restricted-paths',
        /must not depend on any of them/,
      ));

    it('refuses Node built-ins and vscode', async () => {
      await expectRefused('src/shared/analytics-view/example.ts', ['node:crypto', 'fs'], 'import-x/no-nodejs-modules', /builtin module/);
      await expectRefused('src/shared/example.ts', ['vscode'], 'no-restricted-imports', /never import vscode/);
    });

    it('allows its own files and zod', () => expectAllowed('src/shared/example.ts', ['./taskTypes', './analytics-view/format', 'zod']));
  });

  describe('core → not extension, webview or cli (nor test: below)', () => {
    it('refuses front-end code', () =>
      expectRefused('src/core/example.ts', ['../extension/log', '../webview/analytics/render', '../cli/exitCodes'], 'import-x/no-restricted-paths', /editor-free and knows no front end/));

    it('refuses vscode', () => expectRefused('src/core/example.ts', ['vscode'], 'no-restricted-imports', /never import vscode/));

    it('allows shared code and Node built-ins', () => expectAllowed('src/core/example.ts', ['../shared/taskTypes', 'node:fs', './errors']));
  });

  describe('cli → not extension or webview', () => {
    it('refuses editor and browser code', () =>
      expectRefused('src/cli/example.ts', ['../extension/log', '../webview/analytics/render'], 'import-x/no-restricted-paths', /must not depend on editor or browser code/));

    it('refuses vscode', () => expectRefused('src/cli/example.ts', ['vscode'], 'no-restricted-imports', /runs without VS Code/));

    it('allows core and shared code', () => expectAllowed('src/cli/example.ts', ['../core/errors', '../shared/analytics-view/format']));
  });

  describe('extension → not webview or cli', () => {
    it('refuses the panel script and the command line', () =>
      expectRefused('src/extension/example.ts', ['../webview/analytics/render', '../cli/exitCodes'], 'import-x/no-restricted-paths', /reaches the panel only through messages/));

    it('allows vscode, core and shared code', () => expectAllowed('src/extension/example.ts', ['vscode', '../core/errors', '../shared/analytics-protocol/messages']));

    it('refuses a default import of vscode (the build hands over the API object itself, which has no default)', async () => {
      const [result] = await eslint.lintText("import vscode from 'vscode';\nimport * as api from 'vscode';\nexport const all = [vscode, api];\n", { filePath: 'src/extension/example.ts' });
      const refused = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax');
      assert.deepEqual(refused.map((m) => m.line), [1]);
      assert.match(refused[0]?.message ?? '', /API object itself/);
    });
  });

  describe('src → not test', () => {
    it('refuses test code from every layer', async () => {
      for (const layer of ['core', 'extension', 'cli', 'webview', 'shared']) {
        await expectRefused(`src/${layer}/example.ts`, ['../../test/unit/fixtures/crashRecords'], 'import-x/no-restricted-paths', /must not import tests/);
      }
    });
  });
});
