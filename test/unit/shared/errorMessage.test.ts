import assert from 'node:assert/strict';
import { AurelisError } from '../../../src/core/errors';
import { errorMessage } from '../../../src/shared/errorMessage';

describe('errorMessage', () => {
  it('gives the words of whatever was thrown', () => {
    assert.equal(errorMessage(new Error('disk full')), 'disk full');
    assert.equal(errorMessage(new AurelisError('timeout', 'The model took too long.')), 'The model took too long.');
    assert.equal(errorMessage(new TypeError('')), 'TypeError');
    assert.equal(errorMessage('plain words'), 'plain words');
    assert.equal(errorMessage({ message: 'from a library that throws objects', code: 42 }), 'from a library that throws objects');
    assert.equal(errorMessage(404), '404');
    assert.equal(errorMessage(undefined), 'undefined');
  });

  it('does not throw on a value String() cannot print', () => {
    assert.equal(errorMessage(Object.create(null)), '[object Object]');
  });
});
