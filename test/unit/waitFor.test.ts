import assert from 'node:assert/strict';
import { settles, StopWaiting, waitFor } from '../support/waitFor';

describe('waitFor: the one polling helper of the tests', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    const answers = [undefined, null, false, 'ready'];
    assert.equal(await waitFor('the fourth answer', () => answers.shift(), { intervalMs: 1 }), 'ready');
  });

  it('a check that throws counts as not yet', async () => {
    let tries = 0;
    const value = await waitFor(
      'the third try',
      () => {
        tries++;
        assert.ok(tries >= 3, 'too early');
        return tries;
      },
      { intervalMs: 1 },
    );
    assert.equal(value, 3);
  });

  it('on time-out, names what it waited for and the last state it saw', async () => {
    let n = 0;
    await assert.rejects(waitFor('the counter to reach ten', () => ++n > 10 && n, { timeoutMs: 0, seen: () => ({ n }) }), /^Error: Timed out after 0 ms waiting for the counter to reach ten; last seen: \{"n":1\}$/);
    await assert.rejects(
      waitFor('an assertion to hold', () => assert.equal(1, 2, 'one is not two'), { timeoutMs: 0 }),
      /waiting for an assertion to hold; last seen: \none is not two/,
    );
  });

  it('StopWaiting ends the wait at once with its own error', async () => {
    let tries = 0;
    await assert.rejects(
      waitFor('a server that exited', () => {
        tries++;
        throw new StopWaiting('the server exited with 1');
      }),
      /^Error: the server exited with 1$/,
    );
    assert.equal(tries, 1);
  });

  it('settles passes a settled promise through and names a hung one', async () => {
    assert.equal(await settles('a quick answer', Promise.resolve(42)), 42);
    await assert.rejects(settles('an answer that never comes', new Promise(() => undefined), 0), /Timed out after 0 ms waiting for an answer that never comes/);
  });
});
