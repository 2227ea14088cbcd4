// Secrets in code about to be sent, and the audit log, as a user meets them inside VS Code.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { answeringInputBoxes, auditLines } from '../support/aurelis';
import { canaryKey } from '../support/canary';
import { closeEditors, openWorkspaceFile, promptOf, stubWindow, useFakeProvider, type FakeProvider } from './fakeProvider';

const GITHUB_TOKEN = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';
const CONFIG = ['// Service settings', 'export const settings = {', '  region: "eu-west-1",', `  token: "${GITHUB_TOKEN}",`, '};', ''].join('\n');
const G = vscode.ConfigurationTarget.Global;
const config = () => vscode.workspace.getConfiguration('aurelis');

describe('Security: secrets in outgoing code, and the audit log', () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await useFakeProvider();
  });
  after(async () => {
    await config().update('security.secretScan', undefined, G);
    await fake.dispose();
  });
  afterEach(async () => {
    fake.server.reset();
    await closeEditors();
  });

  async function explainConfig(answer: string | undefined) {
    const editor = await openWorkspaceFile('src/settings.ts', CONFIG);
    editor.selection = new vscode.Selection(1, 0, 4, 2);
    fake.server.script(reply.text('It holds the service settings.'));
    const modal = stubWindow('showWarningMessage', (message) => (message.includes('contains a GitHub token') ? answer : undefined));
    try {
      const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
      return { outcome, modal };
    } finally {
      modal.restore();
    }
  }

  it('ask (the default): a modal names the secret and where it is; "Send Redacted" sends [REDACTED:github_token]', async () => {
    const { outcome, modal } = await explainConfig('Send Redacted');
    const [question] = modal.calls;
    assert.ok(question, 'no question was asked');
    assert.equal(question.message, 'Aurelis: the code about to be sent to OpenAI contains a GitHub token (src/settings.ts:4).');
    assert.deepEqual(question.items, ['Send Redacted', 'Send Anyway']);
    const detail = (question.options as { modal: boolean; detail: string }).detail;
    assert.equal((question.options as { modal: boolean }).modal, true);
    assert.match(detail, /• GitHub token — src\/settings\.ts, line 4/);
    assert.equal(JSON.stringify(modal.calls).includes(GITHUB_TOKEN), false, 'the question shows the secret');
    assert.ok(outcome, 'the explanation was not shown');
    const prompt = promptOf(fake.server.chatRequests[0]?.body);
    assert.match(prompt, /token: "\[REDACTED:github_token\]"/);
    assert.equal(prompt.includes(GITHUB_TOKEN), false);
    const event = (await auditLines()).filter((l) => l.type === 'secret_detected').at(-1);
    assert.equal(event?.choice, 'redacted');
    assert.equal(event?.policy, 'ask');
    assert.deepEqual((event?.findings as Array<{ kind: string; file: string; fileLine: number }>).map((f) => [f.kind, f.file, f.fileLine]), [['github_token', 'src/settings.ts', 4]]);
  });

  it('ask: "Send Anyway" sends the code as it is, and Cancel sends nothing; both are audited', async () => {
    await explainConfig('Send Anyway');
    assert.match(promptOf(fake.server.chatRequests[0]?.body), new RegExp(GITHUB_TOKEN));
    fake.server.reset();
    const errors = stubWindow('showErrorMessage');
    try {
      const { outcome } = await explainConfig(undefined);
      assert.equal(outcome, undefined);
      assert.equal(fake.server.chatRequests.length, 0, 'a cancelled question sent something');
      assert.deepEqual(errors.calls, [], 'cancelling is not an error');
    } finally {
      errors.restore();
    }
    const choices = (await auditLines()).filter((l) => l.type === 'secret_detected').slice(-2).map((l) => l.choice);
    assert.deepEqual(choices, ['sent', 'cancelled']);
  });

  it('redact: sends [REDACTED:…] without asking and says so; block: sends nothing and says which setting to change', async () => {
    await config().update('security.secretScan', 'redact', G);
    const info = stubWindow('showInformationMessage');
    try {
      const { modal } = await explainConfig('Send Anyway');
      assert.deepEqual(modal.calls, [], 'redact must not ask');
      assert.match(promptOf(fake.server.chatRequests[0]?.body), /\[REDACTED:github_token\]/);
      assert.ok(info.calls.some((c) => c.message === 'Aurelis: Sent with a GitHub token (src/settings.ts:4) replaced by [REDACTED:…].'), JSON.stringify(info.calls));
    } finally {
      info.restore();
    }

    fake.server.reset();
    await config().update('security.secretScan', 'block', G);
    const warnings = stubWindow('showWarningMessage');
    try {
      const editor = await openWorkspaceFile('src/settings.ts', CONFIG);
      editor.selection = new vscode.Selection(1, 0, 4, 2);
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      assert.equal(fake.server.chatRequests.length, 0);
      const [warning] = warnings.calls;
      assert.match(warning?.message ?? '', /^Aurelis: Nothing was sent: the code contains a GitHub token \(src\/settings\.ts:4\), and aurelis\.security\.secretScan is "block"\./);
      assert.deepEqual(warning?.items, ['Open Settings']);
    } finally {
      warnings.restore();
      await config().update('security.secretScan', undefined, G);
    }
    const last = (await auditLines()).filter((l) => l.type === 'secret_detected').slice(-2);
    assert.deepEqual(last.map((l) => [l.policy, l.choice]), [['redact', 'redacted'], ['block', 'blocked']]);
  });

  it('every request leaves one audit line with its accounting, never the prompt', async () => {
    const editor = await openWorkspaceFile('src/sum.ts', 'export const sum = (a: number, b: number) => a + b;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 51);
    fake.server.script(reply.text('Adds two numbers.', { usage: { prompt_tokens: 61, completion_tokens: 4 } }));
    const result = await vscode.commands.executeCommand<{ requestId?: string; text: string }>('aurelis.explain');
    assert.ok(result);
    const line = (await auditLines()).filter((l) => l.type === 'request').at(-1);
    assert.equal(line?.task, 'explain');
    assert.equal(line?.outcome, 'ok');
    assert.equal(line?.provider, 'openai');
    assert.equal(line?.promptTokens, 61);
    assert.equal(line?.completionTokens, 4);
    assert.match(String(line?.workspace), /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(line).includes('sum'), false, 'the audit line carries code');
  });

  it('key set / validated / cleared and provider changes are audit events, without the key', async () => {
    const key = canaryKey('audit');
    // OpenRouter, as far as this test knows, is a fake on 127.0.0.1 that accepts any key.
    const openRouter = await FakeOpenAIServer.start();
    await config().update('endpoints.openrouter', openRouter.v1Url, G);
    try {
      await answeringInputBoxes([key], () => vscode.commands.executeCommand('aurelis.setApiKey', 'openrouter'));
      assert.equal(openRouter.requests.at(-1)?.headers.authorization, `Bearer ${key}`, 'the key was checked');
      const confirm = stubWindow('showWarningMessage', () => 'Remove');
      try {
        assert.equal(await vscode.commands.executeCommand('aurelis.clearApiKey', 'openrouter'), true);
      } finally {
        confirm.restore();
      }
      await config().update('provider', 'lmstudio', G);
      await config().update('provider', 'openai', G);
    } finally {
      await config().update('endpoints.openrouter', undefined, G);
      await openRouter.stop();
    }
    const lines = await auditLines();
    assert.equal(JSON.stringify(lines).includes(key), false, 'the key is in the audit log');
    const recent = lines.filter((l) => ['key_validated', 'key_set', 'key_cleared', 'provider_change'].includes(l.type)).slice(-5);
    assert.deepEqual(
      recent.map((l) => [l.type, l.provider ?? `${String(l.from)}→${String(l.to)}`]),
      [
        ['key_validated', 'openrouter'],
        ['key_set', 'openrouter'],
        ['key_cleared', 'openrouter'],
        ['provider_change', 'openai→lmstudio'],
        ['provider_change', 'lmstudio→openai'],
      ],
    );
  });

  it('Open Audit Log opens today\'s audit file; Export Audit Log asks where to save', async () => {
    const file = await vscode.commands.executeCommand<string>('aurelis.openAuditLog');
    assert.match(file ?? '', /[\\/]audit[\\/]audit-\d{4}-\d{2}-\d{2}(\.\d+)?\.jsonl$/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"type":"request"/);

    const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-audit-dialog-'));
    const original = vscode.window.showSaveDialog;
    const asked: vscode.SaveDialogOptions[] = [];
    vscode.window.showSaveDialog = async (options) => {
      asked.push(options ?? {});
      return vscode.Uri.file(path.join(dir, 'picked.jsonl'));
    };
    try {
      const outcome = await vscode.commands.executeCommand<{ lines: number }>('aurelis.exportAuditLog');
      assert.equal(asked.length, 1);
      assert.match(asked[0]?.defaultUri?.path ?? '', /aurelis-audit-\d{4}-\d{2}-\d{2}\.jsonl$/);
      const written = readFileSync(path.join(dir, 'picked.jsonl'), 'utf8').split('\n').filter(Boolean);
      assert.equal(written.length, outcome?.lines);
      assert.ok(written.length > 0);
    } finally {
      vscode.window.showSaveDialog = original;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
