import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeOpenAIServer } from '../fake-server';
import { canaryKey } from './support/canary';
import { aurelis, answeringInputBoxes, aurelisLogText, userSettingsText } from './support/aurelis';
import { waitFor } from '../support/waitFor';
import { stubWindow } from './editor/fakeProvider';

/** A key-shaped value that occurs nowhere else, so finding it anywhere is a leak. */
const fakeKey = () => canaryKey('api-key-test');

/** As a button or walkthrough link runs it: for a given provider (the palette asks which). */
const setApiKey = (provider = 'openai') => vscode.commands.executeCommand('aurelis.setApiKey', provider);

describe('Aurelis: Set API Key / Clear API Key', () => {
  let server: FakeOpenAIServer;
  const config = () => vscode.workspace.getConfiguration('aurelis');

  before(async () => {
    // Set API Key checks the key with the provider: point OpenAI at a server on 127.0.0.1.
    server = await FakeOpenAIServer.start();
    await config().update('endpoints.openai', server.v1Url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('endpoints.openai', undefined, vscode.ConfigurationTarget.Global);
    await (await aurelis()).keys.delete('openai');
    await server?.stop();
  });

  beforeEach(async () => {
    await (await aurelis()).keys.delete('openai');
  });

  it('stores the key in secret storage through a masked input box, after checking it with the provider', async () => {
    const api = await aurelis();
    const key = fakeKey();
    const { value, calls } = await answeringInputBoxes([key], () => setApiKey());
    assert.equal(value, true);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.options.password, true, 'the input box must mask the key');
    assert.match(calls[0]?.options.title ?? '', /OpenAI/);
    assert.equal(await api.keys.get('openai'), key);
    const check = server.requests.at(-1);
    assert.equal(check?.headers.authorization, `Bearer ${key}`, 'the key was checked with the (fake) provider');
  });

  it('never writes the key to settings.json or to the log', async () => {
    const key = fakeKey();
    const saved = 'API key for OpenAI saved to secret storage.';
    const savesBefore = aurelisLogText().split(saved).length;
    await answeringInputBoxes([key], () => setApiKey());
    // Waiting for this save's line proves the log read here is the file the extension writes to,
    // and that it has caught up with this command.
    const log = await waitFor('the "saved" line in Aurelis.log', () => {
      const text = aurelisLogText();
      return text.split(saved).length > savesBefore && text;
    });
    assert.equal(log.includes(key), false, 'the key appears in the Aurelis log');
    assert.equal(userSettingsText().includes(key), false, 'the key appears in user settings.json');
    assert.equal(JSON.stringify(config()).includes(key), false, 'the key appears in the aurelis configuration');
  });

  it('refuses an empty key and keeps nothing', async () => {
    const api = await aurelis();
    const { value, calls } = await answeringInputBoxes(['   '], () => setApiKey());
    assert.equal(value, false);
    assert.equal(calls[0]?.refusedWith, 'The key cannot be empty.');
    assert.equal(await api.keys.get('openai'), undefined);
  });

  it('keeps nothing when the input box is dismissed', async () => {
    const api = await aurelis();
    const { value } = await answeringInputBoxes([undefined], () => setApiKey());
    assert.equal(value, false);
    assert.equal(await api.keys.get('openai'), undefined);
  });

  it('Clear API Key for a given provider asks first, and keeps the key unless the user confirms', async () => {
    const api = await aurelis();
    await answeringInputBoxes([fakeKey()], () => setApiKey());
    const stored = await api.keys.get('openai');
    assert.notEqual(stored, undefined);
    const declined = stubWindow('showWarningMessage', () => undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.clearApiKey', 'openai'), false);
      assert.equal(declined.calls[0]?.message, 'Aurelis: remove the API key for OpenAI from secret storage?');
      assert.equal(await api.keys.get('openai'), stored, 'the key stays when the question is dismissed');
    } finally {
      declined.restore();
    }
    const confirmed = stubWindow('showWarningMessage', () => 'Remove');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.clearApiKey', 'openai'), true);
    } finally {
      confirmed.restore();
    }
    assert.equal(await api.keys.get('openai'), undefined);
    await waitFor('the "removed" line in Aurelis.log', () => aurelisLogText().includes('API key for OpenAI removed from secret storage.'));
  });

  it('Clear API Key reports when there is no key to remove', async () => {
    assert.equal(await vscode.commands.executeCommand('aurelis.clearApiKey', 'openai'), false);
  });

  it('asks for no key when the provider runs locally', async () => {
    const { value, calls } = await answeringInputBoxes([], () => setApiKey('ollama'));
    assert.equal(value, false);
    assert.equal(calls.length, 0);
  });
});
