// Model answers that cannot land in the wrong place, as a user meets them in the editor: a cut-off
// edit, Regenerate and the cache, redacted secrets coming back, and tests added to an existing file.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { showActive, openEditor, openWorkspaceFile, promptOf, stubWindow, useFakeProviderForSuite, workspaceUri } from './fakeProvider';

type EditOutcome = { kind: 'proposed'; proposal: { id: string; kind: string; target: string } } | { kind: 'unchanged' };
type ReviewOutcome = { findings: unknown[]; reportUri: string };

const G = vscode.ConfigurationTarget.Global;
const config = () => vscode.workspace.getConfiguration('aurelis');
const js = (code: string) => '```javascript\n' + code + '\n```';

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => t.input)
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'aurelis-proposal');
}

async function proposedText(): Promise<string> {
  const [diff] = diffTabs();
  assert.ok(diff, 'no diff is open');
  return (await vscode.workspace.openTextDocument(diff.modified)).getText();
}

/** A function whose text is new on every run, so no earlier answer can sit in the cache for it. */
function uniqueSource(): { source: string; name: string } {
  const name = `sum_${randomUUID().slice(0, 8)}`;
  return { name, source: [`function ${name}(values) {`, '  let s = 0;', '  for (let i = 0; i < values.length; i++) s += values[i];', '  return s;', '}', ''].join('\n') };
}

describe('Answers that cannot land in the wrong place', () => {
  const suite = useFakeProviderForSuite(async () => {
    await vscode.commands.executeCommand('aurelis.rejectChange');
    await config().update('cache.enabled', false, G);
    await config().update('security.secretScan', undefined, G);
  });
  let info: ReturnType<typeof stubWindow>;
  beforeEach(() => {
    // "Aurelis proposes a change" and similar notifications: answered through commands instead.
    info = stubWindow('showInformationMessage');
  });
  afterEach(() => info.restore());

  it('Review and the edit commands stream, and the progress notification says how much has arrived', async () => {
    const { source } = uniqueSource();
    const editor = await openEditor(source, 'javascript');
    const findings = JSON.stringify({ findings: [{ severity: 'info', category: 'style', quote: '  let s = 0;', startLine: 2, endLine: 2, message: 'x'.repeat(1500), suggestion: null }] });
    const chunks = findings.match(/[\s\S]{1,100}/g) ?? [];
    suite.fake.server.script(reply.text(findings, { chunks }));
    const original = vscode.window.withProgress;
    const reported: string[] = [];
    vscode.window.withProgress = ((options: vscode.ProgressOptions, task: Parameters<typeof original>[1]) =>
      original(options, (progress, token) => task({ report: (v: { message?: string }) => (v.message && reported.push(v.message), progress.report(v)) }, token))) as typeof original;
    try {
      await showActive(editor.document);
      assert.ok(await vscode.commands.executeCommand('aurelis.review'));
    } finally {
      vscode.window.withProgress = original;
      await vscode.commands.executeCommand('aurelis.clearReviewFindings');
    }
    assert.equal((suite.fake.server.chatRequests[0]?.body as { stream?: boolean }).stream, true, 'Review streams');
    const counts = reported.filter((m) => /characters received$/.test(m));
    assert.ok(counts.length >= 3, `progress: ${JSON.stringify(reported)}`);
    assert.equal(counts.at(-1), `${(Math.floor(findings.length / 100) / 10).toFixed(1)}k characters received`);
  });

  it('a cut-off edit (finish_reason "length") opens no diff; "Retry with a Larger Limit" asks for more and proposes the complete answer', async () => {
    const { source, name } = uniqueSource();
    const editor = await openEditor(source, 'javascript');
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    const complete = `function ${name}(values) {\n  return values.reduce((a, b) => a + b, 0);\n}`;
    suite.fake.server.script(
      reply.text('Here is a faster version:\n```javascript\n' + `function ${name}(values) {\n  return values.re`, { finishReason: 'length', usage: { prompt_tokens: 80, completion_tokens: 3000 } }),
      reply.text(js(complete)),
    );
    let retry: (label: string | undefined) => void = () => undefined;
    const clicked = new Promise<string | undefined>((resolve) => (retry = resolve));
    const errors = stubWindow('showErrorMessage', () => clicked);
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.optimize'), undefined);
      await waitFor('the cut-off message', () => errors.calls.length === 1);
      const [call] = errors.calls;
      assert.match(call?.message ?? '', /^Aurelis: The answer was cut off at the model's output limit, so nothing was proposed\./);
      assert.deepEqual(call?.items, ['Retry with a Larger Limit', 'Choose Model']);
      assert.equal(diffTabs().length, 0, 'a half-written answer reached a diff');
      assert.deepEqual((await aurelis()).proposals(), []);
      assert.equal(editor.document.getText(), source);

      retry('Retry with a Larger Limit');
      await suite.fake.server.waitForChatRequests(2);
      await waitFor('the complete answer\'s diff', () => diffTabs().length === 1);
    } finally {
      errors.restore();
    }
    const [first, second] = suite.fake.server.chatRequests.map((r) => r.body as { max_completion_tokens?: number; stream?: boolean });
    assert.equal(first?.max_completion_tokens, 1500, 'the first asks for optimize’s output allowance (aurelis.maxOutputTokens.optimize)');
    assert.equal(first?.stream, true, 'edits stream');
    assert.equal(second?.max_completion_tokens, 6000, 'the retry asks for twice the 3000 tokens the cut-off answer used');
    assert.equal(await proposedText(), `${complete}\n`);
  });

  it('Regenerate sends a new request while the same command without it is a cache hit; an unusable answer is never cached', async () => {
    await config().update('cache.enabled', true, G);
    const api = await aurelis();
    const { source, name } = uniqueSource();
    const editor = await openEditor(source, 'javascript');
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    const v1 = `function ${name}(values) {\n  return values.reduce((a, b) => a + b, 0);\n}`;
    const v2 = `function ${name}(values) {\n  let s = 0;\n  for (const v of values) s += v;\n  return s;\n}`;
    const server = suite.fake.server;

    // An answer the command cannot use is not cached: the next run asks the model again.
    server.script(reply.text('The function is already as fast as it can be.'), reply.text(js(v1)), reply.text(js(v2)));
    const errors = stubWindow('showErrorMessage');
    try {
      assert.equal(await vscode.commands.executeCommand('aurelis.optimize'), undefined);
      assert.match(errors.calls[0]?.message ?? '', /answered in prose, without any code/);
    } finally {
      errors.restore();
    }
    const first = await vscode.commands.executeCommand<EditOutcome>('aurelis.optimize');
    assert.equal(first?.kind, 'proposed');
    assert.equal(server.chatRequests.length, 2, 'the unusable answer was served from the cache');
    assert.equal(await proposedText(), `${v1}\n`);
    assert.equal(await vscode.commands.executeCommand('aurelis.rejectChange'), true);

    const again = await vscode.commands.executeCommand<EditOutcome>('aurelis.optimize');
    assert.equal(server.chatRequests.length, 2, 'the same command without Regenerate is a cache hit');
    assert.ok(again?.kind === 'proposed');
    await waitFor('the cached answer\'s diff', () => diffTabs().length === 1);
    assert.equal(await proposedText(), `${v1}\n`);

    const regenerated = await vscode.commands.executeCommand<EditOutcome>('aurelis.regenerate', diffTabs()[0]?.modified);
    assert.equal(server.chatRequests.length, 3, 'Regenerate asked the model');
    assert.equal((server.chatRequests[2]?.body as { messages: unknown }).messages !== undefined, true);
    assert.ok(regenerated?.kind === 'proposed' && regenerated.proposal.id !== again.proposal.id);
    await waitFor('only the regenerated diff open', () => diffTabs().length === 1 && api.proposals().length === 1);
    assert.equal(await proposedText(), `${v2}\n`);
    assert.equal(await vscode.commands.executeCommand('aurelis.rejectChange'), true);

    // The Review report regenerates too.
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    const findings = JSON.stringify({ findings: [{ severity: 'info', category: 'style', quote: '  let s = 0;', startLine: 2, endLine: 2, message: 'Use reduce.', suggestion: null }] });
    server.script(reply.text(findings), reply.text(findings));
    await showActive(editor.document);
    const reviewed = await vscode.commands.executeCommand<ReviewOutcome>('aurelis.review');
    assert.ok(reviewed);
    assert.equal(server.chatRequests.length, 4);
    await showActive(editor.document);
    await vscode.commands.executeCommand('aurelis.review');
    assert.equal(server.chatRequests.length, 4, 'the second review is a cache hit');
    const fresh = await vscode.commands.executeCommand<ReviewOutcome>('aurelis.regenerate', reviewed.reportUri);
    assert.equal(server.chatRequests.length, 5, 'Regenerate on the report asked the model');
    assert.equal(fresh?.reportUri, reviewed.reportUri, 'the report is written again in place');
    assert.match(api.viewText(reviewed.reportUri), /Regenerate/);
    await vscode.commands.executeCommand('aurelis.clearReviewFindings');
  });

  it('Regenerate from the Explain view in front asks the model again and rewrites the view in place', async () => {
    await config().update('cache.enabled', true, G);
    const api = await aurelis();
    const { source } = uniqueSource();
    const editor = await openEditor(source, 'javascript');
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    suite.fake.server.script(reply.text('It adds the values up.'), reply.text('It sums an array of numbers.'));
    const first = await vscode.commands.executeCommand<{ uri: string }>('aurelis.explain');
    assert.ok(first);
    await showActive(editor.document);
    await vscode.commands.executeCommand('aurelis.explain');
    assert.equal(suite.fake.server.chatRequests.length, 1, 'the second Explain is a cache hit');
    // Bring the first explanation to the front, as a click on its tab does, and press Regenerate (no argument).
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(first.uri), 'vscode.markdown.preview.editor', { preserveFocus: false });
    const again = await vscode.commands.executeCommand<{ uri: string; text: string }>('aurelis.regenerate');
    assert.equal(suite.fake.server.chatRequests.length, 2, 'Regenerate asked the model');
    assert.equal(again?.uri, first.uri);
    assert.match(api.viewText(first.uri), /It sums an array of numbers\./);
  });

  it('redacted code comes back with the original secret in the diff, never the placeholder', async () => {
    await config().update('security.secretScan', 'redact', G);
    const token = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';
    const code = ['export const settings = {', '  region: "eu-west-1",', `  token: "${token}",`, '};', ''].join('\n');
    const editor = await openWorkspaceFile('src/redactedSettings.ts', code);
    editor.selection = new vscode.Selection(0, 0, 3, 2);
    // The model documents exactly the code it was shown — placeholder included.
    suite.fake.server.handle((request) => {
      const shown = /^(`{3,})typescript\n([\s\S]*?)\n\1$/m.exec(promptOf(request.body))?.[2] ?? '';
      return reply.text('```typescript\n/** Service settings. */\n' + shown + '\n```');
    });
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.document');
    assert.equal(outcome?.kind, 'proposed');
    const prompt = promptOf(suite.fake.server.chatRequests[0]?.body);
    assert.match(prompt, /token: "\[REDACTED:github_token\]"/);
    assert.equal(prompt.includes(token), false, 'the secret was sent');
    await waitFor('the diff', () => diffTabs().length === 1);
    const proposed = await proposedText();
    assert.ok(proposed.includes(`  token: "${token}",`), proposed);
    assert.equal(proposed.includes('[REDACTED'), false, 'a placeholder reached the diff');
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    assert.equal(editor.document.getText(), `/** Service settings. */\n${code}`);
  });

  it('Generate Tests adds to an existing test file and keeps every existing test', async () => {
    const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(workspaceUri(rel), new TextEncoder().encode(text));
    await write('tests-keep/package.json', JSON.stringify({ devDependencies: { vitest: '^2.0.0' } }));
    const existing = [
      "import { expect, it } from 'vitest';",
      "import { mul } from './mul';",
      '',
      "it('multiplies', () => expect(mul(2, 3)).toBe(6));",
      "it('multiplies negatives', () => expect(mul(-2, 3)).toBe(-6));",
      '',
    ].join('\n');
    await write('tests-keep/src/mul.test.ts', existing);
    await openWorkspaceFile('tests-keep/src/mul.ts', 'export function mul(a: number, b: number): number {\n  return a * b;\n}\n');
    const added = "it('multiplies by zero', () => expect(mul(5, 0)).toBe(0));";
    suite.fake.server.script(reply.text("```ts\nimport { expect, it } from 'vitest';\nimport { mul } from './mul';\n\n" + added + '\n```'));
    const outcome = await vscode.commands.executeCommand<EditOutcome>('aurelis.generateTests');
    assert.ok(outcome?.kind === 'proposed');
    assert.equal(outcome.proposal.kind, 'edit');
    assert.equal(outcome.proposal.target, workspaceUri('tests-keep/src/mul.test.ts').toString());
    const prompt = promptOf(suite.fake.server.chatRequests[0]?.body);
    assert.match(prompt, /mul\.test\.ts already exists; write only new tests to append to it/);
    assert.match(prompt, /it\('multiplies negatives'/);
    assert.equal(await vscode.commands.executeCommand('aurelis.acceptChange'), true);
    const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('tests-keep/src/mul.test.ts')));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === workspaceUri('tests-keep/src/mul.test.ts').toString());
    const text = doc?.getText() ?? written;
    assert.equal(text, `${existing.trimEnd()}\n\n${added}\n`);
  });
});
