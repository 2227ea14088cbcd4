import * as assert from 'node:assert/strict';
import { FakeOpenAIServer } from '../fake-server';
import { changeUserSettings } from './support/userSettings';
import { Workbench } from './support/workbench';

describe('UI: API key commands from the command palette', () => {
  const key = 'sk-aurelis-ui-test-0123456789';
  let server: FakeOpenAIServer;
  let restoreSettings: () => void;
  let workbench: Workbench;

  before(async () => {
    // Set API Key checks the key with the provider: OpenAI points at a fake server on 127.0.0.1.
    server = await FakeOpenAIServer.start();
    restoreSettings = changeUserSettings({ 'aurelis.endpoints': { openai: server.v1Url } });
    workbench = await Workbench.open();
  });

  after(async () => {
    await workbench?.close();
    restoreSettings?.();
    await server?.stop();
  });

  it('Set API Key asks which provider, takes the key in a masked box, checks it and confirms it was saved', async () => {
    await workbench.runCommand('Aurelis: Set API Key');
    await workbench.pick('Aurelis: Set API Key for…', 'OpenAI');
    const inputType = await workbench.answerInputBox('Aurelis: API key for OpenAI', key, { screenshot: 'set-api-key-masked' });
    assert.equal(inputType, 'password', 'the key must be typed into a masked box');
    const toast = await workbench.notification('API key for OpenAI saved');
    assert.match(await toast.innerText(), /Aurelis: API key for OpenAI saved\. OpenAI accepted it/);
    assert.ok(
      server.requests.some((r) => r.headers.authorization === `Bearer ${key}`),
      'the key was checked with the (fake) provider',
    );
    await workbench.screenshot('set-api-key-saved');
  });

  it('Clear API Key offers the stored key and removes it', async () => {
    await workbench.clearNotifications();
    await workbench.runCommand('Aurelis: Clear API Key');
    await workbench.pick('Aurelis: Clear the API key of…', 'OpenAI');
    await workbench.notification('API key for OpenAI removed');
    await workbench.screenshot('clear-api-key-removed');
  });
});
