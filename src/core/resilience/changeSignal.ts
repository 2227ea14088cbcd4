/**
 * "Something changed, look again": lets FIFO waiters sleep until a slot is released or the
 * queue moves, without polling.
 */
import { cancelledError } from './timers';

export class ChangeSignal {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(cancelledError());
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
