/**
 * Where a finished request's record goes: every recorder (usage ledger, audit log, team budget,
 * telemetry) hears about it, after the answer has been handed to the caller. Recorders take the
 * record at once and write it later; `recorded` resolves when all of them have it on disk (or
 * have failed, which is logged, never fatal), and `flush()` when every record so far has.
 */
import type { Logger } from './host';
import type { UsageRecord, UsageRecorder } from './pipeline';
import { describe } from './pipelineErrors';

export class Recording {
  /** What is still being written: records, and the audit lines that belong to requests. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly recorders: readonly UsageRecorder[],
    private readonly logger: Logger,
  ) {}

  /** Hands the record to every recorder now; the promise resolves when they are done with it. */
  record(record: UsageRecord, alongside: readonly Promise<void>[] = []): Promise<void> {
    const writes: Promise<void>[] = [...alongside];
    for (const recorder of this.recorders) {
      writes.push(
        recorder.record(record).catch((err: unknown) => {
          this.logger.error(`Could not record request ${record.requestId}: ${describe(err)}`);
        }),
      );
    }
    return this.track(writes.length === 1 ? (writes[0] as Promise<void>) : Promise.all(writes).then(() => undefined));
  }

  /** Something written on a request's behalf that `flush()` must wait for (already logged on failure). */
  track(write: Promise<void>): Promise<void> {
    this.pending.add(write);
    const done = (): void => void this.pending.delete(write);
    write.then(done, done);
    return write;
  }

  /** Resolves when everything handed over so far is written (or has failed and been logged). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
