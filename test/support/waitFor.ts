/**
 * The one way tests wait for something that happens on its own time (a log line reaching its file,
 * an editor becoming active, a panel drawing its rows): poll for the state, never sleep a fixed time.
 * Plain Node, so unit, host (extension host) and UI (Playwright driver) tests all use it.
 * A wait that times out says what it waited for and the last state it saw.
 */

/** Generous: one workbench round trip can take seconds on a loaded 2-core machine. */
export const DEFAULT_WAIT_MS = 20_000;

export interface WaitOptions {
  /** How long to keep trying (default DEFAULT_WAIT_MS). */
  timeoutMs?: number;
  /** Pause between tries (default 100 ms). */
  intervalMs?: number;
  /** Describes the state for the failure message when `check` only says yes or no. */
  seen?: () => unknown;
}

type Answer<T> = T | undefined | null | false;

/** Thrown by a check when waiting longer is pointless (the server being waited for has exited): ends the wait at once. */
export class StopWaiting extends Error {}

/**
 * Resolves with the first value of `check` other than undefined, null or false. A check that
 * throws counts as "not yet" (so an assertion can be the check), and its message is the last state;
 * one that throws StopWaiting ends the wait with that error.
 */
export async function waitFor<T>(what: string, check: () => Answer<T> | Promise<Answer<T>>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: unknown;
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      last = options.seen ? options.seen() : value;
    } catch (e) {
      if (e instanceof StopWaiting) throw e;
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() >= deadline) throw new Error(`Timed out after ${seconds(timeoutMs)} waiting for ${what}; last seen: ${describeState(last)}`);
    await pause(options.intervalMs ?? 100);
  }
}

/** `promise`, or a rejection naming `what` when it has not settled within `timeoutMs` (a guard against hangs, not a speed test). */
export async function settles<T>(what: string, promise: Promise<T>, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${seconds(timeoutMs)} waiting for ${what}`)), timeoutMs);
    // A guard only: it must not keep a process alive after the test that set it has ended.
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A short, readable description of a state for a failure message. */
export function describeState(value: unknown): string {
  let text: string;
  // A multi-line text (an assertion's diff, a log) reads best as it is, on lines of its own.
  if (typeof value === 'string') text = value.includes('\n') ? `\n${value}` : JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 500 ? `${text.slice(0, 500)}… (${text.length} characters)` : text;
}
