/**
 * Group commit for an append-only file: what is handed over in the same moment — one turn of the
 * event loop, plus whatever arrives while a write is in flight — is written as one batch, so the
 * usage ledger pays one write and one fdatasync for the requests of that moment, and the audit
 * log one write. Items are written in the order they were handed over.
 */
export class MomentBatches<T> {
  private queue: T[] = [];
  private draining: Promise<void> | undefined;

  /** `writeBatch` settles every item of the batch it is given (each item carries its own promise). */
  constructor(private readonly writeBatch: (batch: T[]) => Promise<void>) {}

  add(item: T): void {
    this.queue.push(item);
    this.start();
  }

  /** Resolves when every item handed over so far has been through `writeBatch`. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private start(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // Items handed over by a caller that resumed before this drain wound up.
      if (this.queue.length > 0) this.start();
    });
  }

  private async drain(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.writeBatch(batch);
    }
  }
}
