/**
 * The one provider implementation: the OpenAI chat-completions protocol through the official
 * `openai` SDK, for every preset. The SDK's own retries are off (`maxRetries: 0`) because retries,
 * pacing and fallback are the orchestrator's; each call is an Attempt (attempt.ts) with its own
 * AbortController that the user's signal and our timeout both abort, so we can tell a cancel from a timeout.
 */
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';
import { AurelisError } from '../errors';
import type { HeaderSource } from '../resilience/backoff';
import { cancelledError, type Timers } from '../resilience/timers';
import { Attempt, Watchdog } from './attempt';
import type { FinishReason } from '../types';
import { finishReasonOf, readChunk, readCompletion, usageOf, type ReportedUsage } from './chatSchemas';
import type { Connection } from './connection';
import { PROVIDER_PRESETS } from './presets';
import { RefusedParameters, type OptionalField } from './refusedParameters';
import { requestBody, type BodyInput, type RequestBody } from './requestBody';
import { NetworkFetch, type NetworkOptions } from './network';
import { providerFetch, streamSaidDone } from './transport';
import { contentFilterMessage, ProviderFailure, unreadable, type FailureContext } from './providerErrors';

/** What to ask (requestBody.ts shapes it for the model and provider), where, and how to wait. */
export interface ChatCall extends BodyInput {
  connection: Connection;
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
  /** Whole request when not streamed; time to the first chunk and between chunks when streamed. */
  timeoutMs: number;
}

export interface ChatAnswer {
  content: string;
  finishReason: FinishReason;
  /** Undefined when the provider reported none. */
  usage?: ReportedUsage;
  ttftMs?: number;
  /** The response's headers (announced rate limits, a gateway's cost). */
  headers?: HeaderSource;
}

/** Enough clients for every provider of a cross-provider chain; they hold no connections of their own. */
const MAX_CLIENTS = 16;

export class ChatProvider {
  private readonly clients = new Map<string, OpenAI>();
  private readonly byConnection = new WeakMap<Connection, OpenAI>();
  /** Fields each model refused; later calls leave them out at once. */
  private readonly refused = new RefusedParameters();

  private readonly network = new NetworkFetch();
  /** Every attempt's timeout, on one timer. */
  private readonly watchdog: Watchdog;

  constructor(
    private readonly timers: Timers,
    /** Proxy and CA settings, read for every request. */
    private readonly networkOptions: () => NetworkOptions | undefined = () => undefined,
  ) {
    this.watchdog = new Watchdog(timers);
  }

  dispose(): void {
    this.network.dispose();
    this.watchdog.dispose();
  }

  /**
   * One attempt. Throws ProviderFailure. A server that refuses an optional field of the request
   * (`temperature` on a reasoning model, `response_format` on many open-weight models,
   * `max_completion_tokens` on Mistral) is asked again once without it, and the model's
   * later requests leave it out: the prompt still says what it wants, and the caller reads the
   * answer tolerantly.
   */
  async complete(call: ChatCall): Promise<ChatAnswer> {
    const key = `${call.connection.provider}:${call.model}`;
    const preset = PROVIDER_PRESETS[call.connection.provider];
    const dropped = new Set<OptionalField>();
    for (;;) {
      const body = requestBody(call, preset, this.refused.of(key));
      try {
        return await this.once(call, body);
      } catch (err) {
        const field = err instanceof ProviderFailure ? err.refusedField : undefined;
        if (field === undefined || dropped.has(field) || !(field in body)) throw err;
        dropped.add(field);
        this.refused.remember(key, field);
      }
    }
  }

  private async once(call: ChatCall, body: RequestBody): Promise<ChatAnswer> {
    const attempt = new Attempt(this.watchdog, call.signal, call.timeoutMs);
    const ctx: FailureContext = { connection: call.connection, model: call.model, now: this.timers.now() };
    const client = this.client(call.connection);
    try {
      return call.stream ? await this.streamed(client, call, body, attempt, ctx) : await this.plain(client, body, attempt, ctx);
    } catch (err) {
      const failure = attempt.explain(err, ctx);
      if (err instanceof APIError && err.headers && !failure.headers) failure.headers = err.headers;
      throw failure;
    } finally {
      attempt.finish();
    }
  }

  /** GET a JSON document with the provider's auth and headers (the model catalog). */
  async getJson(connection: Connection, url: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<unknown> {
    const attempt = new Attempt(this.watchdog, signal, timeoutMs);
    const ctx: FailureContext = { connection, model: 'the model catalog', now: this.timers.now() };
    try {
      return await this.client(connection).get<unknown>(url, { signal: attempt.signal });
    } catch (err) {
      throw attempt.explain(err, ctx);
    } finally {
      attempt.finish();
    }
  }

  private async plain(client: OpenAI, body: RequestBody, attempt: Attempt, ctx: FailureContext): Promise<ChatAnswer> {
    const { data: raw, response } = await client.chat.completions.create({ ...(body as unknown as ChatCompletionCreateParamsBase), stream: false }, { signal: attempt.signal }).withResponse();
    const parsed = readCompletion(raw);
    if (!parsed) throw unreadable(ctx, 'it had no choices with a message');
    const choice = parsed.choices[0] as (typeof parsed.choices)[number];
    const content = choice.message.content ?? '';
    const finishReason = finishReasonOf(choice.finish_reason);
    if (finishReason === 'content_filter' && content === '') throw filtered(ctx);
    const answer: ChatAnswer = { content, finishReason, headers: response.headers };
    const usage = usageOf(parsed.usage);
    if (usage) answer.usage = usage;
    return answer;
  }

  private async streamed(client: OpenAI, call: ChatCall, body: RequestBody, attempt: Attempt, ctx: FailureContext): Promise<ChatAnswer> {
    const started = this.timers.now();
    const { data: stream, response } = await client.chat.completions.create({ ...(body as unknown as ChatCompletionCreateParamsBase), stream: true }, { signal: attempt.signal }).withResponse();
    let content = '';
    let finishReason: FinishReason | undefined;
    let usage: ReportedUsage | undefined;
    let ttftMs: number | undefined;
    let failure: unknown;
    try {
      for await (const raw of stream) {
        attempt.heartbeat();
        const chunk = readChunk(raw);
        if (!chunk) throw unreadable(ctx, 'a streamed chunk had an unexpected shape');
        usage = usageOf(chunk.usage) ?? usage;
        for (const choice of chunk.choices ?? []) {
          const delta = choice.delta?.content;
          if (delta) {
            ttftMs ??= this.timers.now() - started;
            content += delta;
            call.onDelta?.(delta);
          }
          if (choice.finish_reason) finishReason = finishReasonOf(choice.finish_reason);
        }
      }
    } catch (err) {
      failure = err;
    }
    // The SDK ends the iteration quietly when its signal aborts, so a cancel or a timeout shows
    // up here as a stream that simply stopped: ask the attempt what happened.
    if (attempt.userCancelled) throw new ProviderFailure(withPartial(cancelledError(), content), false, false);
    // A server that ends with `data: [DONE]` but never sends a finish reason (several
    // OpenAI-compatible servers) finished the answer: that is what [DONE] says.
    if (failure === undefined && !attempt.timedOut && finishReason === undefined && streamSaidDone(response)) finishReason = 'stop';
    if (content !== '' && (failure !== undefined || attempt.timedOut || finishReason === undefined)) {
      throw brokenStream(ctx, content, attempt.timedOut ? `no data for ${Math.round(call.timeoutMs / 1000)} s` : failure !== undefined ? 'the connection broke' : 'the stream ended without finishing');
    }
    if (failure !== undefined) throw failure;
    if (attempt.timedOut) throw attempt.explain(undefined, ctx);
    if (finishReason === 'content_filter' && content === '') throw filtered(ctx);
    if (finishReason === undefined) throw unreadable(ctx, 'the stream ended before the answer began');
    const answer: ChatAnswer = { content, finishReason, headers: response.headers };
    if (usage) answer.usage = usage;
    if (ttftMs !== undefined) answer.ttftMs = ttftMs;
    return answer;
  }

  private client(connection: Connection): OpenAI {
    // Connections are worked out once per settings and key (connection.ts): the same one finds its client at once.
    const known = this.byConnection.get(connection);
    if (known) return known;
    const key = JSON.stringify([connection.baseUrl, connection.apiKey ?? '', connection.headers, connection.query ?? {}]);
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.clear();
      client = new OpenAI({
        baseURL: connection.baseUrl,
        // The SDK insists on a key; keyless local servers get a placeholder and no Authorization header.
        apiKey: connection.apiKey ?? 'no-key',
        defaultHeaders: connection.apiKey === undefined ? { ...connection.headers, Authorization: null } : connection.headers,
        // Never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment and send them elsewhere.
        organization: null,
        project: null,
        ...(connection.query ? { defaultQuery: connection.query } : {}),
        maxRetries: 0,
        // Resolved per request, so a changed proxy or CA setting applies to the next one.
        fetch: providerFetch((input, init) => this.network.fetchFor(this.networkOptions())(input, init)),
        // Our own timeout aborts the call; the SDK's would only cover the response headers.
        timeout: 24 * 60 * 60 * 1000,
        logLevel: 'off',
      });
      this.clients.set(key, client);
    }
    this.byConnection.set(connection, client);
    return client;
  }
}

function filtered(ctx: FailureContext): ProviderFailure {
  const error = new AurelisError('content_filtered', contentFilterMessage(ctx.connection.label, []), { provider: ctx.connection.provider, model: ctx.model });
  return new ProviderFailure(error, false, false);
}

/** Never retried: a retry would repeat text the user has already seen. */
function brokenStream(ctx: FailureContext, partialText: string, why: string): ProviderFailure {
  const error = new AurelisError(
    'stream_broken',
    `The answer from ${ctx.model} (${ctx.connection.label}) broke off after ${partialText.length} characters: ${why}. The partial answer is kept; retry for a complete one.`,
    { provider: ctx.connection.provider, model: ctx.model, partialText },
  );
  return new ProviderFailure(error, false, true);
}

function withPartial(error: AurelisError, partialText: string): AurelisError {
  if (partialText === '') return error;
  return new AurelisError(error.kind, error.message, { nextSteps: error.nextSteps, partialText });
}
