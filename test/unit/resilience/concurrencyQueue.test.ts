import assert from 'node:assert/strict';
import { isAurelisError } from '../../../src/core/errors';
import { ConcurrencyQueue } from '../../../src/core/resilience/concurrencyQueue';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyQueue', () => {
  it('lets `limit` requests in and queues the rest in arrival order', async () => {
    const queue = new ConcurrencyQueue(() => 2);
    const releaseA = await queue.acquire();
    const releaseB = await queue.acquire();
    const order: string[] = [];
    const c = queue.acquire().then((r) => (order.push('c'), r));
    const d = queue.acquire().then((r) => (order.push('d'), r));
    await tick();
    assert.deepEqual(order, []);
    assert.equal(queue.waiting, 2);
    releaseB();
    const releaseC = await c;
    assert.deepEqual(order, ['c']);
    releaseA();
    await d;
    releaseC();
    assert.deepEqual(order, ['c', 'd']);
    assert.equal(queue.inFlight, 1);
  });

  it('a queued request that is aborted leaves at once without taking a slot', async () => {
    const queue = new ConcurrencyQueue(() => 1);
    const release = await queue.acquire();
    const abort = new AbortController();
    const waiting = queue.acquire(abort.signal);
    await tick();
    abort.abort();
    await assert.rejects(waiting, (e) => isAurelisError(e) && e.kind === 'cancelled');
    assert.equal(queue.waiting, 0);
    release();
    assert.equal(queue.inFlight, 0);
  });

  it('releasing twice frees only one slot', async () => {
    const queue = new ConcurrencyQueue(() => 1);
    const release = await queue.acquire();
    release();
    release();
    assert.equal(queue.inFlight, 0);
    await queue.acquire();
    assert.equal(queue.inFlight, 1);
  });

  it('reads the limit live: a raised limit applies to the next request', async () => {
    let limit = 1;
    const queue = new ConcurrencyQueue(() => limit);
    await queue.acquire();
    limit = 2;
    await queue.acquire();
    assert.equal(queue.inFlight, 2);
  });
});
