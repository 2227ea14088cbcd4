import * as vscode from 'vscode';
import { PROVIDER_PRESETS } from '../core/providers/presets';
import { describeFindings } from '../core/secrets/findingsText';
import type { SecretAnswer, SecretQuestion } from '../core/secrets/secretGuard';
import { secretKindLabel } from '../core/secrets/secretKinds';
import { PROVIDER_IDS, type ProviderId } from '../shared/providerIds';

/** Longest list of places shown in the modal; the audit log keeps all of them. */
const LISTED = 12;

/**
 * `aurelis.security.secretScan: "ask"` — a modal naming each secret's kind and place (never the
 * secret) with Send Redacted / Send Anyway; closing it (Cancel, Escape) sends nothing.
 */
export async function askAboutSecrets(question: SecretQuestion): Promise<SecretAnswer> {
  const provider = (PROVIDER_IDS as readonly string[]).includes(question.provider) ? PROVIDER_PRESETS[question.provider as ProviderId].label : question.provider;
  const places = question.findings.slice(0, LISTED).map((f) => {
    const where = f.file !== undefined && f.fileLine !== undefined ? `${f.file}, line ${f.fileLine}` : `${f.part}, line ${f.line}`;
    return `• ${secretKindLabel(f.kind)} — ${where}`;
  });
  if (question.findings.length > LISTED) places.push(`• … and ${question.findings.length - LISTED} more`);
  const choice = await vscode.window.showWarningMessage(
    `Aurelis: the code about to be sent to ${provider} contains ${describeFindings(question.findings)}.`,
    {
      modal: true,
      detail: `${places.join('\n')}\n\n"Send Redacted" replaces each secret with [REDACTED:<kind>] first. "Send Anyway" sends the code as it is. Cancel sends nothing.\n\nTo stop being asked, set aurelis.security.secretScan to "redact" or "block".`,
    },
    'Send Redacted',
    'Send Anyway',
  );
  return choice === 'Send Redacted' ? 'redact' : choice === 'Send Anyway' ? 'send' : 'cancel';
}
