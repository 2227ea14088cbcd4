import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// Self-check fixture (not part of the host suite): the one test here that passes.
describe('fixture: failing suite', () => {
  it('passes', () => {
    assert.equal(vscode.version, '1.100.3');
  });
});
