/**
 * Every message between the analytics panel's webview and the extension host, in one place.
 *
 * Three maps: requests the webview sends (each answered by exactly one reply carrying the
 * request's id), one-way events from the webview, and one-way events from the host. Each entry
 * names its payload's zod schema, and each request also its reply's. Both sides validate what
 * they receive against these schemas (parseWebviewMessage on the host, parseHostMessage and
 * PendingRequests in the webview): a webview is an edge like any other.
 *
 * Browser-safe: no `vscode`, no Node built-ins — the webview bundle imports this file too.
 */
import * as z from '../zodMini';
import { AnalyticsFilterSchema, AnalyticsReportSchema, CostPerDaySchema, EXPORT_FORMATS } from '../analyticsReport';
import { ProviderIdSchema, RecordedTaskSchema } from '../idSchemas';

/** The ledger's export formats plus the panel's self-contained HTML report. */
export const PANEL_EXPORT_FORMATS = [...EXPORT_FORMATS, 'html'] as const;
export const PanelExportFormatSchema = z.enum(PANEL_EXPORT_FORMATS);
export type PanelExportFormat = z.infer<typeof PanelExportFormatSchema>;

/**
 * What the filter drop-downs offer: everything that occurs in the chosen period, whatever the
 * other filters say (so choosing a model does not hide the other models from the list).
 */
export const FilterChoicesSchema = z.object({
  providers: z.array(ProviderIdSchema),
  models: z.array(z.object({ provider: ProviderIdSchema, model: z.string() })),
  tasks: z.array(RecordedTaskSchema),
});
export type FilterChoices = z.infer<typeof FilterChoicesSchema>;

const epochMs = z.number();

/** Requests from the webview: method → params and result. */
export const PANEL_REQUESTS = {
  /** The aggregated report for a filter; the host runs the ledger query, never sends rows. */
  getReport: {
    params: z.object({ filter: AnalyticsFilterSchema }),
    result: z.object({
      report: AnalyticsReportSchema,
      choices: FilterChoicesSchema,
      /**
       * Cost per day for the cost chart: the last 30 days with the same provider, model and task
       * filters (a "today" report alone would be a single bar), or the custom range itself.
       */
      costTrend: CostPerDaySchema,
    }),
  },
  /** Asks where to save (the save dialog) and writes the export there. */
  exportReport: {
    params: z.object({ filter: AnalyticsFilterSchema, format: PanelExportFormatSchema }),
    /** `fileName` is the base name written; absent when the user cancelled the dialog. */
    result: z.object({ saved: z.boolean(), fileName: z.optional(z.string()) }),
  },
} as const;

/** One-way messages from the webview. */
export const PANEL_EVENTS = {
  /** The script has loaded and listens; sent once per load (also after the panel was hidden). */
  ready: z.object({}),
  /**
   * The first report after a load has been painted. `at` is the wall clock when painting ended,
   * `sinceLoadMs` the time since the webview document started loading.
   */
  rendered: z.object({ at: epochMs, sinceLoadMs: z.number().check(z.nonnegative()), generatedAt: epochMs }),
  /** Something in the webview went wrong (a failed request, a blocked resource); the host logs it. */
  problem: z.object({ message: z.string().check(z.maxLength(2000)) }),
} as const;

/** One-way messages from the host. */
export const HOST_EVENTS = {
  /** New records reached the ledger: fetch the report again for the current filter. */
  ledgerChanged: z.object({}),
  /** Show this filter (the command was run with a filter, or a test drives the panel). */
  applyFilter: z.object({ filter: AnalyticsFilterSchema }),
} as const;

export type PanelRequests = typeof PANEL_REQUESTS;
export type RequestMethod = keyof PanelRequests;
export type RequestParams<M extends RequestMethod> = z.infer<PanelRequests[M]['params']>;
export type RequestResult<M extends RequestMethod> = z.infer<PanelRequests[M]['result']>;

export type PanelEventName = keyof typeof PANEL_EVENTS;
export type PanelEventPayload<N extends PanelEventName> = z.infer<(typeof PANEL_EVENTS)[N]>;
export type HostEventName = keyof typeof HOST_EVENTS;
export type HostEventPayload<N extends HostEventName> = z.infer<(typeof HOST_EVENTS)[N]>;

const REQUEST_METHODS = Object.keys(PANEL_REQUESTS) as [RequestMethod, ...RequestMethod[]];
const PANEL_EVENT_NAMES = Object.keys(PANEL_EVENTS) as [PanelEventName, ...PanelEventName[]];
const HOST_EVENT_NAMES = Object.keys(HOST_EVENTS) as [HostEventName, ...HostEventName[]];

const requestId = z.int().check(z.positive());

// ── Envelopes ──────────────────────────────────────────────────────────────────────────────

/** A request as it travels; `params` matches the method's schema. */
export type RequestMessage = { [M in RequestMethod]: { kind: 'request'; id: number; method: M; params: RequestParams<M> } }[RequestMethod];
export type PanelEventMessage = { [N in PanelEventName]: { kind: 'event'; name: N; payload: PanelEventPayload<N> } }[PanelEventName];
export type HostEventMessage = { [N in HostEventName]: { kind: 'event'; name: N; payload: HostEventPayload<N> } }[HostEventName];

/**
 * A reply. Its `result` is checked against the schema of the request with the same id, which only
 * the side that sent the request knows — so here it is still `unknown`.
 */
export type ReplyMessage = { kind: 'reply'; id: number; ok: true; result: unknown } | { kind: 'reply'; id: number; ok: false; error: string };

export type WebviewToHost = RequestMessage | PanelEventMessage;
export type HostToWebview = ReplyMessage | HostEventMessage;

const RequestEnvelope = z.object({ kind: z.literal('request'), id: requestId, method: z.enum(REQUEST_METHODS), params: z.unknown() });
const PanelEventEnvelope = z.object({ kind: z.literal('event'), name: z.enum(PANEL_EVENT_NAMES), payload: z.unknown() });
const HostEventEnvelope = z.object({ kind: z.literal('event'), name: z.enum(HOST_EVENT_NAMES), payload: z.unknown() });
const ReplyEnvelope = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('reply'), id: requestId, ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: requestId, ok: z.literal(false), error: z.string() }),
]);

export type Parsed<T> = { ok: true; message: T } | { ok: false; problem: string };

/** Validates a message that arrived from the webview (the host's edge). */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewToHost> {
  const request = RequestEnvelope.safeParse(raw);
  if (request.success) {
    const { id, method, params } = request.data;
    const checked = PANEL_REQUESTS[method].params.safeParse(params);
    if (!checked.success) return invalid(`request ${method} #${id}`, checked.error);
    return { ok: true, message: { kind: 'request', id, method, params: checked.data } as RequestMessage };
  }
  const event = PanelEventEnvelope.safeParse(raw);
  if (event.success) {
    const { name, payload } = event.data;
    const checked = PANEL_EVENTS[name].safeParse(payload);
    if (!checked.success) return invalid(`event ${name}`, checked.error);
    return { ok: true, message: { kind: 'event', name, payload: checked.data } as PanelEventMessage };
  }
  return { ok: false, problem: `not a panel message (${describe(raw)})` };
}

/** Validates a message that arrived from the host (the webview's edge). Reply results are checked by PendingRequests. */
export function parseHostMessage(raw: unknown): Parsed<HostToWebview> {
  const reply = ReplyEnvelope.safeParse(raw);
  if (reply.success) return { ok: true, message: reply.data };
  const event = HostEventEnvelope.safeParse(raw);
  if (event.success) {
    const { name, payload } = event.data;
    const checked = HOST_EVENTS[name].safeParse(payload);
    if (!checked.success) return invalid(`event ${name}`, checked.error);
    return { ok: true, message: { kind: 'event', name, payload: checked.data } as HostEventMessage };
  }
  return { ok: false, problem: `not a host message (${describe(raw)})` };
}

/** Builds a typed one-way message from the webview. */
export function panelEvent<N extends PanelEventName>(name: N, payload: PanelEventPayload<N>): PanelEventMessage {
  return { kind: 'event', name, payload } as PanelEventMessage;
}

/** Builds a typed one-way message from the host. */
export function hostEvent<N extends HostEventName>(name: N, payload: HostEventPayload<N>): HostEventMessage {
  return { kind: 'event', name, payload } as HostEventMessage;
}

function invalid(what: string, error: z.core.$ZodError): { ok: false; problem: string } {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return { ok: false, problem: `invalid ${what}: ${where}: ${issue?.message ?? 'does not match its schema'}` };
}

function describe(raw: unknown): string {
  if (raw === null || typeof raw !== 'object') return typeof raw;
  const { kind, name, method } = raw as { kind?: unknown; name?: unknown; method?: unknown };
  return [kind, name ?? method].filter((v) => typeof v === 'string').join(' ') || 'object';
}
