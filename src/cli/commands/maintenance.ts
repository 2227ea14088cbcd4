/** `aurelis cache clear [--team]` and `aurelis logs [--since <when>]`. */
import { EXIT, CliError, type ExitCode } from '../exitCodes';
import type { Interrupt } from '../interrupt';
import type { Session } from '../session';
import { emit, say } from '../terminal';

/** This machine's cache, or with `--team` the team's answers in Redis (AURELIS_REDIS_URL). */
export async function cacheClear(session: Session, options: { team?: boolean }, interrupt: Interrupt): Promise<ExitCode> {
  if (options.team) {
    if (!session.core.team.enabled) throw new CliError("aurelis cache clear --team: team mode is off. Set AURELIS_REDIS_URL to the team's Redis (redis://host:port or rediss://host:port) and run again.");
    const { name, where } = session.core.team.describe();
    const cleared = await session.core.team.clearCache(undefined, interrupt.signal);
    say(`Removed ${answers(cleared.entries)} (${(cleared.bytes / 1_048_576).toFixed(1)} MB) from the cache of team "${name}" (Redis at ${where}).`);
    return EXIT.ok;
  }
  const cleared = await session.core.cache.clear();
  say(`Removed ${answers(cleared.entries)} (${(cleared.bytes / 1_048_576).toFixed(1)} MB).`);
  return EXIT.ok;
}

function answers(n: number): string {
  return `${n} cached ${n === 1 ? 'answer' : 'answers'}`;
}

/** Audit log lines (JSON Lines, oldest first) since a moment. */
export async function logs(session: Session, options: { since?: string; output?: string }): Promise<ExitCode> {
  const since = options.since === undefined ? undefined : parseSince(options.since, Date.now());
  const { lines, skipped } = await session.core.audit.read();
  const shown = lines.filter((l) => since === undefined || Date.parse(l.time) >= since);
  await emit(shown.map((l) => `${JSON.stringify(l)}\n`).join(''), options.output);
  if (shown.length === 0) say(lines.length === 0 ? 'aurelis: the audit log is empty.' : 'aurelis: no audit lines in that time.');
  if (skipped > 0) say(`aurelis: ${skipped} unreadable audit lines were skipped.`);
  return EXIT.ok;
}

/** `today`, `yesterday`, `30m`, `2h`, `7d`, or a date/time (`2026-11-30`, ISO 8601). */
export function parseSince(text: string, now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  if (text === 'today') return day.getTime();
  if (text === 'yesterday') return new Date(day.getFullYear(), day.getMonth(), day.getDate() - 1).getTime();
  const ago = /^(\d+)\s*(m|min|h|d|w)$/.exec(text);
  if (ago) {
    const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[ago[2] as 'm' | 'min' | 'h' | 'd' | 'w'];
    return now - Number(ago[1]) * unit;
  }
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) return new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])).getTime();
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new CliError(`--since "${text}": use today, yesterday, 30m, 2h, 7d, a date (2026-11-30) or an ISO time.`);
  return parsed;
}
