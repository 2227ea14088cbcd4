/**
 * Saving an export of the analytics: the ledger's JSON, CSV and Prometheus text, or the panel's
 * self-contained HTML report. The user picks the file in the save dialog; a caller that already
 * knows where to write (another extension, an automation, a test) passes `target` instead.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { AurelisError } from '../../core/errors';
import type { PanelExportFormat } from '../../shared/analytics-protocol/messages';
import { buildHtmlReport } from '../../shared/analytics-view/htmlReport';
import type { AnalyticsFilter } from '../../shared/analyticsReport';
import type { AnalyticsSource } from './analyticsSource';
import { errorMessage } from '../../shared/errorMessage';

const FILE_TYPES: Record<PanelExportFormat, { extension: string; name: string }> = {
  json: { extension: 'json', name: 'JSON' },
  csv: { extension: 'csv', name: 'CSV' },
  html: { extension: 'html', name: 'HTML report' },
  prometheus: { extension: 'prom', name: 'Prometheus text' },
};

export interface ExportOutcome {
  /** Where the file was written; undefined when the user cancelled the dialog. */
  uri?: vscode.Uri;
  bytes: number;
}

/** The text of an export, built by the core. */
export async function exportContent(source: AnalyticsSource, format: PanelExportFormat, filter: AnalyticsFilter): Promise<string> {
  if (format === 'html') return buildHtmlReport(await source.report(filter));
  return source.exportText(format, filter);
}

function defaultUri(format: PanelExportFormat, now: Date): vscode.Uri {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  return vscode.Uri.joinPath(folder, `aurelis-usage-${day}.${FILE_TYPES[format].extension}`);
}

export async function exportAnalytics(source: AnalyticsSource, format: PanelExportFormat, filter: AnalyticsFilter, target?: vscode.Uri): Promise<ExportOutcome> {
  const type = FILE_TYPES[format];
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: `Export Aurelis usage as ${type.name}`,
      saveLabel: 'Export',
      defaultUri: defaultUri(format, new Date()),
      filters: { [type.name]: [type.extension] },
    }));
  if (!uri) return { bytes: 0 };
  const bytes = new TextEncoder().encode(await exportContent(source, format, filter));
  try {
    await vscode.workspace.fs.writeFile(uri, bytes);
  } catch (e) {
    const reason = errorMessage(e);
    throw new AurelisError('unavailable', `Could not write ${uri.fsPath || uri.toString()} (${reason}). Choose a folder you can write to and export again.`, { nextSteps: ['viewLog'], cause: e });
  }
  return { uri, bytes: bytes.length };
}
