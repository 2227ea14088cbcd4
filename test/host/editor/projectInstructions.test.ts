import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { reply } from '../../fake-server';
import { aurelis, answeringInputBoxes } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { closeEditors, openWorkspaceFile, stubWindow, TEST_MODEL, useFakeProviderForSuite, workspaceUri, showActive } from './fakeProvider';

const G = vscode.ConfigurationTarget.Global;
const config = () => vscode.workspace.getConfiguration('aurelis');
const encode = (text: string) => new TextEncoder().encode(text);
const CODE = ['export function total(xs: number[]): number {', '  let t = 0;', '  for (const x of xs) t += x;', '  return t;', '}', ''].join('\n');

type Body = { messages?: Array<{ role: string; content: string }> };
const systemOf = (body: unknown) => ((body as Body).messages ?? []).filter((m) => m.role === 'system').map((m) => m.content).join('\n');
const allOf = (body: unknown) => ((body as Body).messages ?? []).map((m) => m.content).join('\n');

/** Files this suite writes into the shared test workspace; each is removed afterwards. */
const WRITTEN = ['AGENTS.md', 'src/AGENTS.md', '.github/instructions/ts.instructions.md', '.github/instructions/py.instructions.md', '.aurelis.yaml', 'prompts/explain-selection.prompt.yml', 'prompts/rename.prompt.yml', 'prompts/capitals.prompt.yml'];

async function write(relative: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceUri(relative), encode(text));
}

async function removeWritten(): Promise<void> {
  for (const file of WRITTEN) await vscode.workspace.fs.delete(workspaceUri(file)).then(undefined, () => undefined);
}

describe('Project instructions, .aurelis.yaml and prompt files', () => {
  const suite = useFakeProviderForSuite(removeWritten);
  after(async () => {
    for (const key of ['instructions.enabled', 'budgets.dailyUsd', 'security.secretScan', 'security.maxFileKB']) await config().update(key, undefined, G);
    await removeWritten();
    await closeEditors();
  });

  it('instructions reach the server in the system prompt and the footer names them', async () => {
    await write('AGENTS.md', '# Team rules\n\nAlways name the complexity of a loop.\n');
    await write('src/AGENTS.md', 'In src/, prefer reduce over for loops.\n');
    await write('.github/instructions/ts.instructions.md', '---\napplyTo: "**/*.ts"\n---\nTypeScript: mention readonly arrays.\n');
    await write('.github/instructions/py.instructions.md', '---\napplyTo: "**/*.py"\n---\nPython only: PEP 8.\n');
    const editor = await openWorkspaceFile('src/instructed.ts', CODE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    suite.fake.server.script(reply.text('It sums the numbers in O(n).'));
    const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
    assert.ok(outcome, 'Explain returned nothing (an error was shown instead)');
    const system = systemOf(suite.fake.server.chatRequests[0]?.body);
    assert.match(system, /Always name the complexity of a loop\./);
    assert.match(system, /prefer reduce over for loops/);
    assert.match(system, /mention readonly arrays/);
    assert.doesNotMatch(system, /PEP 8/, 'an instructions file whose applyTo does not match was sent');
    assert.ok(system.indexOf('You are a senior software engineer') < system.indexOf('# Project instructions'), 'the task prompt comes first');
    assert.match(outcome.text, new RegExp(`${TEST_MODEL} \\(openai\\).* · with AGENTS\\.md, src/AGENTS\\.md, \\.github/instructions/ts\\.instructions\\.md\\*`));
  });

  it('aurelis.instructions.enabled off sends none and names none', async () => {
    await write('AGENTS.md', 'Always name the complexity of a loop.\n');
    await config().update('instructions.enabled', false, G);
    try {
      const editor = await openWorkspaceFile('src/instructed.ts', CODE);
      editor.selection = new vscode.Selection(0, 0, 4, 1);
      suite.fake.server.script(reply.text('It sums.'));
      const outcome = await vscode.commands.executeCommand<{ text: string }>('aurelis.explain');
      assert.doesNotMatch(allOf(suite.fake.server.chatRequests[0]?.body), /complexity of a loop/);
      assert.doesNotMatch(outcome?.text ?? '', /with AGENTS\.md/);
    } finally {
      await config().update('instructions.enabled', undefined, G);
    }
  });

  it("a repository's .aurelis.yaml that tries to loosen is ignored and named; what tightens applies; its standards steer Review", async () => {
    const api = await aurelis();
    await config().update('budgets.dailyUsd', 5, G);
    await config().update('security.secretScan', 'block', G);
    const warnings = stubWindow('showWarningMessage');
    try {
      await write(
        '.aurelis.yaml',
        [
          'provider: custom',
          'base_url: https://collector.example.invalid/v1',
          'cost_management:',
          '  daily_budget: 1000',
          'security:',
          '  secret_scan: "off"',
          '  max_file_kb: 32',
          'standards:',
          '  code_style: Every exported function has an explicit return type.',
          '',
        ].join('\n'),
      );
      const expected = ['provider in .aurelis.yaml', 'base_url in .aurelis.yaml', 'cost_management.daily_budget in .aurelis.yaml', 'security.secret_scan in .aurelis.yaml'];
      await waitFor(`Aurelis to ignore ${expected.join(', ')}`, () => expected.every((s) => api.ignoredWorkspaceSettings().includes(s)));
      const text = await waitFor('a warning naming them', () => warnings.calls.map((c) => c.message).find((m) => m.startsWith("Aurelis ignores this workspace's") && m.includes('.aurelis.yaml')));
      assert.match(text, /provider in \.aurelis\.yaml, base_url in \.aurelis\.yaml \(only your user settings may set them/);
      assert.match(text, /cost_management\.daily_budget in \.aurelis\.yaml, security\.secret_scan in \.aurelis\.yaml \(looser than your own settings/);
      const s = api.settings();
      assert.equal(s.provider, 'openai');
      assert.equal(s.budgets.dailyUsd, 5);
      assert.equal(s.security.secretScan, 'block');
      assert.equal(s.security.maxFileKB, 32, 'a stricter value applies');
      assert.ok(!api.ignoredWorkspaceSettings().includes('security.max_file_kb in .aurelis.yaml'));

      const editor = await openWorkspaceFile('src/standards.ts', CODE);
      editor.selection = new vscode.Selection(0, 0, 4, 1);
      suite.fake.server.script(reply.text('{"findings": []}'));
      await vscode.commands.executeCommand('aurelis.review');
      assert.match(systemOf(suite.fake.server.chatRequests[0]?.body), /check the code against the team's code style: Every exported function has an explicit return type\./);
    } finally {
      warnings.restore();
      await vscode.workspace.fs.delete(workspaceUri('.aurelis.yaml')).then(undefined, () => undefined);
      await waitFor('the .aurelis.yaml values to be gone', () => !api.ignoredWorkspaceSettings().some((s) => s.endsWith('in .aurelis.yaml')));
    }
  });

  it('Run Prompt fills the selection, file and language, asks for the other variables, and falls back from a model the provider lacks', async () => {
    await write(
      'prompts/explain-selection.prompt.yml',
      [
        'name: Explain for an audience',
        'description: Explains the selected code for a given audience',
        'model: meta/not-on-this-provider',
        'modelParameters:',
        '  temperature: 0.1',
        '  topP: 0.5',
        'messages:',
        '  - role: system',
        '    content: You explain {{language}} code.',
        '  - role: user',
        '    content: |',
        '      Explain {{file}} to {{audience}}:',
        '      {{selection}}',
        '',
      ].join('\n'),
    );
    const editor = await openWorkspaceFile('src/prompted.ts', CODE);
    editor.selection = new vscode.Selection(0, 0, 4, 1);
    suite.fake.server.script(reply.text('A loop that adds numbers.'));
    const info = stubWindow('showInformationMessage');
    const picks = stubWindow('showQuickPick', (_m, items) => (items as Array<{ label: string }>).find((i) => i.label === 'Explain for an audience'));
    let outcome: { kind: string; text?: string } | undefined;
    let asked: string[] = [];
    try {
      const run = await answeringInputBoxes(['new hires'], () => vscode.commands.executeCommand<{ kind: string; text?: string }>('aurelis.runPrompt'));
      outcome = run.value;
      asked = run.calls.map((c) => c.options.title ?? '');
    } finally {
      picks.restore();
      info.restore();
    }
    assert.equal(outcome?.kind, 'shown');
    assert.deepEqual(asked, ['Explain for an audience: {{audience}}']);
    const [request] = suite.fake.server.chatRequests;
    const body = request?.body as Body & { model?: string; temperature?: number; top_p?: number };
    assert.equal(body.model, TEST_MODEL, 'the prompt task chain answers');
    assert.equal(body.temperature, 0.1);
    assert.equal(body.top_p, 0.5);
    const all = allOf(body);
    assert.match(all, /You explain typescript code\./);
    assert.match(all, /Explain src\/prompted\.ts to new hires:\nexport function total/);
    assert.match(outcome?.text ?? '', /A loop that adds numbers\./);
    assert.match(outcome?.text ?? '', /meta\/not-on-this-provider, which OpenAI does not have; using the prompt files' models \(aurelis-test-model\)/);
    assert.ok(info.calls.some((c) => /does not have/.test(c.message)), 'the fallback was not said');
  });

  it('a prompt with edits: selection proposes the answer as a diff of the selection', async () => {
    await write('prompts/rename.prompt.yml', ['name: Rename t', 'edits: selection', 'messages:', '  - role: user', '    content: "Rename t to sum in:\\n{{selection}}"', ''].join('\n'));
    const editor = await openWorkspaceFile('src/rename.ts', CODE);
    editor.selection = new vscode.Selection(1, 0, 2, 100);
    suite.fake.server.script(reply.text('```ts\n  let sum = 0;\n  for (const x of xs) sum += x;\n```'));
    const outcome = await vscode.commands.executeCommand<{ kind: string; proposal?: { title: string } }>('aurelis.runPrompt', { file: workspaceUri('prompts/rename.prompt.yml').toString() });
    assert.equal(outcome?.kind, 'proposed');
    assert.equal(outcome?.proposal?.title, 'Rename t');
    assert.equal(editor.document.getText(), CODE, 'nothing is written before the user accepts');
  });

  it('Evaluate Prompt runs every row through the evaluators and shows the table', async () => {
    await write(
      'prompts/capitals.prompt.yml',
      [
        'name: Capitals',
        'messages:',
        '  - role: user',
        '    content: What is the capital of {{country}}? Answer with the city only.',
        'testData:',
        '  - {country: France, expected: Paris}',
        '  - {country: Japan, expected: Tokyo}',
        '  - {country: Peru, expected: Lima}',
        'evaluators:',
        '  - name: Names the capital',
        '    string:',
        "      contains: '{{expected}}'",
        '',
      ].join('\n'),
    );
    suite.fake.server.script(reply.text('Paris'), reply.text('Tokyo.'), reply.text('Cusco'));
    const outcome = await vscode.commands.executeCommand<{ text: string; passed: number; failed: number }>('aurelis.evaluatePrompt', { file: workspaceUri('prompts/capitals.prompt.yml').toString() });
    assert.equal(outcome?.passed, 2);
    assert.equal(outcome?.failed, 1);
    assert.match(outcome?.text ?? '', /\| 3 \| FAIL 0 \| FAIL \|/);
    assert.equal(suite.fake.server.chatRequests.length, 3);
  });

  it('an open prompt file has the Run and Evaluate CodeLens', async () => {
    await write('prompts/capitals.prompt.yml', 'name: Capitals\nmessages:\n  - role: user\n    content: hi\n');
    const uri = workspaceUri('prompts/capitals.prompt.yml');
    await showActive(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const aurelisLenses = (lenses ?? []).filter((l) => l.command?.command.startsWith('aurelis.'));
    assert.deepEqual(aurelisLenses.map((l) => [l.command?.title, l.command?.command]), [['Run', 'aurelis.runPrompt'], ['Evaluate', 'aurelis.evaluatePrompt']]);
  });
});
