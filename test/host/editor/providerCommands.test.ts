import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { aurelis, answeringInputBoxes } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { canaryKey } from '../support/canary';
import { closeEditors, openEditor, stubWindow, TEST_MODEL, useFakeProvider, type FakeProvider } from './fakeProvider';

const wrongKey = canaryKey('wrong');
const uncheckedKey = canaryKey('unchecked');
const notTheRightKey = canaryKey('not-the-right-one');

const G = vscode.ConfigurationTarget.Global;
type Item = vscode.QuickPickItem & Record<string, unknown>;

describe('Provider, key, model and health commands', () => {
  let fake: FakeProvider;
  const config = () => vscode.workspace.getConfiguration('aurelis');
  before(async () => {
    fake = await useFakeProvider();
  });
  after(async () => {
    await fake.dispose();
    await closeEditors();
  });
  afterEach(() => fake.server.reset());

  it('Select Provider lists the presets grouped (hosted, gateways, local) with descriptions, marks GitHub Models as retired, and writes the user setting', async () => {
    const picks = stubWindow('showQuickPick', (_m, items) => (items as Item[]).find((i) => i.provider === 'ollama'));
    const info = stubWindow('showInformationMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.selectProvider'), 'ollama');
      const all = picks.calls[0]?.items as Item[];
      const separators = all.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
      assert.deepEqual(separators, ['Hosted', 'Gateways', 'Local']);
      const groupOf = (provider: string) => separators[all.slice(0, all.findIndex((i) => i.provider === provider)).filter((i) => i.kind === vscode.QuickPickItemKind.Separator).length - 1];
      assert.deepEqual(['anthropic', 'litellm', 'vllm', 'llamacpp', 'ollama'].map(groupOf), ['Hosted', 'Gateways', 'Local', 'Local', 'Local']);
      const items = all.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      assert.equal(items.length, 17);
      const github = items.find((i) => i.provider === 'github-models');
      assert.equal(github?.description, 'retired on 2026-07-30');
      assert.ok(items.every((i) => typeof i.detail === 'string' && i.detail.length > 10), 'every provider has a short description');
      assert.match(items.find((i) => i.provider === 'openai')?.label ?? '', /^\$\(check\) OpenAI$/);
      assert.equal(config().inspect('provider')?.globalValue, 'ollama');
      await waitFor('the confirmation', () => info.calls.some((c) => c.message === 'Aurelis now uses Ollama.'));
    } finally {
      picks.restore();
      info.restore();
      await config().update('provider', 'openai', G);
    }
  });

  it('Set API Key from the palette asks which provider, checks the key with the provider, then stores it', async () => {
    const api = await aurelis();
    await api.keys.delete('openai');
    const picks = stubWindow('showQuickPick', (_m, items) => (items as Item[]).find((i) => i.provider === 'openai'));
    const info = stubWindow('showInformationMessage');
    try {
      const { value, calls } = await answeringInputBoxes([fake.key], () => vscode.commands.executeCommand('aurelis.setApiKey'));
      assert.equal(value, true);
      const offered = (picks.calls[0]?.items as Item[]).map((i) => i.provider);
      assert.deepEqual(offered.slice(0, 1), ['openai'], 'the active provider comes first');
      assert.ok(!offered.includes('ollama') && !offered.includes('lmstudio'), 'local providers need no key');
      assert.equal(calls[0]?.options.password, true);
      assert.equal(await api.keys.get('openai'), fake.key);
      const check = fake.server.requests.find((r) => r.endpoint === 'models');
      assert.equal(check?.headers.authorization, `Bearer ${fake.key}`, 'the key was checked against the provider');
      assert.match(info.calls.find((c) => c.message.includes('saved'))?.message ?? '', /OpenAI accepted it \(\d+ models available\)/);
    } finally {
      picks.restore();
      info.restore();
      await api.keys.set('openai', fake.key);
    }
  });

  it('Set API Key does not store a key the provider rejects unless asked to', async () => {
    const api = await aurelis();
    const modal = stubWindow('showWarningMessage');
    try {
      const { value } = await answeringInputBoxes([wrongKey], () => vscode.commands.executeCommand('aurelis.setApiKey', 'openai'));
      assert.equal(value, false);
      const asked = modal.calls.find((c) => c.message === 'OpenAI rejected this API key.');
      assert.ok(asked, 'the rejection was not reported');
      assert.equal((asked.options as { modal?: boolean }).modal, true);
      assert.deepEqual(asked.items, ['Save Anyway']);
      assert.equal(await api.keys.get('openai'), fake.key, 'the stored key is unchanged');
    } finally {
      modal.restore();
    }
  });

  it('Set API Key stores a key it cannot check (provider unreachable) and says so', async () => {
    const api = await aurelis();
    const closed = await FakeOpenAIServer.start();
    const unreachable = closed.v1Url;
    await closed.stop();
    await config().update('endpoints.openrouter', unreachable, G);
    const warnings = stubWindow('showWarningMessage');
    try {
      const { value } = await answeringInputBoxes([uncheckedKey], () => vscode.commands.executeCommand('aurelis.setApiKey', 'openrouter'));
      assert.equal(value, true);
      assert.equal(await api.keys.get('openrouter'), uncheckedKey);
      assert.match(warnings.calls.find((c) => c.message.includes('could not be checked'))?.message ?? '', /OpenRouter saved, but it could not be checked/);
    } finally {
      warnings.restore();
      await api.keys.delete('openrouter');
      await config().update('endpoints.openrouter', undefined, G);
    }
  });

  it('Clear API Key from the palette offers only the providers with a stored key', async () => {
    const api = await aurelis();
    await api.keys.set('openrouter', canaryKey('to-clear'));
    const picks = stubWindow('showQuickPick', (_m, items) => (items as Item[]).find((i) => i.provider === 'openrouter'));
    const info = stubWindow('showInformationMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.clearApiKey'), true);
      assert.deepEqual((picks.calls[0]?.items as Item[]).map((i) => i.provider).sort(), ['openai', 'openrouter']);
      assert.equal(await api.keys.get('openrouter'), undefined);
      assert.equal(await api.keys.get('openai'), fake.key);
    } finally {
      picks.restore();
      info.restore();
    }
  });

  it('Models lists the catalog with limits and tier and makes the chosen model first for a task', async () => {
    const api = await aurelis();
    await config().update('provider', 'github-models', G);
    await config().update('endpoints.github-models', fake.server.inferenceUrl, G);
    await api.keys.set('github-models', fake.key);
    const picks = stubWindow('showQuickPick', (_m, items) => {
      const list = items as Item[];
      return list.find((i) => i.label === 'openai/gpt-4o') ?? list.find((i) => i.task === 'review');
    });
    const info = stubWindow('showInformationMessage');
    try {
      const outcome = await vscode.commands.executeCommand<{ task: string; chain: string[] }>('aurelis.models');
      const catalog = picks.calls[0]?.items as Item[];
      const gpt4o = catalog.find((i) => i.label === 'openai/gpt-4o');
      assert.equal(gpt4o?.description, 'in 128k · out 16k · tier high');
      assert.ok(catalog.some((i) => i.label === 'mistral-ai/codestral-2501'));
      assert.deepEqual(outcome, { task: 'review', chain: ['openai/gpt-4o', TEST_MODEL] });
      assert.deepEqual(config().inspect('models.review')?.globalValue, ['openai/gpt-4o', TEST_MODEL]);
      assert.ok(fake.server.requests.some((r) => r.path === '/catalog/models'), "GitHub's catalog was read");
    } finally {
      picks.restore();
      info.restore();
      await api.keys.delete('github-models');
      await config().update('endpoints.github-models', undefined, G);
      await config().update('provider', 'openai', G);
      await config().update('models.review', [TEST_MODEL], G);
    }
  });

  it('Health Check reports the key, the endpoint, each model with its latency and breaker state', async () => {
    const outcome = await vscode.commands.executeCommand<{ text: string; healthy: boolean }>('aurelis.healthCheck');
    assert.ok(outcome);
    assert.equal(outcome.healthy, true, outcome.text);
    assert.match(outcome.text, /\| API key \| ✅ stored in VS Code secret storage \|/);
    assert.match(outcome.text, /\| Reachable \| ✅ answered in \d+ ms, \d+ models listed \|/);
    assert.match(outcome.text, new RegExp(`\\| \`${TEST_MODEL}\` \\| openai \\| ✅ answers \\| \\d+ ms \\| closed( \\(\\d+ recent failures?\\))? \\|`));
    assert.equal(fake.server.chatRequests.length, 1, 'the one configured model was asked something');

    fake.server.script(reply.error(500), reply.error(500));
    const failing = await vscode.commands.executeCommand<{ text: string; healthy: boolean }>('aurelis.healthCheck');
    assert.equal(failing?.healthy, false);
    assert.match(failing?.text ?? '', new RegExp(`\\| \`${TEST_MODEL}\` \\| openai \\| ❌ `));
  });

  it('an authentication error becomes a notification with Set API Key and Select Provider', async () => {
    const api = await aurelis();
    await api.keys.set('openai', notTheRightKey);
    const errors = stubWindow('showErrorMessage');
    try {
      const editor = await openEditor('const x = 1;\n');
      editor.selection = new vscode.Selection(0, 0, 0, 12);
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      const [call] = errors.calls;
      assert.ok(call, 'no error was shown');
      assert.ok(!call.message.includes(notTheRightKey), 'the key appears in the message');
      assert.deepEqual(call.items.slice(0, 2), ['Set API Key', 'Select Provider']);
    } finally {
      errors.restore();
      await api.keys.set('openai', fake.key);
    }
  });
});
