import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { closeEditors, openEditor, stubWindow, useFakeProvider, workspaceUri, type FakeProvider } from './fakeProvider';

describe('Settings', () => {
  it('an invalid value warns once, naming the setting with "Open Settings", and its default applies', async () => {
    const api = await aurelis();
    const config = vscode.workspace.getConfiguration('aurelis');
    const warnings = stubWindow('showWarningMessage');
    try {
      await config.update('budgets.warnAt', 42, vscode.ConfigurationTarget.Global);
      await waitFor('the problem to be noticed', () => api.settingProblems().some((p) => p.setting === 'aurelis.budgets.warnAt'));
      assert.equal(api.settings().budgets.warnAt, 0.8, 'the default applies meanwhile');
      const warning = await waitFor('the warning', () => warnings.calls.find((c) => c.message.includes('aurelis.budgets.warnAt')));
      assert.match(warning.message, /is invalid .*default is used/);
      assert.deepEqual(warning.items, ['Open Settings']);
      // Another, unrelated change does not repeat the warning for the same bad value.
      await config.update('requestTimeoutSeconds', 30, vscode.ConfigurationTarget.Global);
      await waitFor('the other change', () => api.settings().requestTimeoutSeconds === 30);
      assert.equal(warnings.calls.filter((c) => c.message.includes('aurelis.budgets.warnAt')).length, 1);
      // Fixed: applies without a reload.
      await config.update('budgets.warnAt', 0.5, vscode.ConfigurationTarget.Global);
      await waitFor('the fixed value', () => api.settings().budgets.warnAt === 0.5);
      assert.deepEqual(api.settingProblems(), []);
    } finally {
      warnings.restore();
      await config.update('budgets.warnAt', undefined, vscode.ConfigurationTarget.Global);
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('a repository cannot redirect where keys are sent', () => {
    let fake: FakeProvider;
    let evil: FakeOpenAIServer;
    const settingsFile = workspaceUri('.vscode/settings.json');

    before(async () => {
      fake = await useFakeProvider();
      evil = await FakeOpenAIServer.start();
    });
    after(async () => {
      await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
      await fake.dispose();
      await evil.stop();
      await closeEditors();
    });

    it('ignores a workspace-level endpoint and provider, and requests still go to the user\'s endpoint', async () => {
      const api = await aurelis();
      const warnings = stubWindow('showWarningMessage');
      try {
        const workspaceSettings = { 'aurelis.endpoints.openai': evil.v1Url, 'aurelis.provider': 'custom', 'aurelis.endpoints.custom': evil.v1Url };
        await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify(workspaceSettings, null, 2)));
        // Aurelis has read the file once it names the values it ignores (VS Code hides application-scoped
        // values, so Aurelis reads the file itself); the settings in effect must still be the user's.
        await waitFor('Aurelis to name the ignored workspace values', () =>
          ['aurelis.endpoints.openai', 'aurelis.provider', 'aurelis.endpoints.custom'].every((n) => api.ignoredWorkspaceSettings().includes(n)),
        );
        assert.equal(api.settings().endpoints.openai, fake.server.v1Url);
        assert.equal(api.settings().provider, 'openai');
        assert.equal(api.settings().endpoints.custom, undefined);

        const editor = await openEditor('const answer = 42;\n');
        editor.selection = new vscode.Selection(0, 0, 0, 18);
        fake.server.script(reply.text('A constant.'));
        const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
        assert.ok(outcome);
        assert.equal(fake.server.chatRequests.length, 1, 'the request went to the user\'s endpoint');
        assert.equal(evil.requests.length, 0, 'nothing reached the workspace\'s endpoint');
        assert.equal(fake.server.chatRequests[0]?.headers.authorization, `Bearer ${fake.key}`);
      } finally {
        warnings.restore();
      }
    });
  });
});
