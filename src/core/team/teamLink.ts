/**
 * The one connection a window (or a CLI run) keeps to the team's Redis, and the rule that
 * makes team mode safe to turn on: Redis never blocks work. Every operation goes through
 * `run`, which answers `undefined` instead of waiting or throwing when Redis is unreachable,
 * slow (over OPERATION_TIMEOUT_MS) or answers nonsense; the caller then does the local thing.
 * The first such failure of an outage is told once (with its reason); when Redis answers
 * again the link rejoins, and says that once too.
 */
import { rootCertificates } from 'node:tls';
import { createClient, type RedisClientType } from 'redis';
import { scrubSecrets } from '../errors';
import type { Clock, Logger } from '../host';
import { systemClock } from '../host';
import { describeServer } from './redisAddress';
import { errorMessage } from '../../shared/errorMessage';

/** Slower than this and a Redis operation counts as failed: waiting for Redis must not slow a request. */
export const OPERATION_TIMEOUT_MS = 50;
/** After a slow or failed operation, local for this long before Redis is asked again. */
export const RETRY_AFTER_MS = 2000;
/** Node's codes for a certificate chain it does not trust. */
const CERTIFICATE_CODES = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED']);
/** How long the first connection (and each reconnection) may take. */
const CONNECT_TIMEOUT_MS = 1000;

export type TeamLinkState = 'connecting' | 'shared' | 'local';

export interface TeamNotice {
  kind: 'team_down' | 'team_back';
  message: string;
}

export interface TeamLinkOptions {
  /** `redis://host:port` or `rediss://…` (TLS), without a password. */
  url: string;
  /** From secret storage (editor) or the URL in AURELIS_REDIS_URL (CLI). */
  password?: string;
  /** PEM of certificate authorities to trust besides the system's, for `rediss://` (aurelis.network.caFile). */
  ca?: string;
  logger: Logger;
  /** Hears each change between shared and local, once per change. */
  onNotice: (notice: TeamNotice) => void;
  clock?: Clock;
  operationTimeoutMs?: number;
  retryAfterMs?: number;
}

export type TeamClient = RedisClientType;

export interface RunOptions {
  /** Longer than the usual limit, for maintenance the user asked for. */
  timeoutMs?: number;
}

/** What the shared pacing, budgets and cache need of the link. */
export interface TeamChannel {
  /**
   * Runs one Redis operation; `undefined` means "do it locally" (Redis away, slow or wrong).
   * `timeoutMs`: for a command the user asked for (Clear Team Cache), not a request's way through.
   */
  run<T>(what: string, op: (client: TeamClient) => Promise<T>, options?: RunOptions): Promise<T | undefined>;
  /** Whether requests share the team's windows, budgets and cache right now. */
  readonly shared: boolean;
}

export class TeamLink implements TeamChannel {
  private readonly client: TeamClient;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private state: TeamLinkState = 'connecting';
  /** While local after a failed operation: when to ask Redis again. */
  private localUntil = 0;
  private closed = false;
  /** Where Redis is, for messages: host and port only (never the password or user). */
  readonly where: string;
  /** Resolves when the first connection attempt succeeded (true) or failed (false). */
  readonly firstAttempt: Promise<boolean>;
  private settleFirst: (ok: boolean) => void = () => undefined;

  constructor(private readonly options: TeamLinkOptions) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.operationTimeoutMs ?? OPERATION_TIMEOUT_MS;
    this.retryAfterMs = options.retryAfterMs ?? RETRY_AFTER_MS;
    this.where = describeServer(options.url);
    this.firstAttempt = new Promise((resolve) => {
      this.settleFirst = resolve;
    });
    this.client = createClient({
      url: options.url,
      ...(options.password ? { password: options.password } : {}),
      // A command while disconnected fails at once instead of queueing behind the reconnection.
      disableOfflineQueue: true,
      socket: {
        ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
        connectTimeout: CONNECT_TIMEOUT_MS,
        // Keep trying, at most every 2 s: rejoining when Redis is back needs no user action.
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
      },
    });
    // Without a listener, node-redis's connection errors would be thrown; they are a reason to go local.
    this.client.on('error', (err: unknown) => this.wentLocal(this.reasonOf(err)));
    this.client.on('ready', () => this.rejoined());
    this.client.connect().catch((err: unknown) => this.wentLocal(this.reasonOf(err)));
  }

  /** Whether requests share the team's windows, budgets and cache right now. */
  get shared(): boolean {
    return this.state === 'shared';
  }

  get status(): TeamLinkState {
    return this.state;
  }

  /**
   * Runs one Redis operation; `undefined` means "do it locally" (Redis away, slow or wrong).
   * `what` names the operation in the log.
   */
  async run<T>(what: string, op: (client: TeamClient) => Promise<T>, options: RunOptions = {}): Promise<T | undefined> {
    if (this.closed || !this.client.isReady) return undefined;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    if (this.state === 'local' && this.clock.now() < this.localUntil) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => {
      // Timers run before I/O in Node's event loop: after a stall (a busy machine), the timeout
      // would fire ahead of a reply that is already waiting. setImmediate lets that reply in first.
      timer = setTimeout(() => setImmediate(() => resolve('slow')), timeoutMs);
      timer.unref();
    });
    try {
      const attempt = op(this.client);
      // A late answer (or failure) after the timeout is dropped quietly.
      attempt.catch(() => undefined);
      const outcome = await Promise.race([attempt, slow]);
      if (outcome === 'slow') {
        this.wentLocal(`${what} took longer than ${timeoutMs} ms`);
        return undefined;
      }
      if (this.state !== 'shared') this.rejoined();
      return outcome;
    } catch (err) {
      this.wentLocal(`${what} failed: ${this.reasonOf(err)}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection; every later operation is local. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.client.isOpen) await this.client.close();
    } catch {
      this.client.destroy();
    }
  }

  /** Why Redis could not be used; a certificate the machine does not trust says how to trust it. */
  private reasonOf(err: unknown): string {
    const reason = reasonOf(err);
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
    if (!CERTIFICATE_CODES.has(code) && !/certificate/i.test(reason)) return reason;
    return `${reason}; if the server's certificate comes from your team's own certificate authority, point aurelis.network.caFile (or, for the command line, NODE_EXTRA_CA_CERTS) at that CA's PEM file`;
  }

  private wentLocal(reason: string): void {
    if (this.closed) return;
    this.localUntil = this.clock.now() + this.retryAfterMs;
    this.settleFirst(false);
    if (this.state === 'local') return;
    const first = this.state === 'connecting';
    this.state = 'local';
    const message = `Team mode: ${first ? 'cannot reach' : 'lost'} Redis at ${this.where} (${reason}). Rate limits, team budgets and the cache are local until it is back; work goes on.`;
    this.options.logger.warn(message);
    this.options.onNotice({ kind: 'team_down', message });
  }

  private rejoined(): void {
    this.settleFirst(true);
    if (this.closed || this.state === 'shared') return;
    const wasLocal = this.state === 'local';
    this.state = 'shared';
    this.localUntil = 0;
    const message = `Team mode: ${wasLocal ? 'Redis is back' : 'connected to Redis'} at ${this.where}; rate limits, team budgets and the cache are shared${wasLocal ? ' again' : ''}.`;
    this.options.logger.info(message);
    if (wasLocal) this.options.onNotice({ kind: 'team_back', message });
  }
}

function reasonOf(err: unknown): string {
  const text = errorMessage(err);
  return scrubSecrets(text).slice(0, 200);
}
