/**
 * Team mode, assembled: one link to the team's Redis (`aurelis.team.redisUrl`, its password
 * from secret storage or the CLI's AURELIS_REDIS_URL) and the three things it shares — each
 * model's pacing windows, the team budgets and a cache level. The composition root hands the
 * orchestrator `sharedPacer`, the response cache `sharedCache`, and wraps its budget gate with
 * `budgetGate`; with no Redis URL set, all of them do the local thing.
 *
 * Settings are read live: a changed URL or team name reconnects; `reconnect()` does it after
 * the password changed.
 */
import { AurelisError } from '../errors';
import type { Clock, Logger } from '../host';
import type { BudgetGate, ModelTarget, PriceBook } from '../pipeline';
import { readCa } from '../providers/network';
import type { Pacer } from '../resilience/modelPacer';
import type { Timers } from '../resilience/timers';
import type { SecurityEventSink } from '../audit/auditEvents';
import type { Settings } from '../settings';
import { SharedAnswerCache, type TeamCacheCleared } from './sharedCache';
import { SharedWindows, TeamPacer } from './sharedPacing';
import { TeamBudgetGate } from './teamBudget';
import { describeServer } from './redisAddress';
import type { RunOptions, TeamChannel, TeamClient, TeamLink, TeamNotice } from './teamLink';

export interface TeamModeOptions {
  settings: () => Settings;
  /** The Redis password (secret storage in the editor, the URL's in the CLI); never logged. */
  password: () => Promise<string | undefined>;
  logger: Logger;
  /** Told once when Redis goes away (with the reason) and once when it is back. */
  onNotice: (notice: TeamNotice) => void;
  /** Test seams: how slow an operation may be, and how long to stay local after a failure. */
  operationTimeoutMs?: number;
  retryAfterMs?: number;
  /** Benchmarks only: pacing windows on this clock instead of Redis's (scaled time). */
  windowClock?: Clock;
}

export class TeamMode implements TeamChannel {
  private link: TeamLink | undefined;
  private linkFor: string | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly windows: SharedWindows;
  readonly sharedCache: SharedAnswerCache;

  constructor(private readonly options: TeamModeOptions) {
    this.windows = new SharedWindows(this, () => options.settings().team.name, () => options.settings().requestTimeoutSeconds * 1000 + 60_000, options.windowClock);
    this.sharedCache = new SharedAnswerCache(this, options.settings);
    this.refresh();
  }

  /** Team mode is configured (whether or not Redis answers right now). */
  get enabled(): boolean {
    return this.options.settings().team.redisUrl !== '';
  }

  get shared(): boolean {
    this.refresh();
    return this.link?.shared ?? false;
  }

  async run<T>(what: string, op: (client: TeamClient) => Promise<T>, options?: RunOptions): Promise<T | undefined> {
    this.refresh();
    return this.link ? this.link.run(what, op, options) : undefined;
  }

  /** The orchestrator's `sharedPacer`: team-wide windows while Redis answers, the local pacer otherwise. */
  readonly sharedPacer = (target: ModelTarget, local: Pacer, timers: Timers): Pacer => new TeamPacer(target, this.windows, local, timers, () => this.options.settings().team.name);

  /** The personal gate wrapped with the team budgets (also a usage recorder: add it to the recorders). */
  budgetGate(local: BudgetGate, prices: PriceBook, events?: SecurityEventSink): TeamBudgetGate {
    return new TeamBudgetGate({ local, link: this, settings: this.options.settings, prices, logger: this.options.logger, ...(events ? { events } : {}) });
  }

  /** The team and where its Redis is (host and port only), for messages; refused when team mode is off. */
  describe(): { name: string; where: string } {
    const team = this.options.settings().team;
    if (team.redisUrl === '') {
      throw new AurelisError('config', "Team mode is off (aurelis.team.redisUrl is not set), so there is no team cache to clear. Clear Cache empties this machine's cache.", { nextSteps: ['openSettings'] });
    }
    return { name: team.name, where: describeServer(team.redisUrl) };
  }

  /**
   * Clear Team Cache: empties the team's answers in Redis (every member's; each machine's own
   * cache stays). Refused when team mode is off; throws when Redis does not answer.
   */
  async clearCache(onProgress?: (removed: number, left: number) => void, signal?: AbortSignal): Promise<TeamCacheCleared> {
    const { where } = this.describe();
    await this.ready();
    return this.sharedCache.clear(where, onProgress, signal);
  }

  /** Connects again with the current settings and password (after Set Team Redis Password). */
  async reconnect(): Promise<void> {
    await this.closeLink();
    this.linkFor = undefined;
    this.refresh();
    await this.connecting;
  }

  /** Resolves once the first connection attempt has succeeded (true) or failed (false). */
  async ready(): Promise<boolean> {
    this.refresh();
    await this.connecting;
    return this.link ? this.link.firstAttempt : false;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    await this.closeLink();
  }

  /** Opens (or replaces) the link when the URL (or the CA file it trusts) differs from the one it was opened for. */
  private refresh(): void {
    const settings = this.options.settings();
    const url = settings.team.redisUrl;
    const caFile = url.startsWith('rediss:') ? settings.network.caFile : undefined;
    const linkFor = `${url}\n${caFile ?? ''}`;
    if (this.closed || linkFor === this.linkFor || this.connecting) return;
    this.linkFor = linkFor;
    const previous = this.link;
    this.link = undefined;
    this.connecting = (async () => {
      await previous?.close();
      if (url === '') return;
      const ca = this.trustedCa(url, caFile);
      if (ca === false) return;
      const password = await this.options.password().catch(() => undefined);
      // The Redis client (~0.5 MB of code) loads only for a team that is set up.
      const { TeamLink } = await import('./teamLink');
      // Settings may have changed while the password was read; the next refresh catches up.
      this.link = new TeamLink({
        url,
        ...(password ? { password } : {}),
        ...(ca === undefined ? {} : { ca }),
        logger: this.options.logger,
        onNotice: this.options.onNotice,
        ...(this.options.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: this.options.operationTimeoutMs }),
        ...(this.options.retryAfterMs === undefined ? {} : { retryAfterMs: this.options.retryAfterMs }),
      });
    })().finally(() => {
      this.connecting = undefined;
    });
  }

  /**
   * The CA a `rediss://` connection trusts besides the system's; `false` when aurelis.network.caFile
   * is unusable (said once; team mode stays local until the setting changes or Reconnect).
   */
  private trustedCa(url: string, caFile: string | undefined): string | undefined | false {
    if (caFile === undefined) return undefined;
    try {
      return readCa(caFile);
    } catch (err) {
      const message = `Team mode: cannot connect to Redis at ${describeServer(url)}: ${err instanceof Error ? err.message : String(err)} Rate limits, team budgets and the cache are local until it is fixed; work goes on.`;
      this.options.logger.warn(message);
      this.options.onNotice({ kind: 'team_down', message });
      return false;
    }
  }

  private async closeLink(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    await link?.close();
  }
}
