// Explain, Review and the light bulb as a person uses them: a workspace file opened with Quick Open,
// lines selected with the keyboard, the commands run from the command palette and from the
// editor's right-click menu (Aurelis submenu), and the light bulb's Aurelis actions. The OpenAI
// provider points at the fake server on 127.0.0.1, with a key set through Set API Key.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { FakeOpenAIServer, reply, type RecordedRequest } from '../fake-server';
import { changeUserSettings } from './support/userSettings';
import { Workbench, workspacePath, type Problem } from './support/workbench';
import { waitFor } from '../support/waitFor';

const FILE = 'src/orders.ts';
const LINES = [
  'export interface Order {', //                                          1
  '  id: string;', //                                                     2
  '  quantity: number;', //                                               3
  '  unitPrice: number;', //                                              4
  '}', //                                                                 5
  '', //                                                                  6
  '/** Sum of quantity × unit price over all orders. */', //              7
  'export function orderTotal(orders: Order[]): number {', //             8
  '  let total = 0;', //                                                  9
  '  for (let i = 0; i <= orders.length; i++) {', //                      10
  '    const order = orders[i];', //                                      11
  '    if (order) total += order.quantity * order.unitPrice;', //         12
  '  }', //                                                               13
  '  return total;', //                                                   14
  '}', //                                                                 15
  '', //                                                                  16
  '/** Orders worth more than `limit`. */', //                            17
  'export function largeOrders(orders: Order[], limit: number): Order[] {', // 18
  '  return orders.filter((o) => o.quantity * o.unitPrice > limit);', //  19
  '}', //                                                                 20
  '',
];
const FIXED_LOOP = '  for (let i = 0; i < orders.length; i++) {';
/** The indexed loop (before or after the off-by-one fix) and the for…of loop "Fix" turns it into. */
const INDEXED_LOOP = /for \(let i = 0; i <=? orders\.length; i\+\+\) \{\n(\s*)const order = orders\[i\];\n\s*if \(order\) total \+=/;
const FOR_OF_LOOP = 'for (const order of orders) {\n$1total +=';

const OFF_BY_ONE = { severity: 'error', category: 'correctness', quote: LINES[9], startLine: 10, endLine: 10, message: 'The loop runs one past the end of the array.', suggestion: FIXED_LOOP };
const FOR_OF = { severity: 'info', category: 'style', quote: LINES.slice(10, 12).join('\n'), startLine: 11, endLine: 12, message: 'A for…of loop reads better here.', suggestion: null };
const NEGATIVE_LIMIT = { severity: 'warning', category: 'correctness', quote: LINES[18], startLine: 19, endLine: 19, message: 'A negative limit returns every order.', suggestion: null };

/** The user message of a chat request: what the model was asked. */
function promptOf(request: RecordedRequest | undefined): string {
  const messages = (request?.body as { messages?: Array<{ role: string; content: string }> } | undefined)?.messages ?? [];
  return messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
}

describe('UI: Explain, Review and the light bulb in the editor', function () {
  let server: FakeOpenAIServer;
  let restoreSettings: () => void;
  let workbench: Workbench;

  before(async () => {
    const file = workspacePath(...FILE.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, LINES.join('\n'));
    server = await FakeOpenAIServer.start();
    // Every request must reach the fake server: no answers from the response cache.
    restoreSettings = changeUserSettings({ 'aurelis.endpoints': { openai: server.v1Url }, 'aurelis.cache.enabled': false });
    workbench = await Workbench.open();
    await workbench.runCommand('Aurelis: Set API Key');
    await workbench.pick('Aurelis: Set API Key for…', 'OpenAI');
    await workbench.answerInputBox('Aurelis: API key for OpenAI', 'sk-aurelis-ui-editor-0123456789');
    await workbench.notification('API key for OpenAI saved');
    await workbench.clearNotifications();
    // More room for the editor and the preview beside it.
    await workbench.runCommand('View: Close Primary Side Bar');
  });

  beforeEach(async () => {
    server.reset();
    // Each test starts from its own editors, so a preview or report found is the one it opened.
    await workbench.closeAllEditors();
  });

  after(async () => {
    if (workbench) {
      await workbench.clearNotifications().catch(() => undefined);
      await workbench.runCommand('Aurelis: Clear API Key').catch(() => undefined);
      await workbench.pick('Aurelis: Clear the API key of…', 'OpenAI').catch(() => undefined);
      await workbench.close();
    }
    restoreSettings?.();
    await server?.stop();
  });

  it('Explain from the command palette streams rendered Markdown into a preview beside the editor', async () => {
    await workbench.openFile(FILE);
    await workbench.selectLines(8, 15);
    const chunks = ['## What it does\n\n', '`orderTotal` adds up ', '**quantity × unit price** ', 'over all orders.\n\n', '- It skips missing entries.\n'];
    server.script(reply.text(chunks.join(''), { chunks, chunkDelayMs: 700 }));
    await workbench.runCommand('Aurelis: Explain');

    // While the answer streams in, the preview already shows its first part.
    const preview = await workbench.webviewWith('adds up');
    const partial = await preview.locator('body').innerText();
    assert.doesNotMatch(partial, /skips missing entries/, `the preview showed the whole answer at once:\n${partial}`);
    await workbench.screenshot('explain-palette-streaming');
    await preview.locator('li', { hasText: 'It skips missing entries.' }).waitFor();

    // Rendered Markdown, not its source: a heading, bold text and a list item.
    assert.equal(await preview.locator('h1').innerText(), 'Explanation of the selected code');
    assert.equal(await preview.locator('h2').innerText(), 'What it does');
    assert.equal(await preview.locator('strong').innerText(), 'quantity × unit price');
    const text = await preview.locator('body').innerText();
    assert.match(text, /src\/orders\.ts, lines 8–15/);
    assert.doesNotMatch(text, /\*\*|##/, 'Markdown syntax is visible instead of rendered');

    // Beside the code: the preview is in a second editor group, the file stays in the first.
    const groups = workbench.page.locator('.part.editor .editor-group-container');
    assert.equal(await groups.count(), 2);
    await groups.nth(0).locator('.tab', { hasText: 'orders.ts' }).waitFor();
    await groups.nth(1).locator('.tab.active', { hasText: 'Explanation of orders.ts' }).waitFor();
    // The code keeps the keyboard: typing goes on in orders.ts, not into the preview.
    await workbench.page.locator('.part.editor .editor-group-container.active .tab.active', { hasText: 'orders.ts' }).waitFor();
    const focused = await workbench.page.evaluate<string>("(document.activeElement?.closest('.monaco-editor') ? 'editor ' : 'elsewhere ') + (document.activeElement?.outerHTML ?? '').slice(0, 200)");
    assert.match(focused, /^editor /, `the focus is not in a code editor: ${focused}`);

    // Only the selection was sent.
    const prompt = promptOf(server.chatRequests[0]);
    assert.match(prompt, /export function orderTotal/);
    assert.doesNotMatch(prompt, /largeOrders|interface Order/);
    await workbench.screenshot('explain-palette');
  });

  it('Review from the command palette lists the findings in the Problems panel (source Aurelis) and opens the report', async () => {
    await workbench.openFile(FILE);
    await workbench.goToLine(1); // nothing selected: the whole file is reviewed
    server.script(reply.text(JSON.stringify({ findings: [OFF_BY_ONE, FOR_OF, NEGATIVE_LIMIT] })));
    await workbench.runCommand('Aurelis: Review');
    await workbench.notification('Aurelis found 3 problems in src/orders.ts; see the Problems panel.');
    assert.match(promptOf(server.chatRequests[0]), /interface Order[\s\S]*largeOrders/, 'the whole file was sent');

    const report = await workbench.webviewWith('Review of src/orders.ts');
    assert.match(await report.locator('body').innerText(), /the whole file, lines 1–21\s+3 findings: 1 error, 1 warning, 1 info\./);
    await assertReportHeadings(report, ['Line 10 · error · correctness', 'Lines 11–12 · info · style', 'Line 19 · warning · correctness']);
    assert.equal((await report.locator('pre code').innerText()).trimEnd(), FIXED_LOOP, 'the suggested replacement is shown as code');

    // The report's title bar has Regenerate, which asks the model again (skipping the cache).
    await workbench.tab(/Review of orders\.ts/).click();
    const regenerate = workbench.page.locator('.part.editor .editor-group-container.active .editor-actions [aria-label="Regenerate"]');
    await regenerate.waitFor();
    await workbench.screenshot('review-regenerate-button');
    await workbench.clearNotifications();
    assert.deepEqual(summarize(await workbench.problems()), [
      'error Aurelis(correctness) 10:3 The loop runs one past the end of the array.',
      'warning Aurelis(correctness) 19:3 A negative limit returns every order.',
      'info Aurelis(style) 11:5 A for…of loop reads better here.',
    ]);
    await workbench.screenshot('review-palette-problems');
  });

  it('Explain from the editor context menu (Aurelis → Explain) explains the selection', async () => {
    await workbench.openFile(FILE);
    await workbench.selectLines(17, 20);
    server.script(reply.text('## In short\n\n`largeOrders` keeps the orders whose **value** is over `limit`.'));
    const menu = await workbench.editorContextMenu();
    assert.ok((await workbench.menuLabels(menu)).includes('Aurelis'), 'the context menu has an Aurelis submenu');
    const submenu = await workbench.openSubmenu(menu, 'Aurelis');
    assert.deepEqual(await workbench.menuLabels(submenu), ['Generate Code…', 'Explain', 'Review', 'Optimize', 'Document', 'Generate Tests', 'Fix', 'Clear Review Findings']);
    await workbench.menuItem(submenu, 'Explain').hover();
    await workbench.screenshot('context-menu-explain');
    await workbench.menuItem(submenu, 'Explain').click();

    const preview = await workbench.webviewWith('keeps the orders whose');
    await preview.locator('h2', { hasText: 'In short' }).waitFor();
    assert.equal(await preview.locator('strong').innerText(), 'value');
    assert.match(await preview.locator('body').innerText(), /Explanation of the selected code\s+src\/orders\.ts, lines 17–20/);
    await workbench.page.locator('.part.editor .editor-group-container').nth(1).locator('.tab.active', { hasText: 'Explanation of orders.ts' }).waitFor();
    const prompt = promptOf(server.chatRequests[0]);
    assert.match(prompt, /export function largeOrders/);
    assert.doesNotMatch(prompt, /orderTotal/, 'only the selection is sent');
    await workbench.screenshot('explain-context-menu');
  });

  it('Review from the editor context menu (Aurelis → Review) reviews the selection and replaces the file\'s findings', async () => {
    await workbench.openFile(FILE);
    await workbench.selectLines(8, 15);
    server.script(reply.text(JSON.stringify({ findings: [OFF_BY_ONE, FOR_OF] })));
    const submenu = await workbench.editorSubmenu('Aurelis');
    await workbench.menuItem(submenu, 'Review').hover();
    await workbench.screenshot('context-menu-review');
    await workbench.menuItem(submenu, 'Review').click();
    await workbench.notification('Aurelis found 2 problems in src/orders.ts; see the Problems panel.');
    const prompt = promptOf(server.chatRequests[0]);
    assert.match(prompt, /lines 8–15/);
    assert.doesNotMatch(prompt, /largeOrders/, 'only the selection is sent');

    const report = await workbench.webviewWith(/the selected code, lines 8–15/);
    await assertReportHeadings(report, ['Line 10 · error · correctness', 'Lines 11–12 · info · style']);
    await workbench.clearNotifications();
    assert.deepEqual(summarize(await workbench.problems()), [
      'error Aurelis(correctness) 10:3 The loop runs one past the end of the array.',
      'info Aurelis(style) 11:5 A for…of loop reads better here.',
    ]);
    await workbench.screenshot('review-context-menu-problems');
  });

  it('the light bulb on a selection offers the Aurelis actions, and "Explain with Aurelis" explains it', async () => {
    await workbench.openFile(FILE);
    await workbench.selectLines(17, 20);
    const titles = await workbench.openCodeActions('keyboard');
    for (const title of ['Explain with Aurelis', 'Review with Aurelis', 'Optimize with Aurelis', 'Document with Aurelis', 'Generate Tests with Aurelis']) {
      assert.ok(titles.includes(title), `"${title}" is not among ${JSON.stringify(titles)}`);
    }
    await workbench.screenshot('lightbulb-selection');
    server.script(reply.text('`largeOrders` is a **filter** on the order value.'));
    await workbench.chooseCodeAction('Explain with Aurelis');
    const preview = await workbench.webviewWith('is a filter on the order value');
    assert.match(await preview.locator('body').innerText(), /src\/orders\.ts, lines 17–20/);
    assert.match(promptOf(server.chatRequests[0]), /export function largeOrders/);
  });

  it('the light bulb on an Aurelis finding offers "Apply Aurelis suggestion" and "Fix with Aurelis"; applying it shows the diff, Accept rewrites the line', async () => {
    await workbench.openFile(FILE);
    await workbench.goToLine(1);
    server.script(reply.text(JSON.stringify({ findings: [OFF_BY_ONE, FOR_OF] })));
    await workbench.page.keyboard.press('Control+Alt+R'); // Aurelis: Review's key binding
    await workbench.notification('Aurelis found 2 problems');
    await workbench.clearNotifications();
    // The report opened beside the file: close it, back to the file, on the off-by-one finding.
    await workbench.closeAllEditors();
    await workbench.openFile(FILE);
    await workbench.goToLine(10, 3);
    const titles = await workbench.openCodeActions('lightbulb');
    assert.equal(titles[0], 'Apply Aurelis suggestion', `the suggestion comes first: ${JSON.stringify(titles)}`);
    assert.ok(titles.includes('Fix with Aurelis: The loop runs one past the end of the array.'), JSON.stringify(titles));
    await workbench.screenshot('lightbulb-finding');

    await workbench.chooseCodeAction('Apply Aurelis suggestion');
    await workbench.tab('Aurelis Review suggestion: orders.ts ↔ proposed').waitFor();
    const toast = await workbench.notification('Aurelis proposes a change to orders.ts (Review suggestion)');
    await workbench.screenshot('lightbulb-suggestion-diff');
    await toast.locator('.monaco-button', { hasText: 'Accept' }).click();
    await workbench.tab('Aurelis Review suggestion: orders.ts ↔ proposed').waitFor({ state: 'detached' });
    await workbench.waitForText(workbench.activeEditor.locator('.view-lines'), /for \(let i = 0; i < orders\.length; i\+\+\) \{/);
    const lines = await workbench.editorLines();
    assert.equal(lines.filter((l) => l.includes('orders.length')).join('\n'), FIXED_LOOP);
    assert.deepEqual(summarize(await workbench.problems()), ['info Aurelis(style) 11:5 A for…of loop reads better here.'], 'the applied finding is gone');
    await workbench.screenshot('lightbulb-suggestion-applied');
    // Saved, so the next test (and the window's end) finds no unsaved changes.
    await workbench.openFile(FILE);
    await workbench.page.keyboard.press('Control+S');
    await waitFor('the applied suggestion saved to disk', () => readFileSync(workspacePath(...FILE.split('/')), 'utf8').split('\n')[9] === FIXED_LOOP);
  });

  it('"Fix with Aurelis" from the light bulb on a finding opens the proposed fix as a diff', async () => {
    await workbench.openFile(FILE);
    await workbench.goToLine(1);
    server.script(reply.text(JSON.stringify({ findings: [FOR_OF] })));
    await workbench.page.keyboard.press('Control+Alt+R');
    await workbench.notification('Aurelis found 1 problem');
    await workbench.clearNotifications();
    await workbench.closeAllEditors();
    await workbench.openFile(FILE);
    await workbench.goToLine(11, 5);
    // The model rewrites the loop it was shown as a for…of loop.
    server.handle((request) => {
      const code = /^(`{3,})typescript\n([\s\S]*?)\n\1$/m.exec(promptOf(request))?.[2] ?? '';
      return reply.text('```typescript\n' + code.replace(INDEXED_LOOP, FOR_OF_LOOP) + '\n```');
    });
    const titles = await workbench.openCodeActions('keyboard');
    assert.ok(titles.includes('Fix with Aurelis: A for…of loop reads better here.'), JSON.stringify(titles));
    assert.ok(!titles.includes('Apply Aurelis suggestion'), 'a finding without a suggestion offers nothing to apply');
    await workbench.chooseCodeAction('Fix with Aurelis: A for…of loop reads better here.');

    const diff = workbench.page.locator('.part.editor .monaco-diff-editor');
    await workbench.tab('Aurelis Fix: orders.ts ↔ proposed').waitFor();
    // Both the proposed loop and the lines it replaces are shown (side by side, or inline when narrow).
    await workbench.waitForText(diff, /for \(const order of orders\) \{/);
    await workbench.waitForText(diff, /const order = orders\[i\];/);
    const toast = await workbench.notification('Aurelis proposes a change to orders.ts (Fix)');
    assert.match(promptOf(server.chatRequests.at(-1)), /A for…of loop reads better here\./, 'the finding was sent with the code');
    // VS Code keeps a progress notification up for at least 800 ms; the picture is clearer without it.
    await workbench.page.locator('.notification-toast', { hasText: 'Aurelis: Fix:' }).waitFor({ state: 'detached' });
    await workbench.screenshot('fix-diff');

    // Reject leaves the file as it was.
    await toast.locator('.monaco-button', { hasText: 'Reject' }).click();
    await workbench.tab('Aurelis Fix: orders.ts ↔ proposed').waitFor({ state: 'detached' });
    await workbench.openFile(FILE);
    assert.match((await workbench.editorLines()).join('\n'), /const order = orders\[i\];/);
  });
});

/** The report's finding headings without their severity emoji. */
async function assertReportHeadings(report: Frame, expected: string[]): Promise<void> {
  const headings = (await report.locator('h2').allInnerTexts()).map((h) => h.trim());
  assert.deepEqual(headings, expected);
}

/** Problems as one line each: severity, source(code), line:column, message. */
function summarize(problems: Problem[]): string[] {
  return problems.filter((p) => p.source === 'Aurelis').map((p) => `${p.severity} ${p.source}(${p.code}) ${p.line}:${p.column} ${p.message}`);
}
