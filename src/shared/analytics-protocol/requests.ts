/**
 * Pairing replies with requests by id, for both ends of the panel's message channel.
 *
 * The webview keeps a PendingRequests: each request gets a fresh id and a promise that settles
 * when the reply with that id arrives, after its result has been validated against the method's
 * reply schema. The host answers with answerRequest, which turns a handler's value (or error)
 * into the one reply for that id.
 */
import {
  PANEL_REQUESTS,
  type ReplyMessage,
  type RequestMessage,
  type RequestMethod,
  type RequestParams,
  type RequestResult,
} from './messages';
import { errorMessage } from '../errorMessage';

interface Pending {
  method: RequestMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** What happened to a reply handed to PendingRequests.settle. */
export type SettleOutcome = 'resolved' | 'rejected' | 'unknown-id' | 'invalid-result';

export class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: RequestMessage) => void) {}

  /** Sends a request; resolves with its validated result, rejects with the host's error text. */
  request<M extends RequestMethod>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    const id = this.nextId++;
    return new Promise<RequestResult<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.post({ kind: 'request', id, method, params } as RequestMessage);
    });
  }

  /** Requests sent and not yet answered. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Settles the request a reply answers. A reply whose id is unknown (already answered, or never
   * asked) changes nothing; one whose result does not match the method's schema rejects.
   */
  settle(reply: ReplyMessage): SettleOutcome {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return 'unknown-id';
    this.pending.delete(reply.id);
    if (!reply.ok) {
      waiting.reject(new Error(reply.error));
      return 'rejected';
    }
    const checked = PANEL_REQUESTS[waiting.method].result.safeParse(reply.result);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      waiting.reject(new Error(`The reply to ${waiting.method} was malformed (${issue?.path.join('.') || 'result'}: ${issue?.message ?? 'invalid'}).`));
      return 'invalid-result';
    }
    waiting.resolve(checked.data);
    return 'resolved';
  }

  /** Rejects everything still waiting (the channel closed). */
  rejectAll(reason: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(new Error(reason));
  }
}

/** One handler per request method, each returning that method's result. */
export type RequestHandlers = { [M in RequestMethod]: (params: RequestParams<M>) => Promise<RequestResult<M>> };

/**
 * Runs the handler for a validated request and builds its reply. A handler that throws yields an
 * `ok: false` reply with its message, so the webview can show what went wrong. The result is
 * checked against the reply schema here too: a host bug then surfaces as a clear error on the
 * host instead of a confusing rejection in the webview.
 */
export async function answerRequest(request: RequestMessage, handlers: RequestHandlers): Promise<ReplyMessage> {
  try {
    const handler = handlers[request.method] as (params: unknown) => Promise<unknown>;
    const result = await handler(request.params);
    const checked = PANEL_REQUESTS[request.method].result.safeParse(result);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { kind: 'reply', id: request.id, ok: false, error: `Aurelis built an invalid ${request.method} reply (${issue?.path.join('.') || 'result'}: ${issue?.message ?? 'invalid'}).` };
    }
    return { kind: 'reply', id: request.id, ok: true, result: checked.data };
  } catch (e) {
    return { kind: 'reply', id: request.id, ok: false, error: errorMessage(e) };
  }
}
