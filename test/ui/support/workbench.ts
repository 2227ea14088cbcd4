// Reusable steps for UI end-to-end tests: open the workbench that scripts/host/run-ui-tests.mjs
// started, run a palette command, answer an input box, wait for a notification, open a file and
// select lines, use the editor's context menu and the light bulb, read the Problems panel and a
// webview, take a screenshot.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { DEFAULT_WAIT_MS, waitFor } from '../../support/waitFor';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-results', 'screenshots');

function fromRunner(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run UI tests through scripts/host/run-ui-tests.mjs (npm run test:ui).`);
  return value;
}

/**
 * A path inside the window's workspace folder (a temporary copy of test/fixtures/workspace/ that
 * the runner made, so tests may write files there before opening them).
 */
export function workspacePath(...segments: string[]): string {
  return path.join(fromRunner('AURELIS_UI_WORKSPACE'), ...segments);
}

let browser: Promise<Browser> | undefined;

/** Windows open right now, so a failing test can be photographed (see hooks.ts). */
export const openWorkbenches = new Set<Workbench>();

/** Text as a person reads it: Monaco renders spaces as non-breaking spaces. */
export async function renderedText(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\u00a0/g, ' ');
}

/** A problem as the Problems panel lists it. */
export interface Problem {
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** Where it starts, 1-based, as the row shows `[Ln 10, Col 3]`. */
  line: number;
  column: number;
  /** Who reported it (e.g. "Aurelis", "ts"). */
  source: string;
  /** The problem's code as shown after the source (e.g. "correctness"), or ''. */
  code: string;
  /** The row's text as shown. */
  text: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One workbench window (its own browser context) on the shared code-server. */
export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {}

  /** Opens a fresh window and waits until the workbench and its extension host are up. */
  static async open(): Promise<Workbench> {
    browser ??= chromium.connect(fromRunner('AURELIS_UI_BROWSER_WS'));
    const context = await (await browser).newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(fromRunner('AURELIS_UI_WORKBENCH_URL'));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar's remote indicator appears once the window is connected to the server.
    await page.locator('#status\\.host').waitFor({ timeout: 60_000 });
    const workbench = new Workbench(page, context);
    openWorkbenches.add(workbench);
    return workbench;
  }

  /** The visible quick input (command palette, input box, quick pick). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget:visible');
  }

  /**
   * F1, type the command's title (e.g. "Aurelis: Set API Key"), Enter. Retries while the palette
   * does not list it yet (the extension host registers contributed commands shortly after load).
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const row = this.quickInput.locator('.monaco-list-row', { hasText: title }).first();
    for (;;) {
      await this.page.keyboard.press('F1');
      await this.quickInput.locator('input').waitFor();
      await this.page.keyboard.type(title);
      try {
        await row.waitFor({ timeout: 3000 });
        break;
      } catch (e) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new Error(`The command palette did not offer "${title}" within ${timeoutMs} ms: ${String(e)}`);
      }
    }
    // Typing the whole title makes it the focused first row; click it when another row ranks higher.
    if ((await row.getAttribute('class'))?.includes('focused')) await this.page.keyboard.press('Enter');
    else await row.click();
  }

  /** Waits for a quick pick titled `title` and chooses the row labelled `label`. */
  async pick(title: string | RegExp, label: string): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    await this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first().click();
  }

  /**
   * Waits for an input box titled `title`, types `text` into it and presses Enter; with
   * `screenshot`, photographs the filled box first. Returns the input's type ('password' when masked).
   */
  async answerInputBox(title: string | RegExp, text: string, { screenshot }: { screenshot?: string } = {}): Promise<string | null> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
    const input = this.quickInput.locator('input.input');
    const type = await input.getAttribute('type');
    await input.pressSequentially(text);
    if (screenshot) await this.screenshot(screenshot);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
    return type;
  }

  /**
   * Switches the colour theme the way a person does (Preferences: Color Theme, type its name,
   * Enter) and waits for the workbench to carry the theme's class (`vs`, `vs-dark`, `hc-black`).
   */
  async colorTheme(theme: string, workbenchClass: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.quickInput.locator('input').waitFor();
    await this.page.keyboard.type(theme);
    await this.quickInput.locator('.monaco-list-row.focused', { hasText: theme }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
    await this.page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 20_000 });
  }

  /** Waits for a notification toast that contains `text`. */
  async notification(text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
    // fade-in-done: the toast has finished sliding in, so a screenshot shows it whole.
    const toast = this.page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: text }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast;
  }

  /** Dismisses every notification, so a later wait cannot match an old one. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
  }

  /**
   * The Output panel's editor once it shows `channel` (an extension's channel is the document
   * `output:<publisher>.<name>.<channel>`).
   */
  async outputChannel(channel: string): Promise<Locator> {
    const editor = this.page.locator(`.part.panel .monaco-editor[data-uri^="output:"][data-uri$=".${channel}"]`);
    await editor.waitFor();
    return editor;
  }

  /** Waits until an editor-like locator's rendered text matches; returns that text. */
  async waitForText(locator: Locator, pattern: RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    let text = '';
    return waitFor(
      `the text to match ${String(pattern)}`,
      async () => {
        text = await renderedText(locator);
        return pattern.test(text) && text;
      },
      { timeoutMs, intervalMs: 200, seen: () => text },
    );
  }

  // ── editors ────────────────────────────────────────────────────────────────────────────

  /** The text editor that has focus (or last had it) in the active editor group. */
  get activeEditor(): Locator {
    return this.page.locator('.part.editor .editor-group-container.active .editor-container .monaco-editor').first();
  }

  /**
   * Opens a workspace file and returns its editor, focused: clicks its tab when it is open
   * already, otherwise uses Quick Open (Ctrl+P, its path, Enter). `relativePath` is relative to
   * the workspace folder, with forward slashes.
   */
  async openFile(relativePath: string): Promise<Locator> {
    const name = path.posix.basename(relativePath);
    const tab = this.fileTab(name);
    if ((await tab.count()) > 0) {
      await tab.first().click();
    } else {
      await this.page.keyboard.press('Control+P');
      await this.quickInput.locator('input').waitFor();
      await this.page.keyboard.type(relativePath);
      await this.quickInput.locator('.monaco-list-row.focused', { hasText: name }).waitFor();
      await this.page.keyboard.press('Enter');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
    const editor = this.page.locator(`.part.editor .editor-group-container.active .monaco-editor.focused[data-uri$="/${relativePath}"]`);
    await editor.waitFor();
    return editor;
  }

  /** The editor tab of a file named `name` (e.g. "orders.ts"), not of a preview or diff of it. */
  fileTab(name: string): Locator {
    return this.page.locator(`.part.editor .tabs-container .tab[data-resource-name="${name}"][aria-label^="${name},"]`);
  }

  /** Moves the cursor with Go to Line (Ctrl+G) to `line` and `column` (1-based). */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.quickInput.locator('input').waitFor();
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
    await this.page.locator('#status\\.editor\\.selection', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /**
   * Selects lines `from` to `to` (1-based, inclusive: column 1 of `from` to the end of `to`) with
   * the keyboard, and waits for the status bar to report the selection.
   */
  async selectLines(from: number, to: number): Promise<void> {
    await this.goToLine(from, 1);
    for (let line = from; line < to; line++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
    await this.page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`^Ln ${to}, Col \\d+ \\(\\d+ selected\\)`) }).waitFor();
  }

  /**
   * The lines an editor shows, top to bottom, as a person reads them (Monaco renders only the
   * lines in view, and reuses their elements in any order).
   */
  async editorLines(editor: Locator = this.activeEditor): Promise<string[]> {
    return editor.locator('.view-lines').first().evaluate((lines) =>
      [...lines.querySelectorAll('.view-line')]
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')),
    );
  }

  // ── menus ──────────────────────────────────────────────────────────────────────────────

  /**
   * Right-clicks the active editor on its selection (or at the cursor when nothing is selected),
   * which keeps the selection, and returns the context menu once it is shown.
   */
  async editorContextMenu(): Promise<Locator> {
    const editor = this.activeEditor;
    const selected = editor.locator('.view-overlays .selected-text').first();
    const cursor = editor.locator('.cursors-layer .cursor').first();
    const box = await waitFor('a selection or the cursor to show in the active editor', async () =>
      (await selected.count()) > 0 ? await selected.boundingBox() : await cursor.boundingBox(),
    );
    await this.page.mouse.click(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2, { button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu').first();
    await menu.waitFor();
    return menu;
  }

  /** A menu's item labelled exactly `label` (a command or a submenu). */
  menuItem(menu: Locator, label: string): Locator {
    const exact = new RegExp(`^${escapeRegExp(label)}$`);
    return menu.locator('.action-menu-item', { has: this.page.locator('.action-label', { hasText: exact }) }).first();
  }

  /** Opens the submenu `label` of an open menu; returns it once its items are shown. */
  async openSubmenu(menu: Locator, label: string): Promise<Locator> {
    await this.menuItem(menu, label).click();
    const sub = menu.locator('.monaco-submenu').first();
    await sub.locator('.action-menu-item').first().waitFor();
    return sub;
  }

  /**
   * Opens the editor's context menu (see `editorContextMenu`) and its submenu `submenu` (e.g.
   * "Aurelis"); returns the submenu once its items are shown.
   */
  async editorSubmenu(submenu: string): Promise<Locator> {
    return this.openSubmenu(await this.editorContextMenu(), submenu);
  }

  /** Labels of a menu's items in order (separators left out; an open submenu's items follow its label). */
  async menuLabels(menu: Locator): Promise<string[]> {
    return (await menu.locator('.action-menu-item .action-label').allInnerTexts()).map((t) => t.trim());
  }

  // ── code actions ───────────────────────────────────────────────────────────────────────

  /** The code action menu (light bulb menu) while it is open. */
  get codeActionMenu(): Locator {
    return this.page.locator('.action-widget:visible');
  }

  /**
   * Opens the code action menu at the cursor or selection: with `via: 'keyboard'` by Ctrl+. (Quick
   * Fix…), with `via: 'lightbulb'` by clicking the light bulb once it shows beside the selection's
   * first line or the cursor. Returns the titles it offers, in order (group headers left out).
   */
  async openCodeActions(via: 'keyboard' | 'lightbulb' = 'keyboard'): Promise<string[]> {
    const rows = this.codeActionMenu.locator('.monaco-list-row.action');
    if (via === 'lightbulb') {
      await (await this.lightBulb()).click();
    } else {
      // On a loaded machine VS Code may answer the first Ctrl+. with "No code actions available"
      // while the light bulb's own request for the same spot is still settling; a person presses again.
      const none = this.page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
      for (let attempt = 1; ; attempt++) {
        await this.page.keyboard.press('Control+.');
        await rows.first().or(none).first().waitFor();
        if ((await rows.count()) > 0 || attempt === 3) break;
        await this.page.keyboard.press('Escape');
        await none.waitFor({ state: 'hidden' });
      }
    }
    await rows.first().waitFor();
    return (await rows.locator('.title').allInnerTexts()).map((t) => t.trim());
  }

  /**
   * The active editor's light bulb once it shows for the current cursor or selection: on the
   * line of the selection's start (or the cursor), or the line above it when the text is in the
   * way. A light bulb still standing at an earlier position is not taken for it.
   */
  async lightBulb(timeoutMs = DEFAULT_WAIT_MS): Promise<Locator> {
    const editor = this.activeEditor;
    const bulb = editor.locator('.lightBulbWidget');
    const cursor = editor.locator('.cursors-layer .cursor').first();
    // The selection's first line: the topmost of its highlighted parts (rendered in any order).
    const selectionStart = () =>
      editor.locator('.view-overlays .selected-text').evaluateAll((parts) => {
        const boxes = parts.map((p) => p.getBoundingClientRect()).filter((r) => r.height > 0);
        boxes.sort((a, b) => a.y - b.y);
        const top = boxes[0];
        return top ? { x: top.x, y: top.y, width: top.width, height: top.height } : null;
      });
    let seen: unknown;
    return waitFor(
      'a light bulb beside the cursor or selection',
      async () => {
        const [b, a] = await Promise.all([bulb.boundingBox(), selectionStart().then((s) => s ?? cursor.boundingBox())]);
        seen = { bulb: b, anchor: a };
        // Within a line and a half of the anchor's middle: its own line or the one above.
        return b && a && b.height > 0 && Math.abs(b.y + b.height / 2 - (a.y + a.height / 2)) <= a.height * 1.6 && bulb;
      },
      { timeoutMs, seen: () => seen },
    );
  }

  /** Chooses the open code action menu's entry whose title starts with `title`. */
  async chooseCodeAction(title: string): Promise<void> {
    const startsWith = new RegExp(`^${escapeRegExp(title)}`);
    const row = this.codeActionMenu.locator('.monaco-list-row.action', { has: this.page.locator('.title', { hasText: startsWith }) }).first();
    // The menu ignores clicks until the mouse has moved over it (an invisible block guards
    // against a click meant for the editor), so point at the entry first.
    await row.hover({ force: true });
    await row.click();
    await this.codeActionMenu.waitFor({ state: 'hidden' });
  }

  // ── panels and views ───────────────────────────────────────────────────────────────────

  /**
   * Opens the Problems panel (Problems: Focus on Problems View) and returns the problems it lists,
   * read from each row as shown and as a screen reader announces it (file rows left out).
   */
  async problems(): Promise<Problem[]> {
    await this.runCommand('Problems: Focus on Problems View');
    const panel = this.page.locator('.part.panel .markers-panel');
    await panel.waitFor();
    const problems: Problem[] = [];
    for (const row of await panel.locator('.monaco-list-row').all()) {
      const label = (await row.getAttribute('aria-label')) ?? '';
      // "Error: <message> at line 10 and character 3. generated by Aurelis" (VS Code 1.100).
      const m = /^(Error|Warning|Info|Hint): ([\s\S]*) at line (\d+) and character (\d+)\. generated by (.+)$/.exec(label);
      if (!m) continue;
      const code = (await row.locator('.marker-code').first().innerText().catch(() => '')).trim();
      problems.push({
        severity: (m[1] as string).toLowerCase() as Problem['severity'],
        message: m[2] as string,
        line: Number(m[3]),
        column: Number(m[4]),
        source: m[5] as string,
        code,
        text: (await row.innerText()).replace(/\s+/g, ' ').trim(),
      });
    }
    return problems;
  }

  /**
   * The frame of a webview (a Markdown preview, a panel) whose document contains `text`, once one
   * does. VS Code nests each webview's document in two iframes.
   */
  async webviewWith(text: string | RegExp, timeoutMs = 20_000): Promise<Frame> {
    return waitFor(
      `a webview showing ${String(text)}`,
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          if (await frame.locator('body', { hasText: text }).count().catch(() => 0)) return frame;
        }
        return undefined;
      },
      { timeoutMs, seen: () => `${this.page.frames().length - 1} webview frames` },
    );
  }

  /** The editor tab labelled `label` (e.g. "Explanation of orders.ts"), in any group. */
  tab(label: string | RegExp): Locator {
    return this.page.locator('.part.editor .tabs-container .tab', { hasText: label });
  }

  /** Closes every editor of the window (View: Close All Editors). */
  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    await this.page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached' });
  }

  /** Saves test-results/screenshots/<name>.png (git-ignored) and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    openWorkbenches.delete(this);
    await this.context.close();
  }
}
