import * as vscode from 'vscode';
import { isAurelisError } from '../core/errors';
import type { SecurityEvent } from '../core/audit/auditEvents';
import { PROVIDER_PRESETS } from '../core/providers/presets';
import { PROVIDER_IDS, type ProviderId } from '../shared/providerIds';
import type { EditorParts } from './editorParts';
import { recordSecurityEvent } from './securityEvents';
import { withCancel } from './progress';

/**
 * Aurelis: Set API Key — for the provider given (a button, a walkthrough link) or chosen in a
 * quick pick (the palette). The key is typed into a masked box, checked with the provider,
 * and kept in SecretStorage. A key the provider rejects is saved only if the user insists;
 * one that cannot be checked (provider unreachable) is saved with a warning.
 */
export async function setApiKey(parts: EditorParts, given?: ProviderId): Promise<boolean> {
  const provider = isProvider(given) ? given : await pickProvider(parts, 'Set API Key for…', PROVIDER_IDS.filter((p) => PROVIDER_PRESETS[p].key !== 'none'));
  if (!provider) return false;
  const preset = PROVIDER_PRESETS[provider];
  if (preset.key === 'none') {
    void vscode.window.showInformationMessage(`${preset.label} runs on this machine and needs no API key.`);
    return false;
  }
  const key = await vscode.window.showInputBox({
    title: `Aurelis: API key for ${preset.label}`,
    prompt: `Paste ${preset.keyHint}. It is kept in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length === 0 ? 'The key cannot be empty.' : v.trim() !== v ? 'Remove the spaces around the key.' : undefined),
  });
  if (key === undefined) return false;

  const core = await parts.core();
  let verdict: Awaited<ReturnType<typeof core.models.validateKey>>;
  try {
    verdict = await withCancel(`checking the key with ${preset.label}…`, (signal) => core.models.validateKey(provider, key, signal));
  } catch (e) {
    if (isAurelisError(e) && e.kind === 'cancelled') return false;
    throw e;
  }
  const rejected = !verdict.ok && (verdict.error.kind === 'auth' || verdict.error.kind === 'retired');
  await audit(parts, {
    type: 'key_validated',
    provider,
    result: verdict.ok ? 'valid' : rejected ? 'invalid' : 'unreachable',
    ...(verdict.ok ? { detail: `${verdict.models} models listed` } : { detail: verdict.error.message.slice(0, 500) }),
  });
  if (!verdict.ok && rejected) {
    parts.log.warn(`${preset.label} rejected the API key that was entered: ${verdict.error.message}`);
    const choice = await vscode.window.showWarningMessage(
      `${preset.label} rejected this API key.`,
      { modal: true, detail: `${verdict.error.message}\n\nThe key was not saved.` },
      'Save Anyway',
    );
    if (choice !== 'Save Anyway') return false;
  }
  await parts.keys.set(provider, key);
  parts.log.info(`API key for ${preset.label} saved to secret storage.`);
  await audit(parts, { type: 'key_set', provider, context: { checked: verdict.ok ? 'accepted' : rejected ? 'rejected, saved anyway' : 'could not be checked' } });
  if (verdict.ok) {
    parts.log.info(`${preset.label} accepted the key (${verdict.models} models available).`);
    void vscode.window.showInformationMessage(`Aurelis: API key for ${preset.label} saved. ${preset.label} accepted it (${verdict.models} models available).`);
  } else if (verdict.error.kind === 'auth' || verdict.error.kind === 'retired') {
    void vscode.window.showInformationMessage(`Aurelis: API key for ${preset.label} saved, although ${preset.label} rejected it.`);
  } else {
    parts.log.warn(`The key for ${preset.label} could not be checked: ${verdict.error.message}`);
    void vscode.window
      .showWarningMessage(`Aurelis: API key for ${preset.label} saved, but it could not be checked: ${verdict.error.message}`, 'View Log')
      .then((c) => c && vscode.commands.executeCommand('aurelis.showLog'));
  }
  return true;
}

/** Aurelis: Clear API Key — removes the given provider's key (after a confirmation), or one chosen among the stored keys. */
export async function clearApiKey(parts: EditorParts, given?: ProviderId): Promise<boolean> {
  let provider = isProvider(given) ? given : undefined;
  if (!provider) {
    const stored: ProviderId[] = [];
    for (const p of PROVIDER_IDS) if ((await parts.keys.get(p)) !== undefined) stored.push(p);
    if (stored.length === 0) {
      void vscode.window.showInformationMessage('Aurelis: no API key is stored.');
      return false;
    }
    provider = await pickProvider(parts, 'Clear the API key of…', stored);
    if (!provider) return false;
  }
  const label = PROVIDER_PRESETS[provider].label;
  if ((await parts.keys.get(provider)) === undefined) {
    void vscode.window.showInformationMessage(`Aurelis: no API key is stored for ${label}.`);
    return false;
  }
  // Any extension can run this command with a provider: the user confirms what they did not pick.
  if (given !== undefined) {
    const choice = await vscode.window.showWarningMessage(`Aurelis: remove the API key for ${label} from secret storage?`, { modal: true }, 'Remove');
    if (choice !== 'Remove') return false;
  }
  await parts.keys.delete(provider);
  parts.log.info(`API key for ${label} removed from secret storage.`);
  await audit(parts, { type: 'key_cleared', provider });
  void vscode.window.showInformationMessage(`Aurelis: API key for ${label} removed.`);
  return true;
}

async function pickProvider(parts: EditorParts, title: string, among: readonly ProviderId[]): Promise<ProviderId | undefined> {
  const active = parts.settings.settings.provider;
  const ordered = [...among].sort((a, b) => Number(b === active) - Number(a === active));
  const items = await Promise.all(
    ordered.map(async (p) => ({
      provider: p,
      label: PROVIDER_PRESETS[p].label,
      description: [p === active ? 'current provider' : '', (await parts.keys.get(p)) !== undefined ? 'key stored' : ''].filter(Boolean).join(' · '),
    })),
  );
  const picked = await vscode.window.showQuickPick(items, { title: `Aurelis: ${title}`, placeHolder: 'Choose the provider' });
  return picked?.provider;
}

function audit(parts: EditorParts, event: SecurityEvent): Promise<void> {
  return recordSecurityEvent(() => parts.core().then((c) => c.audit), parts.log, event);
}

function isProvider(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}
