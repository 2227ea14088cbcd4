import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { openEditor, promptOf, stubWindow, TEST_MODEL, useFakeProviderForSuite } from './fakeProvider';

const CODE = [
  'export function orderTotal(orders: { quantity: number; unitPrice: number }[]): number {',
  '  let total = 0;',
  '  for (const order of orders) total += order.quantity * order.unitPrice;',
  '  return total;',
  '}',
  '',
  'export function unrelated(): string {',
  "  return 'not part of the question';",
  '}',
].join('\n');

describe('Aurelis: Explain', () => {
  const suite = useFakeProviderForSuite();

  it('streams the explanation into a Markdown view beside the editor while it arrives', async () => {
    const api = await aurelis();
    const editor = await openEditor(CODE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    const chunks = ['## Summary\n\n', '`orderTotal` adds up ', 'quantity × unit price ', 'over all orders.'];
    suite.fake.server.script(reply.text(chunks.join(''), { chunks, chunkDelayMs: 250 }));

    const seen: string[] = [];
    const listener = api.onDidChangeView((uri) => seen.push(api.viewText(uri.toString())));
    let outcome: { uri: string; text: string } | undefined;
    try {
      outcome = await vscode.commands.executeCommand<{ uri: string; text: string }>('aurelis.explain');
    } finally {
      listener.dispose();
    }
    assert.ok(outcome, 'Explain returned nothing (an error was shown instead)');
    // The view grew chunk by chunk before the answer was complete.
    const partial = seen.filter((t) => t.includes('`orderTotal` adds up') && !t.includes('over all orders.'));
    assert.ok(partial.length >= 1, `no intermediate state was shown: ${JSON.stringify(seen)}`);
    assert.ok(seen.indexOf(partial[0] as string) < seen.findIndex((t) => t.includes('over all orders.')));
    assert.match(outcome.text, /^# Explanation of the selected code/);
    assert.match(outcome.text, /`orderTotal` adds up quantity × unit price over all orders\./);
    assert.match(outcome.text, new RegExp(`${TEST_MODEL} \\(openai\\)`));

    const [request] = suite.fake.server.chatRequests;
    assert.equal(request?.stream, true);
    const prompt = promptOf(request?.body);
    assert.match(prompt, /export function orderTotal/);
    assert.doesNotMatch(prompt, /unrelated/, 'only the selection is sent');
    assert.match(prompt, /\(typescript\)/);

    // Shown beside the code: the Markdown document is open and a preview tab shows it.
    // Named after the document the code is in.
    const title = `Explanation of ${editor.document.uri.path.split('/').pop()}.md`;
    const previews = (): string[] =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs.filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'vscode.markdown.preview.editor').map((t) => t.label));
    await waitFor(`a Markdown preview tab "${title}"`, () => previews().includes(title), { seen: previews });
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.toString() === outcome?.uri));
  });

  it('explains the function around the cursor when nothing is selected', async function () {
    // The TypeScript language server answers symbol requests once it has started: slow on a loaded machine.
    this.timeout(120_000);
    const editor = await openEditor(CODE);
    await waitFor(
      'document symbols from the TypeScript extension',
      async () => ((await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', editor.document.uri))?.length ?? 0) > 0,
      { timeoutMs: 60_000 },
    );
    editor.selection = new vscode.Selection(7, 4, 7, 4);
    suite.fake.server.script(reply.text('It returns a fixed string.'));
    const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
    assert.ok(outcome);
    assert.match(outcome.text, /^# Explanation of function `unrelated`/);
    const prompt = promptOf(suite.fake.server.chatRequests[0]?.body);
    assert.match(prompt, /function `unrelated`, lines 7–9/);
    assert.doesNotMatch(prompt, /orderTotal/);
  });

  it('refuses code over the size limit, naming the limit, without sending anything', async () => {
    const config = vscode.workspace.getConfiguration('aurelis');
    await config.update('security.maxFileKB', 1, vscode.ConfigurationTarget.Global);
    const warnings = stubWindow('showWarningMessage');
    try {
      const editor = await openEditor(`// ${'x'.repeat(3000)}\n`);
      editor.selection = new vscode.Selection(0, 0, 1, 0);
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      const warning = await waitFor('the size warning', () => warnings.calls.find((c) => /KB limit/.test(c.message)));
      assert.match(warning.message, /is 3 KB, over the 1 KB limit .*aurelis\.security\.maxFileKB/);
      assert.deepEqual(warning.items, ['Open Settings']);
      assert.equal(suite.fake.server.chatRequests.length, 0);
    } finally {
      warnings.restore();
      await config.update('security.maxFileKB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses binary content', async () => {
    const errors = stubWindow('showErrorMessage');
    try {
      // VS Code will not open a binary file from disk as text at all: an untitled document holds the bytes.
      const editor = await openEditor('PNG\u0000\u0001\u0002binary', 'plaintext');
      assert.ok(editor.document.getText().includes('\u0000'), `the document lost its NUL: ${JSON.stringify(editor.document.getText())}`);
      editor.selection = new vscode.Selection(0, 0, 0, 10);
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      const error = await waitFor('the binary refusal', () => errors.calls.find((c) => /binary/.test(c.message)));
      assert.match(error.message, /only sends text/);
      assert.equal(suite.fake.server.chatRequests.length, 0);
    } finally {
      errors.restore();
    }
  });

  it('Cancel aborts the request: the fake server sees the connection closed', async () => {
    const api = await aurelis();
    const editor = await openEditor(CODE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    suite.fake.server.script(reply.hang());
    const errors = stubWindow('showErrorMessage');
    try {
      const running = vscode.commands.executeCommand('aurelis.explain');
      await suite.fake.server.waitForChatRequests(1);
      assert.equal(api.runningRequests(), 1);
      assert.match(api.budgetStatus().text, /\$\(loading~spin\)/, 'the status bar spins while a request runs');
      assert.equal(await vscode.commands.executeCommand('aurelis.cancel'), 1);
      assert.equal(await running, undefined);
      const request = suite.fake.server.chatRequests[0];
      await request?.done;
      assert.equal(request?.clientClosed, true, 'the HTTP connection was not closed by the cancel');
      assert.equal(api.runningRequests(), 0);
      assert.deepEqual(errors.calls, [], 'a cancel is not an error');
      await waitFor('the spinner to stop', () => !api.budgetStatus().text.includes('loading~spin'));
    } finally {
      errors.restore();
    }
  });

  it('keeps what arrived when the stream breaks, and says so', async () => {
    const api = await aurelis();
    const editor = await openEditor(CODE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    // The pause lets the first chunks reach the view before the connection breaks.
    suite.fake.server.script({ type: 'broken-stream', chunks: ['The function ', 'sums the orders'], chunkDelayMs: 300 });
    const errors = stubWindow('showErrorMessage');
    const views: string[] = [];
    const listener = api.onDidChangeView((uri) => views.push(uri.toString()));
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.explain'), undefined);
      const error = await waitFor('the broken-stream error', () => errors.calls[0]);
      assert.match(error.message, /part that arrived is kept/);
      const text = api.viewText(views[views.length - 1] ?? '');
      assert.match(text, /The function sums the orders/);
      assert.match(text, /The explanation stopped/);
    } finally {
      listener.dispose();
      errors.restore();
    }
  });
});
