/**
 * A fake OpenAI-compatible server that really listens on 127.0.0.1 (an ephemeral port), for
 * unit tests, host tests inside VS Code and benchmarks. It speaks chat completions (JSON and
 * SSE with a usage chunk), GitHub's `/catalog/models`, OpenAI's `/models`, the `/inference`
 * and `/orgs/{org}/inference` paths, and fails the way real providers fail when told to.
 *
 *   const server = await FakeOpenAIServer.start();
 *   settings.endpoints['github-models'] = server.inferenceUrl;   // or server.v1Url for others
 *   server.script(githubErrors.rateLimited({ waitSeconds: 2 }), reply.text('hello'));
 *   … run the code under test …
 *   server.chatRequests[0].headers.authorization;
 *   await server.stop();
 *
 * No test framework inside: it is plain Node, so any runner can use it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { githubErrors } from './githubErrors';
import type { FakeReply, FakeUsage } from './replies';
import { settles } from '../support/waitFor';

export interface FakeClock {
  now(): number;
}

/** Limits the server enforces itself per model, answering with GitHub's exact 429s. */
export interface FakeRateLimits {
  requestsPerMinute?: number;
  requestsPerDay?: number;
  concurrent?: number;
}

export interface GitHubCatalogEntry {
  id: string;
  name: string;
  publisher: string;
  registry?: string;
  summary?: string;
  html_url?: string;
  version?: string;
  capabilities: string[];
  limits: { max_input_tokens: number; max_output_tokens: number };
  rate_limit_tier: string;
  supported_input_modalities?: string[];
  supported_output_modalities?: string[];
  tags?: string[];
}

/**
 * A limit kept the way OpenAI, Groq and Anthropic keep theirs: a bucket of `requests` that
 * refills continuously over `windowMs`, per model. `announce` says how the server tells its
 * state on every answer and refusal: OpenAI's `x-ratelimit-*-requests` headers, Anthropic's
 * `anthropic-ratelimit-requests-*`, or nothing at all (a 429 with no headers and no wait).
 */
export interface FakeBucketLimit {
  requests: number;
  windowMs: number;
  announce: 'openai' | 'anthropic' | 'none';
}

export interface FakeServerOptions {
  /** Time for rate-limit windows and `receivedAt` (default: Date.now). Share it with the code under test. */
  clock?: FakeClock;
  limits?: FakeRateLimits;
  bucket?: FakeBucketLimit;
  /** When set, requests without `Authorization: Bearer <apiKey>` get GitHub's 401. */
  apiKey?: string;
  /** When set, chat requests for other models get GitHub's 404 unknown_model (case-insensitive). */
  knownModels?: string[];
  /** What `/catalog/models` and `/models` list (default: a few GitHub Models entries). */
  catalog?: GitHubCatalogEntry[];
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
}

export type Endpoint = 'chat' | 'catalog' | 'models' | 'other';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/orgs/acme/inference/chat/completions`. */
  path: string;
  query: string;
  endpoint: Endpoint;
  /** Lower-case names, as Node delivers them. */
  headers: Record<string, string>;
  /** Parsed JSON body, when there was one. */
  body: unknown;
  model?: string;
  stream: boolean;
  /** `clock.now()` when the request arrived. */
  receivedAt: number;
  /** Status sent, once the headers went out. */
  status?: number;
  /** The client closed the connection before the answer was complete (cancel, timeout). */
  clientClosed: boolean;
  /** Settles when the exchange is over, however it ended. */
  done: Promise<void>;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export const DEFAULT_CATALOG: GitHubCatalogEntry[] = [
  entry('openai/gpt-4o', 'OpenAI GPT-4o', 'OpenAI', 131072, 16384, 'high'),
  entry('openai/gpt-4o-mini', 'OpenAI GPT-4o mini', 'OpenAI', 131072, 4096, 'low'),
  entry('openai/gpt-4.1', 'OpenAI GPT-4.1', 'OpenAI', 1048576, 32768, 'high'),
  entry('mistral-ai/codestral-2501', 'Codestral 25.01', 'Mistral AI', 256000, 4096, 'low'),
  entry('meta/llama-3.3-70b-instruct', 'Llama-3.3-70B-Instruct', 'Meta', 128000, 4096, 'high'),
  entry('cohere/cohere-command-r-08-2024', 'Cohere Command R 08-2024', 'Cohere', 131072, 4096, 'low'),
];

export class FakeOpenAIServer {
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** How many requests the server's own limits turned away with a 429. */
  rateLimited = 0;
  /** The most chat requests that were ever in flight at once. */
  maxConcurrent = 0;

  private readonly chatQueue: FakeReply[] = [];
  private readonly catalogQueue: FakeReply[] = [];
  private handler: FakeHandler | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Map<string, number>();
  private readonly arrivals = new Map<string, number[]>();
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly clock: FakeClock;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeServerOptions,
  ) {
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
    const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }) : createServer();
    const fake = new FakeOpenAIServer(server, options);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** `http://127.0.0.1:<port>` — serves every path below. */
  get baseUrl(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** GitHub Models' inference base (`…/inference`); the catalog is at `baseUrl/catalog/models`. */
  get inferenceUrl(): string {
    return `${this.baseUrl}/inference`;
  }

  /** An OpenAI-style base (`…/v1`) for the other presets. */
  get v1Url(): string {
    return `${this.baseUrl}/v1`;
  }

  /** Chat requests only, in arrival order. */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === 'chat');
  }

  /** Sockets currently open (a cancelled request's socket closes). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Queues replies for the next chat requests, one each, in order; then the handler or the default answer. */
  script(...replies: FakeReply[]): this {
    this.chatQueue.push(...replies);
    return this;
  }

  /** Queues replies for the next `/catalog/models` or `/models` requests. */
  scriptCatalog(...replies: FakeReply[]): this {
    this.catalogQueue.push(...replies);
    return this;
  }

  /** Answers chat requests the script does not cover. */
  handle(handler: FakeHandler | undefined): this {
    this.handler = handler;
    return this;
  }

  /** Changes the enforced limits (e.g. between phases of a test). */
  setLimits(limits: FakeRateLimits | undefined): this {
    this.options.limits = limits;
    return this;
  }

  /** Resolves once `count` chat requests have arrived in total. */
  waitForChatRequests(count: number, timeoutMs = 45_000): Promise<void> {
    if (this.chatRequests.length >= count) return Promise.resolve();
    const arrived = new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
    return settles(`the fake server to receive ${count} chat request(s)`, arrived, timeoutMs).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; it has received ${this.chatRequests.length}`);
    });
  }

  /** Forgets requests, scripts, handler and counters (limits and options stay). */
  reset(): void {
    this.requests.length = 0;
    this.chatQueue.length = 0;
    this.catalogQueue.length = 0;
    this.handler = undefined;
    this.arrivals.clear();
    this.buckets.clear();
    this.rateLimited = 0;
    this.maxConcurrent = 0;
  }

  /** Closes every connection (hung ones too) and stops listening. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  // ── request handling ───────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const endpoint = endpointOf(req.method ?? 'GET', url.pathname);
    const b = (typeof body === 'object' && body !== null ? body : {}) as { model?: unknown; stream?: unknown };
    let settle: () => void = () => undefined;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      endpoint,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body,
      stream: b.stream === true,
      receivedAt: this.clock.now(),
      clientClosed: false,
      done: new Promise<void>((resolve) => (settle = resolve)),
    };
    if (typeof b.model === 'string') recorded.model = b.model;
    this.requests.push(recorded);

    let brokenByUs = false;
    // The answer counts as over once it is handed to the network ('finish') or the connection
    // closes, whichever comes first; only a close before the answer was complete is the client's.
    res.on('finish', () => settle());
    res.on('close', () => {
      if (!res.writableFinished && !brokenByUs) recorded.clientClosed = true;
      settle();
    });
    const markBroken = (): void => {
      brokenByUs = true;
    };

    if (endpoint === 'chat') {
      this.notifyWaiters();
      await this.answerChat(recorded, res, markBroken);
    } else if (endpoint === 'catalog' || endpoint === 'models') {
      await this.answerCatalog(recorded, res, markBroken);
    } else {
      send(recorded, res, 404, { error: { code: 'not_found', message: `No route for ${recorded.method} ${recorded.path}` } });
    }
  }

  private async answerChat(rec: RecordedRequest, res: ServerResponse, markBroken: () => void): Promise<void> {
    const model = (rec.model ?? '').toLowerCase();
    if (!this.authorized(rec)) return this.play(rec, res, githubErrors.unauthorized(), markBroken);
    if (this.options.knownModels && !this.options.knownModels.some((m) => m.toLowerCase() === model)) {
      return this.play(rec, res, githubErrors.unknownModel(rec.model ?? ''), markBroken);
    }
    const limited = this.enforceLimits(model);
    if (limited) {
      this.rateLimited++;
      return this.play(rec, res, limited, markBroken);
    }
    const bucket = this.takeFromBucket(model);
    if (bucket?.refused) {
      this.rateLimited++;
      return this.play(rec, res, bucket.refused, markBroken);
    }
    this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
    const total = [...this.inFlight.values()].reduce((a, n) => a + n, 0);
    this.maxConcurrent = Math.max(this.maxConcurrent, total);
    void rec.done.then(() => this.inFlight.set(model, (this.inFlight.get(model) ?? 1) - 1));
    const next = this.chatQueue.shift() ?? (this.handler ? await this.handler(rec) : { type: 'answer' as const });
    await this.play(rec, res, next.type === 'answer' && bucket ? { ...next, headers: { ...bucket.headers, ...next.headers } } : next, markBroken);
  }

  private async answerCatalog(rec: RecordedRequest, res: ServerResponse, markBroken: () => void): Promise<void> {
    if (!this.authorized(rec)) return this.play(rec, res, githubErrors.unauthorized(), markBroken);
    const scripted = this.catalogQueue.shift();
    if (scripted) return this.play(rec, res, scripted, markBroken);
    const catalog = this.options.catalog ?? DEFAULT_CATALOG;
    if (rec.endpoint === 'catalog') return send(rec, res, 200, catalog);
    send(rec, res, 200, { object: 'list', data: catalog.map((m) => ({ id: m.id, object: 'model', created: 1_700_000_000, owned_by: m.publisher })) });
  }

  private authorized(rec: RecordedRequest): boolean {
    return this.options.apiKey === undefined || rec.headers['authorization'] === `Bearer ${this.options.apiKey}`;
  }

  private readonly buckets = new Map<string, { level: number; at: number }>();

  /** The bucket limit: the headers to announce, or the 429 to answer with. */
  private takeFromBucket(model: string): { headers: Record<string, string>; refused?: FakeReply } | undefined {
    const limit = this.options.bucket;
    if (!limit) return undefined;
    const now = this.clock.now();
    const perMs = limit.requests / limit.windowMs;
    const state = this.buckets.get(model) ?? { level: limit.requests, at: now };
    state.level = Math.min(limit.requests, state.level + (now - state.at) * perMs);
    state.at = now;
    this.buckets.set(model, state);
    const allowed = state.level >= 1;
    if (allowed) state.level -= 1;
    const remaining = Math.floor(state.level);
    const resetMs = Math.ceil((limit.requests - state.level) / perMs);
    const headers: Record<string, string> =
      limit.announce === 'openai'
        ? { 'x-ratelimit-limit-requests': String(limit.requests), 'x-ratelimit-remaining-requests': String(remaining), 'x-ratelimit-reset-requests': `${resetMs}ms` }
        : limit.announce === 'anthropic'
          ? { 'anthropic-ratelimit-requests-limit': String(limit.requests), 'anthropic-ratelimit-requests-remaining': String(remaining), 'anthropic-ratelimit-requests-reset': new Date(now + resetMs).toISOString() }
          : {};
    if (allowed) return { headers };
    const body = { error: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' } };
    return { headers, refused: { type: 'error', status: 429, body, headers } };
  }

  /** GitHub-style per-model limits: concurrency first, then the minute and day windows. */
  private enforceLimits(model: string): FakeReply | undefined {
    const limits = this.options.limits;
    if (!limits) return undefined;
    const now = this.clock.now();
    if (limits.concurrent !== undefined && (this.inFlight.get(model) ?? 0) >= limits.concurrent) {
      return githubErrors.rateLimited({ type: 'UserConcurrentRequests', limit: limits.concurrent, windowSeconds: 0, waitSeconds: 0 });
    }
    const times = (this.arrivals.get(model) ?? []).filter((t) => t > now - DAY_MS);
    this.arrivals.set(model, times);
    const check = (limit: number | undefined, windowMs: number, type: 'UserByModelByMinute' | 'UserByModelByDay'): FakeReply | undefined => {
      if (limit === undefined) return undefined;
      const inWindow = times.filter((t) => t > now - windowMs);
      if (inWindow.length < limit) return undefined;
      const waitSeconds = Math.max(1, Math.ceil(((inWindow[0] as number) + windowMs - now) / 1000));
      return githubErrors.rateLimited({ type, limit, windowSeconds: windowMs / 1000, waitSeconds });
    };
    const refused = check(limits.requestsPerMinute, MINUTE_MS, 'UserByModelByMinute') ?? check(limits.requestsPerDay, DAY_MS, 'UserByModelByDay');
    if (!refused) times.push(now);
    return refused;
  }

  private async play(rec: RecordedRequest, res: ServerResponse, r: FakeReply, markBroken: () => void): Promise<void> {
    switch (r.type) {
      case 'hang':
        return;
      case 'drop':
        markBroken();
        res.socket?.end();
        return;
      case 'error':
        await delay(r.delayMs);
        if (r.rawBody !== undefined) return sendRaw(rec, res, r.status, r.rawBody, 'text/plain', r.headers);
        return send(rec, res, r.status, r.body ?? {}, r.headers);
      case 'malformed':
        await delay(r.delayMs);
        if (rec.stream) {
          startStream(rec, res);
          res.end('data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":"Hel\n\n');
          return;
        }
        return sendRaw(rec, res, 200, '{"id":"chatcmpl-fake","choices":[{"message":', 'application/json');
      case 'broken-stream': {
        startStream(rec, res);
        res.write(sse(chunk(rec, { role: 'assistant', content: '' })));
        for (const [i, piece] of r.chunks.entries()) {
          if (i > 0) await delay(r.chunkDelayMs);
          await new Promise<void>((resolve) => res.write(sse(chunk(rec, { content: piece })), () => resolve()));
        }
        // Close the connection in the middle of the chunked body: the client gets every chunk
        // written so far (FIN, not a reset that could discard them) and then a broken body.
        markBroken();
        res.socket?.end();
        return;
      }
      case 'stream-error':
        startStream(rec, res);
        res.write(sse(chunk(rec, { role: 'assistant', content: '' })));
        for (const piece of r.chunks ?? []) res.write(sse(chunk(rec, { content: piece })));
        res.end(sse({ error: r.error }));
        return;
      case 'json':
        return send(rec, res, 200, r.body, r.headers);
      case 'answer':
        await r.until;
        await delay(r.delayMs);
        return rec.stream ? this.streamAnswer(rec, res, r) : this.jsonAnswer(rec, res, r);
    }
  }

  private jsonAnswer(rec: RecordedRequest, res: ServerResponse, r: Extract<FakeReply, { type: 'answer' }>): void {
    const content = r.content ?? defaultContent(rec);
    const finish = r.finishReason === undefined ? 'stop' : r.finishReason;
    const usage = r.usage === undefined ? usageFor(rec, content) : r.usage;
    send(
      rec,
      res,
      200,
      {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: Math.floor(this.clock.now() / 1000),
        model: rec.model ?? 'unknown',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        ...(usage === null ? {} : { usage }),
      },
      r.headers,
    );
  }

  private async streamAnswer(rec: RecordedRequest, res: ServerResponse, r: Extract<FakeReply, { type: 'answer' }>): Promise<void> {
    const content = r.content ?? defaultContent(rec);
    const pieces = r.chunks ?? content.split(/(?<= )/);
    const finish = r.finishReason === undefined ? 'stop' : r.finishReason;
    const wantsUsage = (rec.body as { stream_options?: { include_usage?: boolean } } | undefined)?.stream_options?.include_usage === true;
    const usage = r.usage === undefined ? usageFor(rec, pieces.join('')) : r.usage;
    startStream(rec, res, r.headers);
    // DeepSeek keeps a queued request's connection alive with blank lines and SSE comments.
    if (r.keepAlive) res.write('\n\n: keep-alive\n\n\n: keep-alive\n\n');
    res.write(sse(chunk(rec, { role: 'assistant', content: '' })));
    for (const [i, piece] of pieces.entries()) {
      if (i === r.hangAfterChunks) return;
      if (i > 0) await delay(r.chunkDelayMs);
      if (res.destroyed) return;
      res.write(sse(chunk(rec, { content: piece })));
    }
    if (finish !== null) res.write(sse(chunk(rec, {}, finish)));
    if (wantsUsage && usage !== null) res.write(sse({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', model: rec.model, choices: [], usage }));
    res.end((r.done ?? finish !== null) ? 'data: [DONE]\n\n' : undefined);
  }

  private notifyWaiters(): void {
    const n = this.chatRequests.length;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i] as (typeof this.waiters)[number];
      if (n >= w.count) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}

function entry(id: string, name: string, publisher: string, input: number, output: number, tier: string): GitHubCatalogEntry {
  return {
    id,
    name,
    publisher,
    registry: 'azure-openai',
    summary: `${name} (fake catalog entry)`,
    html_url: `https://github.com/marketplace/models/${id}`,
    version: '1',
    capabilities: ['streaming', 'tool-calling'],
    limits: { max_input_tokens: input, max_output_tokens: output },
    rate_limit_tier: tier,
    supported_input_modalities: ['text'],
    supported_output_modalities: ['text'],
    tags: [],
  };
}

function endpointOf(method: string, path: string): Endpoint {
  if (method === 'POST' && path.endsWith('/chat/completions')) return 'chat';
  if (method === 'GET' && path.endsWith('/catalog/models')) return 'catalog';
  if (method === 'GET' && path.endsWith('/models')) return 'models';
  return 'other';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function send(rec: RecordedRequest, res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  sendRaw(rec, res, status, JSON.stringify(json), 'application/json', headers);
}

function sendRaw(rec: RecordedRequest, res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  rec.status = status;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function startStream(rec: RecordedRequest, res: ServerResponse, headers: Record<string, string> = {}): void {
  rec.status = 200;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
}

function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

function chunk(rec: RecordedRequest, delta: Record<string, string>, finishReason: string | null = null): unknown {
  return { id: 'chatcmpl-fake', object: 'chat.completion.chunk', model: rec.model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

function defaultContent(rec: RecordedRequest): string {
  return `Answer from ${rec.model ?? 'the fake model'}.`;
}

/** A deterministic stand-in for server-side counting: about four characters per token. */
function usageFor(rec: RecordedRequest, content: string): FakeUsage {
  const messages = (rec.body as { messages?: Array<{ content?: unknown }> } | undefined)?.messages ?? [];
  const promptChars = messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);
  const prompt_tokens = Math.max(1, Math.ceil(promptChars / 4));
  const completion_tokens = Math.max(1, Math.ceil(content.length / 4));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function delay(ms: number | undefined): Promise<void> {
  return ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}


