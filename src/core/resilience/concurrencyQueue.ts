/**
 * The global limit on requests in flight (aurelis.maxConcurrentRequests), first come first
 * served. A request aborted while it waits leaves the queue at once; a slot is freed exactly
 * once when its holder finishes, however it finishes.
 */
import { ChangeSignal } from './changeSignal';
import { throwIfAborted } from './timers';

export class ConcurrencyQueue {
  private active = 0;
  private readonly queue: object[] = [];
  private readonly changed = new ChangeSignal();

  /** `limit` is read on every check so a changed setting applies to waiting requests too. */
  constructor(private readonly limit: () => number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    const ticket = {};
    this.queue.push(ticket);
    try {
      for (;;) {
        throwIfAborted(signal);
        if (this.queue[0] === ticket && this.active < this.limit()) {
          this.active++;
          return this.releaser();
        }
        await this.changed.wait(signal);
      }
    } finally {
      const index = this.queue.indexOf(ticket);
      if (index >= 0) this.queue.splice(index, 1);
      this.changed.notify();
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.changed.notify();
    };
  }
}
