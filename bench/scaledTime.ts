/**
 * Time that runs `factor` times faster than the wall clock, shared by the fake server (its
 * rate-limit windows) and the orchestrator (pacing windows, retry waits, timeouts). Both keep
 * their real one-minute windows; at factor 30 a minute passes in two real seconds, so a
 * 15-requests-a-minute limit becomes 15 per 2 s without changing either side's code.
 */
import { performance } from 'node:perf_hooks';
import { realSleep, type Timers } from '../src/core/resilience/timers';

export class ScaledTimers implements Timers {
  private readonly startedAt = Date.now();
  private readonly startedPerf = performance.now();

  constructor(readonly factor: number) {
    if (!(factor >= 1)) throw new Error(`time can only be sped up (factor ${factor})`);
  }

  now(): number {
    return this.startedAt + Math.round((performance.now() - this.startedPerf) * this.factor);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return realSleep(ms / this.factor, signal);
  }

  startTimer(ms: number, fire: () => void): () => void {
    const handle = setTimeout(fire, ms / this.factor);
    handle.unref();
    return () => clearTimeout(handle);
  }

  /** Real milliseconds for `ms` of this time. */
  real(ms: number): number {
    return ms / this.factor;
  }
}

/** Time `factor` times faster than the wall clock, from an origin every process shares (Date.now, not a per-process timer). */
export class SharedScaledTimers extends ScaledTimers {
  constructor(
    private readonly originMs: number,
    factor: number,
  ) {
    super(factor);
  }

  override now(): number {
    return this.originMs + Math.round((Date.now() - this.originMs) * this.factor);
  }
}
