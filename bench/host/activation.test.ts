// The bench's host suite: the harness (test/host/index.ts) activates the extension and times it
// before any test runs; this checks that the activation it timed really happened, then measures
// the memory Aurelis adds to the extension host at rest and after its first request.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import { reply } from '../../test/fake-server';
import { benchMetrics, settledMemory } from '../../test/host/benchMetrics';
import { closeEditors, openEditor, useFakeProvider } from '../../test/host/editor/fakeProvider';
import { aurelis } from '../../test/host/support/aurelis';
import { waitFor } from '../../test/support/waitFor';

describe('bench: activation', () => {
  it('the extension was activated by the harness', () => {
    const extension = vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`);
    assert.ok(extension, 'the extension is not loaded in this host');
    assert.equal(extension.isActive, true);
  });

  it('measures the memory Aurelis adds at rest and after its first request', async () => {
    const api = await aurelis();
    // At rest: activated, and the status bar's first figures read from the ledger.
    await waitFor('the status bar to show today\'s spend', () => /\$\d/.test(api.budgetStatus().text), { timeoutMs: 60_000, seen: () => api.budgetStatus().text });
    const rest = settledMemory();
    const fake = await useFakeProvider();
    try {
      const editor = await openEditor('function answer() {\n  return 42;\n}\n');
      editor.selection = new vscode.Selection(0, 0, 2, 1);
      fake.server.script(reply.text('Returns the answer.', { usage: { prompt_tokens: 40, completion_tokens: 5 } }));
      const outcome = await vscode.commands.executeCommand('aurelis.explain');
      assert.ok(outcome, 'the first request failed');
      const after = settledMemory();
      Object.assign(benchMetrics, {
        rss_at_rest: rest.rss,
        heap_at_rest: rest.heapUsed,
        rss_after_first_request: after.rss,
        heap_after_first_request: after.heapUsed,
      });
    } finally {
      await fake.dispose();
      await closeEditors();
    }
  });
});
