import * as assert from 'node:assert/strict';
import { Workbench } from './support/workbench';

describe('UI: API key commands from the command palette', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open();
  });

  after(async () => {
    await workbench?.close();
  });

  it('Set API Key asks for the key in a masked box and confirms it was saved', async () => {
    await workbench.runCommand('Aurelis: Set API Key');
    const inputType = await workbench.answerInputBox('Aurelis: API key for OpenAI', 'sk-aurelis-ui-test-0123456789', { screenshot: 'set-api-key-masked' });
    assert.equal(inputType, 'password', 'the key must be typed into a masked box');
    const toast = await workbench.notification('API key for OpenAI saved');
    assert.match(await toast.innerText(), /Aurelis: API key for OpenAI saved\./);
    await workbench.screenshot('set-api-key-saved');
  });

  it('Clear API Key removes it again', async () => {
    await workbench.clearNotifications();
    await workbench.runCommand('Aurelis: Clear API Key');
    await workbench.notification('API key for OpenAI removed');
    await workbench.screenshot('clear-api-key-removed');
  });
});
