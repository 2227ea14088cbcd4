/**
 * The guard stage: scans everything about to leave the machine (prompt, system prompt, each
 * message) for secrets and applies `aurelis.security.secretScan`:
 * - `off`    — sends as is;
 * - `redact` — replaces each secret with `[REDACTED:<kind>]` and says so;
 * - `block`  — refuses the request (`secret_blocked`);
 * - `ask`    — asks the host (a modal in the editor): Send Redacted, Send Anyway or Cancel.
 * Every detection becomes one audit event naming the kinds and where they are, never the secret.
 */
import { AurelisError } from '../errors';
import type { GuardContext, PromptGuard } from '../pipeline';
import type { Settings } from '../settings';
import { quotedFileLine } from '../tasks/requests';
import type { TaskRequest } from '../types';
import type { FindingLocation, SecurityEventSink } from '../audit/auditEvents';
import { describeFindings } from './findingsText';
import { Redactions, redactInto } from './redactions';
import { SecretScanner, type SecretFinding } from './secretScanner';

/** What the user may answer when asked. */
export type SecretAnswer = 'redact' | 'send' | 'cancel';

export interface SecretQuestion {
  requestId: string;
  /** Where the request would go, for the question's wording. */
  provider: string;
  model: string;
  findings: readonly FindingLocation[];
}

export interface SecretGuardOptions {
  settings: () => Settings;
  /** Asks the user (policy `ask`); answering 'cancel' when there is nobody to ask is the safe default. */
  ask?: (question: SecretQuestion) => Promise<SecretAnswer>;
  events?: SecurityEventSink;
  scanner?: SecretScanner;
}

interface Part {
  name: string;
  text: string;
  findings: SecretFinding[];
}

export class SecretGuard implements PromptGuard {
  private readonly scanner: SecretScanner;

  constructor(private readonly options: SecretGuardOptions) {
    this.scanner = options.scanner ?? new SecretScanner();
  }

  async inspect(request: TaskRequest, context: GuardContext): Promise<TaskRequest> {
    const policy = this.options.settings().security.secretScan;
    if (policy === 'off') return request;
    const parts = this.scan(request);
    const locations = parts.flatMap(locationsOf);
    if (locations.length === 0) return request;

    const question: SecretQuestion = { requestId: context.requestId, provider: context.target.provider, model: context.target.model, findings: locations };
    const answer: SecretAnswer = policy === 'redact' ? 'redact' : policy === 'block' ? 'cancel' : this.options.ask ? await this.options.ask(question) : 'cancel';
    const choice = policy === 'block' ? 'blocked' : answer === 'redact' ? 'redacted' : answer === 'send' ? 'sent' : 'cancelled';
    await this.options.events?.securityEvent({
      type: 'secret_detected',
      requestId: context.requestId,
      provider: context.target.provider,
      model: context.target.model,
      policy,
      choice,
      findings: locations.slice(0, 100),
    });

    const summary = describeFindings(locations);
    if (policy === 'block') {
      throw new AurelisError('secret_blocked', `Nothing was sent: the code contains ${summary}, and aurelis.security.secretScan is "block". Remove the secret, or change the setting to "ask" or "redact".`, {
        nextSteps: ['openSettings'],
      });
    }
    if (answer === 'cancel') throw new AurelisError('cancelled', `Not sent: the code contains ${summary}.`);
    if (answer === 'send') return request;
    context.notify?.({ kind: 'secret_redacted', message: `Sent with ${summary} replaced by [REDACTED:…].` });
    const redactions = new Redactions();
    const redacted = redactParts(request, parts, redactions);
    context.onRedactions?.(redactions);
    return redacted;
  }

  private scan(request: TaskRequest): Part[] {
    const parts: Part[] = [];
    const add = (name: string, text: string | undefined) => {
      if (text) parts.push({ name, text, findings: this.scanner.scan(text) });
    };
    add('systemPrompt', request.systemPrompt);
    add('prompt', request.prompt);
    request.messages?.forEach((m, i) => add(`messages[${i}]`, m.content));
    return parts;
  }
}

function locationsOf(part: Part): FindingLocation[] {
  return part.findings.map((f) => {
    const quoted = quotedFileLine(part.text, f.line);
    return {
      kind: f.kind,
      part: part.name,
      line: f.line,
      column: f.column,
      length: f.length,
      ...(quoted ? { file: quoted.file, fileLine: quoted.line } : {}),
    };
  });
}

/** One `Redactions` for every part, so a value has the same placeholder wherever it appears. */
function redactParts(request: TaskRequest, parts: readonly Part[], redactions: Redactions): TaskRequest {
  const redacted = new Map(parts.map((p) => [p.name, redactInto(p.text, p.findings, redactions)]));
  return {
    ...request,
    ...(request.systemPrompt === undefined ? {} : { systemPrompt: redacted.get('systemPrompt') ?? request.systemPrompt }),
    ...(request.prompt === undefined ? {} : { prompt: redacted.get('prompt') ?? request.prompt }),
    ...(request.messages === undefined ? {} : { messages: request.messages.map((m, i) => ({ ...m, content: redacted.get(`messages[${i}]`) ?? m.content })) }),
  };
}
