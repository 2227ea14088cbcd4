// The analytics panel as a person sees it: a realistic ledger (thousands of records over six weeks,
// six models on five providers) and budgets, the panel opened from the command palette, and
// screenshots in light, dark and high-contrast themes. Also measures how long the panel takes from
// the command to its first painted data.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import manifest from '../../package.json';
import { ledgerFiles, seedRecords } from '../support/analyticsSeed';
import { Workbench } from './support/workbench';
import { waitFor } from '../support/waitFor';

const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const RECORDS = 6000;

function userDataDir(): string {
  const dir = process.env.AURELIS_USER_DATA_DIR;
  if (!dir) throw new Error('AURELIS_USER_DATA_DIR is not set: run UI tests through scripts/host/run-ui-tests.mjs.');
  return dir;
}

const settingsFile = () => path.join(userDataDir(), 'User', 'settings.json');
const ledgerDir = () => path.join(userDataDir(), 'User', 'globalStorage', EXTENSION_ID, 'ledger');

function readSettings(): Record<string, unknown> {
  return existsSync(settingsFile()) ? (JSON.parse(readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>) : {};
}

/** The Aurelis log's line about the panel's first paint, as the extension measured it. */
function loggedRenderTimes(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else if (d.name === 'Aurelis.log' && full.includes(EXTENSION_ID)) files.push(full);
    }
  };
  walk(path.join(userDataDir(), 'logs'));
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.includes('Analytics panel: first data painted'));
}

describe('UI: the analytics panel', function () {
  let workbench: Workbench;
  let savedSettings: Record<string, unknown>;
  const savedLedger = new Map<string, string | undefined>();

  before(async () => {
    // Records up to yesterday: today's spend stays untouched for the tests that come after.
    const startOfToday = new Date(new Date().setHours(0, 0, 0, 0)).getTime();
    const records = seedRecords({ count: RECORDS, days: 45, now: startOfToday - 1, seed: 2026 });
    mkdirSync(ledgerDir(), { recursive: true });
    for (const [name, text] of ledgerFiles(records)) {
      const file = path.join(ledgerDir(), name);
      const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      savedLedger.set(name, before);
      writeFileSync(file, (before ?? '') + text);
    }
    savedSettings = readSettings();
    writeSettings({
      ...savedSettings,
      'aurelis.budgets.dailyUsd': 5,
      'aurelis.budgets.weeklyUsd': 6,
      'aurelis.budgets.monthlyUsd': 18,
      'workbench.colorTheme': 'Default Light Modern',
    });
    workbench = await Workbench.open();
    await workbench.page.setViewportSize({ width: 1440, height: 1000 });
    // More room for the panel.
    await workbench.runCommand('View: Close Primary Side Bar');
  });

  after(async () => {
    await workbench?.close();
    writeSettings(savedSettings);
    // Leave the ledger as it was for the tests that follow.
    for (const [name, before] of savedLedger) {
      const file = path.join(ledgerDir(), name);
      if (before === undefined) rmSync(file, { force: true });
      else writeFileSync(file, before);
    }
  });

  function writeSettings(settings: Record<string, unknown>): void {
    writeFileSync(settingsFile(), JSON.stringify(settings, null, 2));
  }

  /** The webview's document frame (VS Code nests it in two iframes). */
  async function panelFrame(): Promise<Frame> {
    return waitFor(
      'the analytics webview to load',
      async () => {
        for (const frame of workbench.page.frames()) {
          if (await frame.locator('#cards').count().catch(() => 0)) return frame;
        }
        return undefined;
      },
      { timeoutMs: 30_000, seen: () => `${workbench.page.frames().length} frames, none with the panel's cards` },
    );
  }

  /** Resolves once `frame` has painted what its scripts changed so far (two animation frames). */
  const painted = (frame: Frame): Promise<void> => frame.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))');

  async function switchTheme(theme: string, workbenchClass: string, webviewClass: string): Promise<void> {
    await workbench.colorTheme(theme, workbenchClass);
    // The webview's body takes the theme's class, and the charts recolour (without animation) as it does.
    const frame = await panelFrame();
    await frame.locator(`body.${webviewClass}`).waitFor({ timeout: 20_000 });
    await painted(frame);
  }

  const scrollToTop = (frame: Frame) => frame.locator('h1').evaluate((el) => el.scrollIntoView());

  async function photograph(frame: Frame, name: string): Promise<void> {
    await scrollToTop(frame);
    await workbench.screenshot(`analytics-${name}`);
    await frame.locator('#charts-title').evaluate((el) => el.parentElement?.scrollIntoView());
    await painted(frame);
    await workbench.screenshot(`analytics-${name}-charts`);
    await frame.locator('#performance-title').evaluate((el) => el.scrollIntoView());
    await painted(frame);
    await workbench.screenshot(`analytics-${name}-tables`);
    await scrollToTop(frame);
  }

  it('opens from the command palette and paints the seeded usage', async () => {
    await workbench.page.locator('.monaco-workbench.vs').waitFor({ timeout: 20_000 });
    const started = Date.now();
    await workbench.runCommand('Aurelis: Show Analytics');
    const frame = await panelFrame();
    await frame.locator('.card[data-card="requests"] .card-value').waitFor();
    await frame.locator('#content[aria-busy="false"]').waitFor();
    const paintedMs = Date.now() - started;
    const requests = Number((await frame.locator('.card[data-card="requests"] .card-value').innerText()).replace(/,/g, ''));
    assert.ok(requests > RECORDS * 0.6 && requests <= RECORDS, `the panel shows ${requests} requests for the last 30 days`);
    assert.equal(await frame.locator('.budget').count(), 3);
    assert.equal(await frame.locator('canvas').count(), 5);
    assert.ok((await frame.locator('#performance-table tbody tr').count()) >= 6);
    assert.ok((await frame.locator('#failures-table tbody tr').count()) > 5);
    assert.match(await frame.locator('#cost-summary').innerText(), /^\$[\d.,]+ from \d{4}-\d{2}-\d{2} to/);
    const logged = await waitFor('the render time in the log', () => loggedRenderTimes()[0]);
    console.log(`      command → cards visible (measured by the test): ${paintedMs} ms`);
    console.log(`      ${logged.replace(/^.*Analytics panel: /, 'extension: ')}`);
    await photograph(frame, 'light');
  });

  it('follows the dark theme', async () => {
    await switchTheme('Default Dark Modern', 'vs-dark', 'vscode-dark');
    const frame = await panelFrame();
    assert.match((await frame.locator('body').getAttribute('class')) ?? '', /\bvscode-dark\b/);
    await photograph(frame, 'dark');
  });

  it('follows a high-contrast theme', async () => {
    await switchTheme('Default High Contrast', 'hc-black', 'vscode-high-contrast');
    const frame = await panelFrame();
    assert.match((await frame.locator('body').getAttribute('class')) ?? '', /\bvscode-high-contrast\b/);
    await photograph(frame, 'high-contrast');
  });

  it('filters by model from the keyboard and keeps the filter when hidden and shown again', async () => {
    await switchTheme('Default Dark Modern', 'vs-dark', 'vscode-dark');
    const frame = await panelFrame();
    const model = frame.locator('#filter-model');
    await model.focus();
    await model.selectOption('gpt-4o-mini');
    await frame.locator('#status', { hasText: 'model gpt-4o-mini' }).waitFor();
    assert.equal(await frame.locator('#performance-table tbody tr').count(), 1);
    await workbench.screenshot('analytics-dark-filtered');
    // Hide the panel behind a new editor, then bring it back.
    await workbench.runCommand('File: New Untitled Text File');
    await workbench.page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
    await workbench.runCommand('Aurelis: Show Analytics');
    const again = await panelFrame();
    await again.locator('#status', { hasText: 'model gpt-4o-mini' }).waitFor();
    assert.equal(await again.locator('#filter-model').inputValue(), 'gpt-4o-mini');
  });
});
