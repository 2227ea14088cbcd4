import * as vscode from 'vscode';
import { PROVIDER_PRESETS, type ProviderGroup } from '../../core/providers/presets';
import { PROVIDER_IDS, type ProviderId } from '../../shared/providerIds';
import type { EditorParts } from '../editorParts';

interface ProviderItem extends vscode.QuickPickItem {
  provider?: ProviderId;
}

const GROUPS: Array<{ group: ProviderGroup; label: string }> = [
  { group: 'hosted', label: 'Hosted' },
  { group: 'gateway', label: 'Gateways' },
  { group: 'local', label: 'Local' },
];

/**
 * Aurelis: Select Provider — where requests go. Written to the user settings (the setting is
 * application-scoped). Afterwards, offers what the provider still needs: a key or an endpoint.
 */
export async function selectProvider(parts: EditorParts, chosen?: ProviderId): Promise<ProviderId | undefined> {
  const current = parts.settings.settings.provider;
  let provider = chosen && PROVIDER_IDS.includes(chosen) ? chosen : undefined;
  if (!provider) {
    // Grouped as people look for them: a hosted service, a gateway in front of several, or a server of their own.
    const items: ProviderItem[] = GROUPS.flatMap(({ group, label }) => [
      { label, kind: vscode.QuickPickItemKind.Separator },
      ...PROVIDER_IDS.filter((id) => PROVIDER_PRESETS[id].group === group).map((id) => ({
        provider: id,
        label: `${id === current ? '$(check) ' : ''}${PROVIDER_PRESETS[id].label}`,
        description: id === 'github-models' ? 'retired on 2026-07-30' : id === current ? 'current' : undefined,
        detail: PROVIDER_PRESETS[id].description,
      })),
    ]);
    const picked = await vscode.window.showQuickPick(items, { title: 'Aurelis: Select Provider', placeHolder: 'Where should Aurelis send requests?', matchOnDetail: true });
    provider = picked?.provider;
  }
  if (!provider) return undefined;
  await vscode.workspace.getConfiguration('aurelis').update('provider', provider, vscode.ConfigurationTarget.Global);
  parts.log.info(`Provider set to ${provider}.`);
  await offerWhatIsMissing(parts, provider);
  return provider;
}

/** Not awaited by the command: a notification may stay open long after the choice was made. */
async function offerWhatIsMissing(parts: EditorParts, provider: ProviderId): Promise<void> {
  const preset = PROVIDER_PRESETS[provider];
  const endpoint = vscode.workspace.getConfiguration('aurelis').inspect<string>(`endpoints.${provider}`)?.globalValue;
  if (!preset.baseUrl && !endpoint) {
    void vscode.window
      .showWarningMessage(`Aurelis now uses ${preset.label}, which needs its endpoint URL in aurelis.endpoints.${provider}.`, 'Open Settings')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', `aurelis.endpoints.${provider}`));
    return;
  }
  const hasKey = (await parts.keys.get(provider)) !== undefined || (provider === 'github-models' && !!process.env.GITHUB_TOKEN);
  if (preset.key === 'required' && !hasKey) {
    void vscode.window
      .showInformationMessage(`Aurelis now uses ${preset.label}. It needs ${preset.keyHint}.`, 'Set API Key')
      .then((choice) => choice && vscode.commands.executeCommand('aurelis.setApiKey', provider));
    return;
  }
  void vscode.window.showInformationMessage(`Aurelis now uses ${preset.label}.`);
}
