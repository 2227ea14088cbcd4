/**
 * The one provider implementation: the OpenAI chat-completions protocol through the official
 * `openai` SDK, for every preset. The SDK's own retries are off (`maxRetries: 0`) because retries,
 * pacing and fallback are the orchestrator's; each call gets its own AbortController that the
 * user's signal and our timeout both abort, so we can tell a cancel from a timeout.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions';
import { AurelisError } from '../errors';
import { cancelledError, type Timers } from '../resilience/timers';
import type { ChatMessage, FinishReason, ResponseFormat } from '../types';
import { ChunkSchema, CompletionSchema, finishReasonOf, usageOf, type ReportedUsage } from './chatSchemas';
import type { Connection } from './connection';
import { classifyFailure, contentFilterMessage, ProviderFailure, unreadable, type FailureContext } from './providerErrors';

export interface ChatCall {
  connection: Connection;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  responseFormat?: ResponseFormat;
  stream: boolean;
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
}

/** Enough clients for every provider of a cross-provider chain; they hold no connections of their own. */
const MAX_CLIENTS = 16;

function withoutResponseFormat(call: ChatCall): ChatCall {
  const { responseFormat: _dropped, ...rest } = call;
  return rest;
}

/** A 400 that names the response format: the model cannot do structured output, the request is otherwise fine. */
function refusesResponseFormat(failure: ProviderFailure): boolean {
  return failure.error.status === 400 && failure.error.kind === 'bad_request' && /response_format|json_schema|json_object|structured output|json mode/i.test(failure.error.message);
}

export class ChatProvider {
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly timers: Timers) {}

  /** Models that refused a structured response format; later calls ask them for plain text at once. */
  private readonly noResponseFormat = new Set<string>();

  /**
   * One attempt. Throws ProviderFailure. A model that refuses `response_format` (many
   * open-weight models on OpenAI-compatible servers do) is asked again once without it: the
   * prompt still asks for JSON, and the caller parses the answer tolerantly.
   */
  async complete(call: ChatCall): Promise<ChatAnswer> {
    const key = `${call.connection.provider}:${call.model}`;
    if (call.responseFormat && this.noResponseFormat.has(key)) return this.once(withoutResponseFormat(call));
    try {
      return await this.once(call);
    } catch (err) {
      if (!call.responseFormat || !(err instanceof ProviderFailure) || !refusesResponseFormat(err)) throw err;
      this.noResponseFormat.add(key);
      return this.once(withoutResponseFormat(call));
    }
  }

  private async once(call: ChatCall): Promise<ChatAnswer> {
    const attempt = new Attempt(this.timers, call.signal, call.timeoutMs);
    const ctx: FailureContext = { connection: call.connection, model: call.model, now: this.timers.now() };
    const client = this.client(call.connection);
    try {
      return call.stream ? await this.streamed(client, call, attempt, ctx) : await this.plain(client, call, attempt, ctx);
    } catch (err) {
      throw attempt.explain(err, ctx);
    } finally {
      attempt.finish();
    }
  }

  /** GET a JSON document with the provider's auth and headers (the model catalog). */
  async getJson(connection: Connection, url: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<unknown> {
    const attempt = new Attempt(this.timers, signal, timeoutMs);
    const ctx: FailureContext = { connection, model: 'the model catalog', now: this.timers.now() };
    try {
      return await this.client(connection).get<unknown>(url, { signal: attempt.signal });
    } catch (err) {
      throw attempt.explain(err, ctx);
    } finally {
      attempt.finish();
    }
  }

  private async plain(client: OpenAI, call: ChatCall, attempt: Attempt, ctx: FailureContext): Promise<ChatAnswer> {
    const raw: unknown = await client.chat.completions.create({ ...requestBody(call), stream: false }, { signal: attempt.signal });
    const parsed = CompletionSchema.safeParse(raw);
    if (!parsed.success) throw unreadable(ctx, 'it had no choices with a message');
    const choice = parsed.data.choices[0] as (typeof parsed.data.choices)[number];
    const content = choice.message.content ?? '';
    const finishReason = finishReasonOf(choice.finish_reason);
    if (finishReason === 'content_filter' && content === '') throw filtered(ctx);
    const answer: ChatAnswer = { content, finishReason };
    const usage = usageOf(parsed.data.usage);
    if (usage) answer.usage = usage;
    return answer;
  }

  private async streamed(client: OpenAI, call: ChatCall, attempt: Attempt, ctx: FailureContext): Promise<ChatAnswer> {
    const started = this.timers.now();
    const stream = await client.chat.completions.create(
      { ...requestBody(call), stream: true, stream_options: { include_usage: true } },
      { signal: attempt.signal },
    );
    let content = '';
    let finishReason: FinishReason | undefined;
    let usage: ReportedUsage | undefined;
    let ttftMs: number | undefined;
    let failure: unknown;
    try {
      for await (const raw of stream) {
        attempt.heartbeat();
        const chunk = ChunkSchema.safeParse(raw);
        if (!chunk.success) throw unreadable(ctx, 'a streamed chunk had an unexpected shape');
        usage = usageOf(chunk.data.usage) ?? usage;
        for (const choice of chunk.data.choices ?? []) {
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
    if (content !== '' && (failure !== undefined || attempt.timedOut || finishReason === undefined)) {
      throw brokenStream(ctx, content, attempt.timedOut ? `no data for ${Math.round(call.timeoutMs / 1000)} s` : failure !== undefined ? 'the connection broke' : 'the stream ended without finishing');
    }
    if (failure !== undefined) throw failure;
    if (attempt.timedOut) throw attempt.explain(undefined, ctx);
    if (finishReason === 'content_filter' && content === '') throw filtered(ctx);
    if (finishReason === undefined) throw unreadable(ctx, 'the stream ended before the answer began');
    const answer: ChatAnswer = { content, finishReason };
    if (usage) answer.usage = usage;
    if (ttftMs !== undefined) answer.ttftMs = ttftMs;
    return answer;
  }

  private client(connection: Connection): OpenAI {
    const key = JSON.stringify([connection.baseUrl, connection.apiKey ?? '', connection.headers]);
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
        maxRetries: 0,
        // Our own timeout aborts the call; the SDK's would only cover the response headers.
        timeout: 24 * 60 * 60 * 1000,
        logLevel: 'off',
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

function requestBody(call: ChatCall): ChatCompletionCreateParamsBase {
  const body: ChatCompletionCreateParamsBase = { model: call.model, messages: call.messages };
  if (call.temperature !== undefined) body.temperature = call.temperature;
  if (call.maxTokens !== undefined) {
    // OpenAI's newer models (and Azure's deployments of them) only accept max_completion_tokens;
    // the other OpenAI-compatible servers read max_tokens.
    if (call.connection.provider === 'openai' || call.connection.provider === 'azure-ai-foundry') body.max_completion_tokens = call.maxTokens;
    else body.max_tokens = call.maxTokens;
  }
  const format = call.responseFormat;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema') {
    body.response_format = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }) } };
  }
  return body;
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

/** One attempt's cancellation and timeout wiring. */
class Attempt {
  private readonly controller = new AbortController();
  private cancelTimer: () => void = () => undefined;
  timedOut = false;
  userCancelled = false;
  private readonly onUserAbort = (): void => {
    this.userCancelled = true;
    this.controller.abort();
  };

  constructor(
    private readonly timers: Timers,
    private readonly userSignal: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    if (userSignal?.aborted) this.onUserAbort();
    else userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
    this.heartbeat();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the timeout (a streamed chunk arrived). */
  heartbeat(): void {
    this.cancelTimer();
    this.cancelTimer = this.timers.startTimer(this.timeoutMs, () => {
      this.timedOut = true;
      this.controller.abort();
    });
  }

  finish(): void {
    this.cancelTimer();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }

  explain(err: unknown, ctx: FailureContext): ProviderFailure {
    if (err instanceof ProviderFailure) return err;
    if (this.userCancelled) return new ProviderFailure(cancelledError(), false, false);
    if (this.timedOut) {
      const seconds = Math.round(this.timeoutMs / 1000);
      const error = new AurelisError(
        'timeout',
        `${ctx.model} on ${ctx.connection.label} did not answer within ${seconds} s (aurelis.requestTimeoutSeconds). Try again, raise the timeout, or choose a faster model.`,
        { provider: ctx.connection.provider, model: ctx.model },
      );
      return new ProviderFailure(error, true, true);
    }
    return classifyFailure(err, ctx);
  }
}
