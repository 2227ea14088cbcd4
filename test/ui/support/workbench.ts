// Reusable steps for UI end-to-end tests: open the workbench that scripts/host/run-ui-tests.mjs
// started, run a palette command, answer an input box, wait for a notification, take a screenshot.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-results', 'screenshots');

function fromRunner(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run UI tests through scripts/host/run-ui-tests.mjs (npm run test:ui).`);
  return value;
}

let browser: Promise<Browser> | undefined;

/** Windows open right now, so a failing test can be photographed (see hooks.ts). */
export const openWorkbenches = new Set<Workbench>();

/** Text as a person reads it: Monaco renders spaces as non-breaking spaces. */
export async function renderedText(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\u00a0/g, ' ');
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
  async waitForText(locator: Locator, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await renderedText(locator);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${pattern}; the text was:\n${text}`);
      await this.page.waitForTimeout(200);
    }
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
