import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, aurelis } from './support/aurelis';

describe('the extension in a real VS Code', () => {
  it('runs inside VS Code 1.100.3', () => {
    assert.equal(vscode.version, '1.100.3');
  });

  it('is loaded from its folder and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const api = await aurelis();
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.keys.get, 'function');
  });

  it('registers its commands', async () => {
    await aurelis();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['aurelis.setApiKey', 'aurelis.clearApiKey', 'aurelis.showLog']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });
});
