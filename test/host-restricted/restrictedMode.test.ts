// Run with workspace trust on and the test folder never trusted (npm test's "Restricted Mode" layer):
// Aurelis must ignore the repository's settings and ask before any of its code leaves the machine.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../fake-server';
import { aurelis, auditLines } from '../host/support/aurelis';
import { closeEditors, openWorkspaceFile, stubWindow, TEST_MODEL, useFakeProvider, workspaceUri, type FakeProvider } from '../host/editor/fakeProvider';

const W = vscode.ConfigurationTarget.Workspace;
const config = () => vscode.workspace.getConfiguration('aurelis');

describe('Restricted Mode (an untrusted workspace)', () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await useFakeProvider();
  });
  after(async () => {
    await config().update('models.explain', undefined, W);
    await config().update('security.secretScan', undefined, W);
    await fake.dispose();
    await closeEditors();
  });
  afterEach(() => fake.server.reset());

  it('runs in a workspace that is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it("ignores the repository's settings — models, secret scan — and names what it ignored", async () => {
    const api = await aurelis();
    await config().update('models.explain', ['model-the-repository-wants'], W);
    await config().update('security.secretScan', 'off', W);
    assert.deepEqual(api.settings().models.explain, [TEST_MODEL], 'a workspace chain was used');
    assert.equal(api.settings().security.secretScan, 'ask', 'a workspace turned the secret scan off');
    for (const name of ['aurelis.models.explain', 'aurelis.security.secretScan']) assert.ok(api.ignoredWorkspaceSettings().includes(name), `${name} not reported: ${api.ignoredWorkspaceSettings().join(', ')}`);
  });

  it('asks before sending workspace code; declining sends nothing and is audited', async () => {
    const editor = await openWorkspaceFile('src/restricted.ts', 'export const answer = 42;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 25);
    const modal = stubWindow('showWarningMessage');
    const errors = stubWindow('showErrorMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      const [question] = modal.calls;
      assert.equal(question?.message, 'Aurelis: this workspace is in Restricted Mode. Send its code to OpenAI?');
      assert.equal((question?.options as { modal?: boolean } | undefined)?.modal, true);
      assert.deepEqual(question?.items, ['Send This Time', 'Manage Workspace Trust']);
      assert.equal(fake.server.chatRequests.length, 0, 'code was sent without asking');
      assert.deepEqual(errors.calls, [], 'declining is not an error');
    } finally {
      modal.restore();
      errors.restore();
    }
    const refusal = (await auditLines()).filter((l) => l.type === 'restricted_mode_refusal').at(-1);
    assert.equal(refusal?.command, 'aurelis.explain');
    assert.match(String(refusal?.reason), /chose not to send code from a workspace in Restricted Mode/);
  });

  it('"Send This Time" sends that one request, to the endpoint from the user settings', async () => {
    const editor = await openWorkspaceFile('src/restricted.ts', 'export const answer = 42;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 25);
    fake.server.script(reply.text('A constant.'));
    const modal = stubWindow('showWarningMessage', (message) => (message.includes('Restricted Mode') ? 'Send This Time' : undefined));
    try {
      const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
      assert.match(outcome?.text ?? '', /A constant\./);
      assert.equal(fake.server.chatRequests.length, 1);
      assert.equal(modal.calls.length, 1);
    } finally {
      modal.restore();
    }
  });

  it('Review Folder asks once for the whole folder: declining sends nothing and is audited; "Send This Time" sends every file', async () => {
    const folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'restricted-batch');
    for (const name of ['a.ts', 'b.ts']) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), new TextEncoder().encode(`export const ${name[0]} = 1;\n`));
    fake.server.handle(() => reply.text(JSON.stringify({ findings: [] })));
    const declined = stubWindow('showWarningMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.reviewFolder', folder), undefined);
      assert.equal(declined.calls.length, 1);
      assert.equal(declined.calls[0]?.message, 'Aurelis: this workspace is in Restricted Mode. Send its code to OpenAI?');
      assert.equal(fake.server.chatRequests.length, 0, 'code was sent without asking');
    } finally {
      declined.restore();
    }
    const refusal = (await auditLines()).filter((l) => l.type === 'restricted_mode_refusal').at(-1);
    assert.equal(refusal?.command, 'aurelis.reviewFolder');
    const accepted = stubWindow('showWarningMessage', (message) => (message.includes('Restricted Mode') ? 'Send This Time' : undefined));
    const info = stubWindow('showInformationMessage');
    try {
      const outcome = await vscode.commands.executeCommand<{ files: number }>('aurelis.reviewFolder', folder);
      assert.equal(outcome?.files, 2);
      assert.equal(fake.server.chatRequests.length, 2);
      assert.equal(accepted.calls.length, 1, 'asked once for the batch');
    } finally {
      accepted.restore();
      info.restore();
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });

  it('leaves the project instructions out unless the user sends them, and the question names them', async () => {
    const agents = workspaceUri('AGENTS.md');
    await vscode.workspace.fs.writeFile(agents, new TextEncoder().encode('Reply in the style of a pirate.\n'));
    const editor = await openWorkspaceFile('src/restricted.ts', 'export const answer = 42;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 25);
    const systemOf = (i: number) =>
      ((fake.server.chatRequests[i]?.body as { messages?: Array<{ role: string; content: string }> }).messages ?? []).filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    let answer = 'Send This Time';
    const modal = stubWindow('showWarningMessage', (message) => (message.includes('Restricted Mode') ? answer : undefined));
    try {
      fake.server.script(reply.text('A constant.'), reply.text('Arr, a constant.'));
      const without = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
      const [question] = modal.calls;
      assert.deepEqual(question?.items, ['Send This Time', 'Send With Instructions', 'Manage Workspace Trust']);
      assert.match(String((question?.options as { detail?: string } | undefined)?.detail), /This workspace has project instructions \(AGENTS\.md\)\. "Send This Time" leaves them out/);
      assert.doesNotMatch(systemOf(0), /pirate/, 'instructions went without being allowed');
      assert.doesNotMatch(without?.text ?? '', /with AGENTS\.md/);

      answer = 'Send With Instructions';
      const withThem = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
      assert.match(systemOf(1), /Reply in the style of a pirate\./);
      assert.match(withThem?.text ?? '', /with AGENTS\.md\*/);
    } finally {
      modal.restore();
      await vscode.workspace.fs.delete(agents).then(undefined, () => undefined);
    }
  });
});
