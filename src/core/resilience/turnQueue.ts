/**
 * One model's waiting line within a process: requests take turns first come, first served, and
 * a retry goes before requests that have not been sent yet (it has waited its turn once). Only
 * the head of the line tries for a slot; the rest sleep until the line moves. The local pacer
 * and the team pacer share this line and differ only in how the head tries.
 */
import { ChangeSignal } from './changeSignal';
import { throwIfAborted } from './timers';

export class TurnQueue {
  private readonly line: Array<{ retry: boolean }> = [];
  /** Told whenever the line moves or a slot frees up; the head's own wait may listen to it. */
  readonly changed = new ChangeSignal();

  /** No request is waiting or trying for a slot. */
  isEmpty(): boolean {
    return this.line.length === 0;
  }

  /**
   * Waits for this request's turn, then calls `tryOnce` until it returns a result; `tryOnce`
   * does its own waiting between tries and returns `undefined` to try again.
   */
  async take<T>(retry: boolean, signal: AbortSignal | undefined, tryOnce: () => Promise<{ result: T } | undefined>): Promise<T> {
    const ticket = { retry };
    if (retry) {
      const firstNew = this.line.findIndex((t) => !t.retry);
      this.line.splice(firstNew < 0 ? this.line.length : firstNew, 0, ticket);
    } else this.line.push(ticket);
    try {
      for (;;) {
        throwIfAborted(signal);
        if (this.line[0] !== ticket) {
          await this.changed.wait(signal);
          continue;
        }
        const outcome = await tryOnce();
        if (outcome) return outcome.result;
      }
    } finally {
      const index = this.line.indexOf(ticket);
      if (index >= 0) this.line.splice(index, 1);
      this.changed.notify();
    }
  }
}
