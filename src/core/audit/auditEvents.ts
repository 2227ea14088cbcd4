/**
 * What the audit log holds, as zod schemas: one line per request and one per security event.
 * Security events arrive from the editor layer and the guard (`securityEvent`), so they are
 * validated where they enter; lines read back from disk are validated again (files are an
 * edge: a torn or hand-edited line is skipped, never trusted).
 */
import { z } from 'zod';
import { ProviderIdSchema, RecordedTaskSchema } from '../../shared/idSchemas';
import { UsageRecordSchema } from '../ledger/usageRecord';
import { SECRET_KINDS } from '../secrets/secretKinds';

export const AUDIT_FORMAT_VERSION = 1;

/** Free-form details any event may carry; redacted by field name and truncated like every other field. */
const Context = z.record(z.string(), z.unknown()).optional();

/** The kinds of secret an audit line may name (the scanner's own list: secretKinds.ts stays free of zod for the start-up path). */
export const SecretKindSchema = z.enum(SECRET_KINDS);

/** Where a secret was found — never the secret. */
export const FindingLocationSchema = z.object({
  kind: SecretKindSchema,
  /** Which part of the request: `prompt`, `systemPrompt`, `messages[2]`. */
  part: z.string().min(1).max(40),
  /** 1-based line and column within that part. */
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  length: z.number().int().positive(),
  /** The workspace-relative file and its line, when the part quotes a file the guard recognises. */
  file: z.string().max(500).optional(),
  fileLine: z.number().int().positive().optional(),
});
export type FindingLocation = z.infer<typeof FindingLocationSchema>;

export const SecretChoiceSchema = z.enum(['redacted', 'sent', 'cancelled', 'blocked']);

export const SecurityEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('key_set'), provider: ProviderIdSchema, context: Context }),
  z.object({ type: z.literal('key_cleared'), provider: ProviderIdSchema, context: Context }),
  z.object({
    type: z.literal('key_validated'),
    provider: ProviderIdSchema,
    result: z.enum(['valid', 'invalid', 'unreachable']),
    /** What the provider answered, scrubbed: a status and a short reason. */
    detail: z.string().max(500).optional(),
    context: Context,
  }),
  /** Which key a provider used: the stored one or `GITHUB_TOKEN` from the environment (never the value). */
  z.object({ type: z.literal('key_source'), provider: ProviderIdSchema, source: z.enum(['secret_storage', 'environment']), context: Context }),
  z.object({
    type: z.literal('secret_detected'),
    requestId: z.string().min(1).max(200),
    provider: z.optional(ProviderIdSchema),
    model: z.string().max(300).optional(),
    policy: z.enum(['ask', 'redact', 'block']),
    choice: SecretChoiceSchema,
    findings: z.array(FindingLocationSchema).min(1),
    context: Context,
  }),
  z.object({
    type: z.literal('budget_override'),
    requestId: z.string().max(200).optional(),
    task: z.optional(RecordedTaskSchema),
    /** Which limit the user chose to pass ("daily USD 5.00"). */
    limit: z.string().max(200),
    context: Context,
  }),
  z.object({
    type: z.literal('provider_change'),
    from: z.optional(ProviderIdSchema),
    to: ProviderIdSchema,
    context: Context,
  }),
  z.object({
    type: z.literal('restricted_mode_refusal'),
    /** The command id, e.g. `aurelis.review`. */
    command: z.string().min(1).max(200),
    reason: z.string().max(500),
    context: Context,
  }),
]);
export type SecurityEvent = z.infer<typeof SecurityEventSchema>;
export type SecurityEventType = SecurityEvent['type'];

const count = z.number().int().nonnegative();

/**
 * A request's line: its usage record (the one schema, ledger/usageRecord.ts), with the line's
 * `time` in place of the record's epoch `ts`.
 */
export const RequestLineSchema = z.object(UsageRecordSchema.shape).omit({ ts: true }).extend({ type: z.literal('request') });

/** Prompt or response text, written only with `aurelis.audit.includeContent`, always scanned and redacted. */
export const ContentLineSchema = z.object({
  type: z.literal('content'),
  requestId: z.string().min(1).max(200),
  direction: z.enum(['prompt', 'response']),
  text: z.string(),
  /** How many secrets were replaced by `[REDACTED:<kind>]` in `text`. */
  redactions: count,
  truncated: z.boolean(),
});

const Stamp = { v: z.literal(AUDIT_FORMAT_VERSION), time: z.iso.datetime() };

export const AuditLineSchema = z.discriminatedUnion('type', [
  RequestLineSchema.extend(Stamp),
  ContentLineSchema.extend(Stamp),
  ...SecurityEventSchema.options.map((o) => o.extend(Stamp)),
]);
export type AuditLine = z.infer<typeof AuditLineSchema>;

/** Where the guard reports what it found and what the user chose. */
export interface SecurityEventSink {
  securityEvent(event: SecurityEvent): Promise<void>;
}
