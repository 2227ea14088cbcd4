/**
 * The analytics commands. `aurelis.showAnalytics` opens the panel, optionally on a filter;
 * `aurelis.exportAnalytics` writes an export without the panel — from the palette it asks for the
 * format and the file, while a caller (a task, another extension, a test) can pass
 * `{ format, filter?, target? }` to skip the questions. Arguments are validated like any input.
 */
import * as vscode from 'vscode';
import { z } from 'zod';
import { AurelisError } from '../../core/errors';
import { PANEL_EXPORT_FORMATS, PanelExportFormatSchema, type PanelExportFormat } from '../../shared/analytics-protocol/messages';
import { AnalyticsFilterSchema, type AnalyticsFilter } from '../../shared/analyticsReport';
import type { EditorParts } from '../editorParts';
import { AnalyticsPanel, type AnalyticsPanelDeps } from './analyticsPanel';
import { exportAnalytics } from './exportAnalytics';

export function analyticsDeps(parts: EditorParts): AnalyticsPanelDeps {
  return { extensionUri: parts.context.extensionUri, source: () => parts.core().then((c) => c.analytics), log: parts.log };
}

/** A keybinding or another extension passed something else than the command takes. */
function invalidArgument(command: string, error: z.core.$ZodError): AurelisError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'argument';
  return new AurelisError(
    'config',
    `${command} was given an invalid ${where}: ${issue?.message ?? 'it does not match the expected shape'}. Run it from the Command Palette without arguments instead.`,
    { nextSteps: ['viewLog'] },
  );
}

/** Aurelis: Show Analytics — opens the panel (or brings it to the front), on `filter` when given. */
export function showAnalytics(parts: EditorParts, filter?: unknown): void {
  let chosen: AnalyticsFilter | undefined;
  if (filter !== undefined) {
    const parsed = AnalyticsFilterSchema.safeParse(filter);
    if (!parsed.success) throw invalidArgument('Show Analytics', parsed.error);
    chosen = parsed.data;
  }
  AnalyticsPanel.show(analyticsDeps(parts), chosen);
}

const ExportArgumentSchema = z.object({
  format: PanelExportFormatSchema,
  filter: z.optional(AnalyticsFilterSchema),
  /** A file path or a URI string; without it the save dialog asks. */
  target: z.string().min(1).optional(),
});

const FORMAT_PICKS: Record<PanelExportFormat, string> = {
  json: 'JSON — every usage record of the period, with the report',
  csv: 'CSV — every usage record of the period, one row each',
  html: 'HTML report — the panel’s figures and tables in one self-contained file',
  prometheus: 'Prometheus — totals in the text exposition format',
};

function targetUri(target: string): vscode.Uri {
  return /^[a-z][\w+.-]+:\/\//i.test(target) ? vscode.Uri.parse(target, true) : vscode.Uri.file(target);
}

/**
 * Aurelis: Export Usage — resolves to the written file's path and size, or undefined when the
 * user cancelled. The filter defaults to the one the open panel shows, else the last 30 days.
 */
export async function exportUsage(parts: EditorParts, arg?: unknown): Promise<{ path: string; bytes: number } | undefined> {
  let format: PanelExportFormat | undefined;
  let filter: AnalyticsFilter | undefined;
  let target: vscode.Uri | undefined;
  if (arg !== undefined) {
    const parsed = ExportArgumentSchema.safeParse(arg);
    if (!parsed.success) throw invalidArgument('Export Usage', parsed.error);
    format = parsed.data.format;
    filter = parsed.data.filter;
    target = parsed.data.target === undefined ? undefined : targetUri(parsed.data.target);
  } else {
    const picked = await vscode.window.showQuickPick(
      PANEL_EXPORT_FORMATS.map((f) => ({ label: FORMAT_PICKS[f].split(' — ')[0] ?? f, detail: FORMAT_PICKS[f].split(' — ')[1], format: f })),
      { title: 'Export Aurelis usage', placeHolder: 'Choose a format' },
    );
    if (!picked) return undefined;
    format = picked.format;
  }
  filter ??= AnalyticsPanel.open?.lastFilter ?? { period: { kind: 'last30Days' } };
  const source = (await parts.core()).analytics;
  const outcome = await exportAnalytics(source, format, filter, target);
  if (!outcome.uri) return undefined;
  const path = outcome.uri.fsPath || outcome.uri.toString();
  parts.log.info(`Analytics: exported ${format} (${outcome.bytes} bytes) to ${path}.`);
  if (arg === undefined) void vscode.window.showInformationMessage(`Aurelis: usage exported to ${path}.`);
  return { path, bytes: outcome.bytes };
}
