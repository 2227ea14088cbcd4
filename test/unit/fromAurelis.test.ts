import assert from 'node:assert/strict';
import { fromAurelis } from '../../src/extension/fromAurelis';

describe('fromAurelis', () => {
  it('names Aurelis once in a notification', () => {
    assert.equal(fromAurelis('the key was rejected.'), 'Aurelis: the key was rejected.');
    assert.equal(fromAurelis("Aurelis ignores this workspace's values for aurelis.provider."), "Aurelis ignores this workspace's values for aurelis.provider.");
    assert.equal(fromAurelis('Aurelis: already said.'), 'Aurelis: already said.');
    assert.equal(fromAurelis('Aurelisfoo is not the name'), 'Aurelis: Aurelisfoo is not the name');
  });
});
