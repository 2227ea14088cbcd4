// The bench's host suite: the harness (test/host/index.ts) activates the extension and times it
// before any test runs; this checks that the activation it timed really happened, then measures
// the extension host's memory at rest and after Aurelis's first request. The same suite runs in a
// host without Aurelis (AURELIS_HOST_WITHOUT_AURELIS=1) for the baseline: the memory at the same
// points, with the same editor and fake server but no Aurelis, so the bench can say what
// Aurelis adds (VS Code activates Aurelis at start-up, before any "before" figure could be taken).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import { FakeOpenAIServer, reply } from '../../test/fake-server';
import { benchMetrics, settledMemory } from '../../test/host/benchMetrics';
import { closeEditors, openEditor, useFakeProvider } from '../../test/host/editor/fakeProvider';
import { aurelis } from '../../test/host/support/aurelis';
import { waitFor } from '../../test/support/waitFor';

const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const SOURCE = 'function answer() {\n  return 42;\n}\n';

if (process.env.AURELIS_HOST_WITHOUT_AURELIS === '1') {
  describe('bench: the host without Aurelis', () => {
    it('has no Aurelis loaded', () => {
      assert.equal(vscode.extensions.getExtension(EXTENSION_ID), undefined);
    });

    it('measures the memory at rest, and with the editor and fake server of the first request', async () => {
      const rest = settledMemory();
      const server = await FakeOpenAIServer.start();
      try {
        await openEditor(SOURCE);
        const after = settledMemory();
        Object.assign(benchMetrics, { rss_at_rest: rest.rss, heap_at_rest: rest.heapUsed, rss_after_first_request: after.rss, heap_after_first_request: after.heapUsed });
      } finally {
        await server.stop();
        await closeEditors();
      }
    });
  });
} else {
  describe('bench: activation', () => {
    it('the extension was activated by the harness', () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, 'the extension is not loaded in this host');
      assert.equal(extension.isActive, true);
    });

    it('measures the memory at rest and after its first request', async () => {
      const api = await aurelis();
      // At rest: activated, and the status bar's first figures read from the ledger.
      await waitFor('the status bar to show today\'s spend', () => /\$\d/.test(api.budgetStatus().text), { timeoutMs: 60_000, seen: () => api.budgetStatus().text });
      const rest = settledMemory();
      const fake = await useFakeProvider();
      try {
        const editor = await openEditor(SOURCE);
        editor.selection = new vscode.Selection(0, 0, 2, 1);
        fake.server.script(reply.text('Returns the answer.', { usage: { prompt_tokens: 40, completion_tokens: 5 } }));
        const outcome = await vscode.commands.executeCommand('aurelis.explain');
        assert.ok(outcome, 'the first request failed');
        const after = settledMemory();
        Object.assign(benchMetrics, { rss_at_rest: rest.rss, heap_at_rest: rest.heapUsed, rss_after_first_request: after.rss, heap_after_first_request: after.heapUsed });
      } finally {
        await fake.dispose();
        await closeEditors();
      }
    });
  });
}
