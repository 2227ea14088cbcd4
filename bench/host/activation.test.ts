// The bench's host suite: the harness (test/host/index.ts) activates the extension and times it
// before any test runs; this only checks that the activation it timed really happened.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';

describe('bench: activation', () => {
  it('the extension was activated by the harness', () => {
    const extension = vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`);
    assert.ok(extension, 'the extension is not loaded in this host');
    assert.equal(extension.isActive, true);
  });
});
