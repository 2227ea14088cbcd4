/**
 * The webview's end of the message channel: requests go out through PendingRequests (ids pair
 * the replies), and everything that comes in is validated against the protocol before anything
 * acts on it. Messages that fail validation are reported to the host's log and dropped.
 */
import { panelEvent, parseHostMessage, type HostEventMessage, type PanelEventMessage, type PanelEventName, type PanelEventPayload, type RequestMethod, type RequestParams, type RequestResult, type WebviewToHost } from '../../shared/analytics-protocol/messages';
import { PendingRequests } from '../../shared/analytics-protocol/requests';

/** The part of VS Code's webview API this panel uses. */
export interface WebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): WebviewApi<State>;

export function vscodeApi<State>(): WebviewApi<State> {
  return acquireVsCodeApi<State>();
}

export class HostChannel {
  private readonly pending: PendingRequests;

  constructor(
    private readonly api: WebviewApi<unknown>,
    private readonly onEvent: (event: HostEventMessage) => void,
  ) {
    this.pending = new PendingRequests((m) => this.send(m));
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
  }

  request<M extends RequestMethod>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    return this.pending.request(method, params);
  }

  notify<N extends PanelEventName>(name: N, payload: PanelEventPayload<N>): void {
    this.send(panelEvent(name, payload));
  }

  private send(message: WebviewToHost | PanelEventMessage): void {
    this.api.postMessage(message);
  }

  private receive(data: unknown): void {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) {
      this.notify('problem', { message: `Ignored a message from the extension: ${parsed.problem}` });
      return;
    }
    const message = parsed.message;
    if (message.kind === 'reply') {
      const outcome = this.pending.settle(message);
      if (outcome === 'unknown-id') this.notify('problem', { message: `Ignored a reply to request #${message.id}, which is not waiting.` });
      return;
    }
    this.onEvent(message);
  }
}
