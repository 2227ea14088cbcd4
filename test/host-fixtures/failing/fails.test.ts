import * as assert from 'node:assert/strict';

// Self-check fixture (not part of the host suite): a test that fails on purpose.
describe('fixture: failing suite', () => {
  it('fails on purpose', () => {
    assert.equal(1 + 1, 3, 'this fixture fails on purpose');
  });
});
