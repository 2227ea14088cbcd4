import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { UsageRecord } from '../../src/core/pipeline';
import type { AnalyticsFilter, AnalyticsReport } from '../../src/shared/analyticsReport';
import { decodeRecord, encodeRecord } from '../../src/core/ledger/recordLine';
import { ledgerFileName } from '../../src/core/ledger/monthFiles';
import type { AnalyticsPanelView } from '../../src/extension/analytics/analyticsPanel';
import { ledgerFiles, seedRecords } from '../support/analyticsSeed';
import { parseCsp, scriptTags } from '../support/csp';
import { EXTENSION_ID, aurelis, userDataDir } from './support/aurelis';
import { waitFor } from '../support/waitFor';

/** The extension's storage folder (`context.globalStorageUri`) inside the runner's user-data folder. */
function ledgerDir(): string {
  return path.join(userDataDir(), 'User', 'globalStorage', EXTENSION_ID, 'ledger');
}

/** Every record in the ledger's files right now — whatever other tests recorded too. */
function ledgerRecords(): UsageRecord[] {
  const dir = ledgerDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n'))
    .map((line) => decodeRecord(line))
    .filter((r): r is UsageRecord => r !== undefined);
}

function matching(report: AnalyticsReport): UsageRecord[] {
  const { range, filter } = report;
  return ledgerRecords().filter(
    (r) =>
      r.ts >= range.from &&
      r.ts < range.to &&
      (filter.provider === undefined || r.provider === filter.provider) &&
      (filter.model === undefined || r.model === filter.model) &&
      (filter.task === undefined || r.task === filter.task),
  );
}

/** Resolves with the next report the panel sends its webview that satisfies `accept`. */
function nextReport(panel: AnalyticsPanelView, accept: (r: AnalyticsReport) => boolean, what: string, timeoutMs = 15_000): Promise<AnalyticsReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`));
    }, timeoutMs);
    const sub = panel.onDidSendReport((r) => {
      if (!accept(r)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}

const sameFilter = (a: AnalyticsFilter | undefined, b: AnalyticsFilter) => JSON.stringify(a) === JSON.stringify(b);

describe('the analytics panel', function () {
  this.timeout(60_000);
  const seeded = seedRecords({ count: 2500, days: 40, now: Date.now() - 60_000, seed: 7 });
  let panel: AnalyticsPanelView;

  before(async () => {
    const api = await aurelis();
    mkdirSync(ledgerDir(), { recursive: true });
    // Appended like another VS Code window would: the ledger tails its files and picks them up.
    for (const [name, text] of ledgerFiles(seeded)) appendFileSync(path.join(ledgerDir(), name), text);
    await vscode.commands.executeCommand('aurelis.showAnalytics');
    panel = await waitFor('the analytics panel to open', () => api.analyticsPanel());
    if (!panel.lastReport) await nextReport(panel, () => true, 'the first report');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens with the figures of the seeded ledger (last 30 days)', async () => {
    const report = panel.lastReport;
    assert.ok(report);
    assert.deepEqual(report.filter, { period: { kind: 'last30Days' } });
    const expected = matching(report);
    assert.ok(expected.length > 1500, `only ${expected.length} seeded records in the period`);
    assert.equal(report.totals.requests, expected.length);
    assert.equal(report.totals.errors, expected.filter((r) => r.outcome !== 'ok').length);
    assert.equal(report.totals.cacheHits, expected.filter((r) => r.cacheHit).length);
    const cost = expected.filter((r) => !r.cacheHit && r.costUsd !== null).reduce((s, r) => s + (r.costUsd ?? 0), 0);
    assert.ok(Math.abs(report.totals.costUsd - cost) < 1e-6, `cost ${report.totals.costUsd} vs ${cost}`);
    assert.ok(report.byModel.some((m) => m.model === 'team-gateway-model' && m.totals.unpricedRequests > 0));
    assert.equal(report.costPerDay.days.length, 30);
    assert.equal(report.latencyHistogram.counts.reduce((a, b) => a + b, 0), report.latency.samples);
  });

  it('paints the data in the webview and says when', async () => {
    const timing = panel.lastRender ?? (await new Promise((resolve) => panel.onDidRender(resolve)));
    assert.ok(timing);
    assert.ok(timing.sinceOpenMs >= 0 && timing.sinceOpenMs < 30_000);
  });

  it('serves a document with a strict CSP whose nonce matches its only script', () => {
    const html = panel.html;
    const csp = parseCsp(html);
    assert.deepEqual(Object.keys(csp).sort(), ['default-src', 'font-src', 'script-src', 'style-src']);
    assert.deepEqual(csp['default-src'], ["'none'"]);
    const nonce = /^'nonce-([A-Za-z0-9+/=]{22,})'$/.exec(csp['script-src']?.[0] ?? '')?.[1];
    assert.ok(nonce, `script-src is ${csp['script-src']?.join(' ')}`);
    assert.equal(csp['script-src']?.length, 1);
    // style-src and font-src are exactly the webview's resource origin (webview.cspSource).
    assert.ok((csp['style-src']?.length ?? 0) > 0);
    for (const source of csp['style-src'] ?? []) assert.doesNotMatch(source, /^('unsafe-|\*$|data:|blob:|'nonce-)/);
    assert.deepEqual(csp['font-src'], csp['style-src']);
    const scripts = scriptTags(html);
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.nonce, nonce);
    assert.equal(scripts[0]?.inline, false);
    assert.match(scripts[0]?.src ?? '', /\/media\/analytics\.js$/);
  });

  it('applies a filter and receives the figures for it', async () => {
    const filter: AnalyticsFilter = { period: { kind: 'last7Days' }, model: 'gpt-4o' };
    const received = nextReport(panel, (r) => sameFilter(r.filter, filter), 'the filtered report');
    panel.applyFilter(filter);
    const report = await received;
    const expected = matching(report);
    assert.ok(expected.length > 50);
    assert.equal(report.totals.requests, expected.length);
    assert.deepEqual(
      report.byModel.map((m) => m.model),
      ['gpt-4o'],
    );
    assert.ok(report.range.to - report.range.from <= 8 * 86_400_000);
    assert.ok(sameFilter(panel.lastFilter, filter));
  });

  it('exports a CSV whose rows are exactly the ledger records of the filter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-export-'));
    try {
      const target = path.join(dir, 'usage.csv');
      const filter: AnalyticsFilter = { period: { kind: 'last7Days' }, task: 'review' };
      const result = await vscode.commands.executeCommand<{ path: string; bytes: number } | undefined>('aurelis.exportAnalytics', { format: 'csv', filter, target });
      assert.equal(result?.path, target);
      const [header, ...lines] = readFileSync(target, 'utf8').trimEnd().split('\n');
      const columns = (header ?? '').split(',');
      const idColumn = columns.indexOf('request_id');
      assert.ok(idColumn >= 0, header);
      const report = await nextReportFor(filter);
      const expected = matching(report);
      assert.ok(expected.length > 20);
      assert.deepEqual(lines.map((l) => l.split(',')[idColumn]).sort(), expected.map((r) => r.requestId).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** The report of a filter, through the panel like the user would get it. */
  async function nextReportFor(filter: AnalyticsFilter): Promise<AnalyticsReport> {
    const received = nextReport(panel, (r) => sameFilter(r.filter, filter), 'a report');
    panel.applyFilter(filter);
    return received;
  }

  it('exports through the save dialog: HTML report and Prometheus text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-export-'));
    const original = vscode.window.showSaveDialog;
    const asked: vscode.SaveDialogOptions[] = [];
    const answers = [vscode.Uri.file(path.join(dir, 'report.html')), vscode.Uri.file(path.join(dir, 'metrics.prom')), undefined];
    vscode.window.showSaveDialog = async (options) => {
      asked.push(options ?? {});
      return answers.shift();
    };
    try {
      const filter: AnalyticsFilter = { period: { kind: 'last30Days' } };
      const report = await nextReportFor(filter);
      await vscode.commands.executeCommand('aurelis.exportAnalytics', { format: 'html', filter });
      await vscode.commands.executeCommand('aurelis.exportAnalytics', { format: 'prometheus', filter });
      const cancelled = await vscode.commands.executeCommand('aurelis.exportAnalytics', { format: 'json', filter });
      assert.equal(cancelled, undefined);
      assert.deepEqual(
        asked.map((o) => Object.values(o.filters ?? {})[0]),
        [['html'], ['prom'], ['json']],
      );
      const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
      assert.doesNotMatch(html, /<script/i);
      assert.ok(html.includes(report.totals.requests.toLocaleString('en-US')), 'the request count is in the HTML report');
      assert.ok(html.includes('team-gateway-model'));
      const prom = readFileSync(path.join(dir, 'metrics.prom'), 'utf8');
      const total = [...prom.matchAll(/^aurelis_requests_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
      assert.equal(total, matching(report).length);
    } finally {
      vscode.window.showSaveDialog = original;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('updates live when a request finishes while it is open', async () => {
    const filter: AnalyticsFilter = { period: { kind: 'today' } };
    const before = await nextReportFor(filter);
    const record: UsageRecord = { ...seeded[seeded.length - 1]!, ts: Date.now(), requestId: `live-${Date.now()}`, outcome: 'ok', cacheHit: false };
    const updated = nextReport(panel, (r) => sameFilter(r.filter, filter) && r.totals.requests === before.totals.requests + 1, 'the live update');
    appendFileSync(path.join(ledgerDir(), ledgerFileName(record.ts)), encodeRecord(record));
    const report = await updated;
    assert.equal(report.totals.requests, matching(report).length);
  });

  it('keeps its filter when hidden and shown again', async () => {
    const filter: AnalyticsFilter = { period: { kind: 'thisMonth' }, provider: 'openai', task: 'explain' };
    await nextReportFor(filter);
    // Another editor in the same group hides the panel; its webview is unloaded.
    const doc = await vscode.workspace.openTextDocument({ content: 'hide the panel', language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: panelColumn(), preview: false });
    await waitFor('the panel to be hidden', () => !panel.visible);
    const restored = nextReport(panel, () => true, 'the report after showing the panel again');
    await vscode.commands.executeCommand('aurelis.showAnalytics');
    const report = await restored;
    assert.deepEqual(report.filter, filter);
  });

  it('opens one panel only, and a new panel loads with a new nonce', async () => {
    const api = await aurelis();
    await vscode.commands.executeCommand('aurelis.showAnalytics');
    assert.equal(api.analyticsPanel(), panel);
    const firstNonce = parseCsp(panel.html)['script-src']?.[0];
    const closed = new Promise<void>((resolve) => panel.onDidDispose(resolve));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await closed;
    assert.equal(api.analyticsPanel(), undefined);
    await vscode.commands.executeCommand('aurelis.showAnalytics', { period: { kind: 'last7Days' } });
    const reopened = await waitFor('the panel to open again', () => api.analyticsPanel());
    assert.notEqual(reopened, panel);
    assert.notEqual(parseCsp(reopened.html)['script-src']?.[0], firstNonce);
    panel = reopened;
    const report = reopened.lastReport ?? (await nextReport(reopened, () => true, 'the report of the new panel'));
    assert.deepEqual(report.filter, { period: { kind: 'last7Days' } });
  });

  it('refuses an invalid filter argument with a message saying what to do', async () => {
    const original = vscode.window.showWarningMessage;
    const shown: string[] = [];
    vscode.window.showWarningMessage = (async (message: string) => {
      shown.push(message);
      return undefined;
    }) as typeof vscode.window.showWarningMessage;
    try {
      await vscode.commands.executeCommand('aurelis.showAnalytics', { period: { kind: 'yesterday' } });
      await waitFor('the error notification', () => shown.length > 0);
      assert.match(shown[0] ?? '', /^Aurelis: Show Analytics was given an invalid period.*Run it from the Command Palette/);
    } finally {
      vscode.window.showWarningMessage = original;
    }
  });
});

/** The editor group the panel is in (the active one when it opened). */
function panelColumn(): vscode.ViewColumn {
  for (const group of vscode.window.tabGroups.all) {
    if (group.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('aurelis.analytics'))) return group.viewColumn;
  }
  return vscode.ViewColumn.Active;
}
