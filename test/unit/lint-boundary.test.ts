import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

// The core must stay editor-free; this proves the lint rule that guards it actually fires.
describe('lint boundary', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

  it('rejects a vscode import under src/core', async () => {
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const v = vscode.version;\n", {
      filePath: 'src/core/example.ts',
    });
    assert.ok(result);
    assert.ok(
      result.messages.some((m) => m.ruleId === 'no-restricted-imports' && /never import vscode/.test(m.message)),
      JSON.stringify(result.messages),
    );
  });

  it('allows a vscode import under src/extension', async () => {
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const v = vscode.version;\n", {
      filePath: 'src/extension/example.ts',
    });
    assert.ok(result);
    assert.deepEqual(result.messages.filter((m) => m.ruleId === 'no-restricted-imports'), []);
  });

  it('rejects a vscode import and an editor import under src/cli', async () => {
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nimport { review } from '../extension/commands/review';\nexport const v = [vscode.version, review];\n", {
      filePath: 'src/cli/example.ts',
    });
    assert.ok(result);
    const messages = result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    assert.ok(messages.some((m) => /runs without VS Code/.test(m)), JSON.stringify(messages));
    assert.ok(messages.some((m) => /must not depend on editor/.test(m)), JSON.stringify(messages));
  });
});
