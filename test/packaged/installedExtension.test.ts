// The packaged .vsix, installed into code-server with --install-extension as a user installs it
// (scripts/host/run-packaged-tests.mjs), beside a second extension that is not Aurelis
// (test/fixtures/other-extension). Aurelis runs in Production mode here: the tests prove the
// shipped artefact activates and works, and that another extension gets nothing it should not.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeOpenAIServer, reply } from '../fake-server';
import { canaryKey, CANARY_MARK } from '../host/support/canary';
import { TEST_PROBES } from '../../src/extension/publicApi';
import manifest from '../../package.json';
import { changeUserSettings } from '../ui/support/userSettings';
import { Workbench, workspacePath } from '../ui/support/workbench';
import { waitFor } from '../support/waitFor';

const FILE = 'src/greeting.ts';
const CODE = ['export function greet(name: string): string {', '  return `Hello, ${name}!`;', '}', ''].join('\n');
const MODEL = 'aurelis-packaged-model';

interface ProbeReport {
  aurelisActive: boolean;
  members: string[];
  obtained: string[];
  tampered: string[];
  visited: number;
  commands: Record<string, string>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through scripts/host/run-packaged-tests.mjs.`);
  return value;
}

describe('The packaged extension, installed from its .vsix beside another extension', () => {
  const key = canaryKey('packaged');
  let server: FakeOpenAIServer;
  let restoreSettings: () => void;
  let workbench: Workbench;

  /** Runs the other extension's probe and reads what it obtained. */
  async function probe(): Promise<{ report: ProbeReport; text: string }> {
    const file = env('AURELIS_PROBE_FILE');
    rmSync(file, { force: true });
    rmSync(`${file}.log`, { force: true });
    await workbench.clearNotifications();
    await workbench.runCommand('Aurelis Probe: Try Everything Aurelis Exports');
    // The probe's report file is its answer (its notification may be folded away among others).
    await waitFor('the probe to write its report', () => existsSync(file) || existsSync(`${file}.error`), {
      timeoutMs: 90_000,
      intervalMs: 200,
      seen: () => `its steps so far:\n${existsSync(`${file}.log`) ? readFileSync(`${file}.log`, 'utf8') : '(the probe logged nothing)'}`,
    });
    if (existsSync(`${file}.error`)) assert.fail(`the probe failed: ${readFileSync(`${file}.error`, 'utf8')}`);
    const text = readFileSync(file, 'utf8');
    return { report: JSON.parse(text) as ProbeReport, text };
  }

  /** Explain on the file's function, through the palette; resolves once the explanation is shown. */
  async function explain(answer: string): Promise<void> {
    await workbench.closeAllEditors();
    await workbench.openFile(FILE);
    await workbench.selectLines(1, 3);
    server.script(reply.text(answer));
    await workbench.runCommand('Aurelis: Explain');
    await workbench.webviewWith(answer, 60_000);
  }

  before(async () => {
    const file = workspacePath(...FILE.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, CODE);
    server = await FakeOpenAIServer.start({ apiKey: key });
    restoreSettings = changeUserSettings({
      'aurelis.endpoints': { openai: server.v1Url },
      'aurelis.models.explain': [MODEL],
      'aurelis.cache.enabled': false,
    });
    workbench = await Workbench.open();
  });

  after(async () => {
    await workbench?.close();
    restoreSettings?.();
    await server?.stop();
  });

  it('was installed into the extensions folder from the .vsix, not loaded from the source folder', () => {
    const installed = readdirSync(env('AURELIS_EXTENSIONS_DIR')).filter((d) => d.startsWith(`${manifest.publisher}.${manifest.name}-`));
    assert.deepEqual(installed, [`${manifest.publisher}.${manifest.name}-${manifest.version}`]);
    const folder = path.join(env('AURELIS_EXTENSIONS_DIR'), installed[0] ?? '');
    assert.ok(existsSync(path.join(folder, 'dist', 'extension.js')), 'the bundle is not in the installed extension');
    assert.equal(existsSync(path.join(folder, 'src')), false, 'the source folder was packaged');
  });

  it('activates, takes a key through Set API Key and explains code against the provider', async () => {
    await workbench.runCommand('Aurelis: Set API Key');
    await workbench.pick('Aurelis: Set API Key for…', 'OpenAI');
    await workbench.answerInputBox('Aurelis: API key for OpenAI', key);
    await workbench.notification('API key for OpenAI saved');
    await explain('It greets someone by name.');
    const request = server.chatRequests.at(-1);
    assert.equal(request?.headers.authorization, `Bearer ${key}`);
    assert.equal((request?.body as { model?: string }).model, MODEL);
    await workbench.screenshot('packaged-explain');
  });

  it('exports only its product API to another extension: no test probe, no key store', async () => {
    const { report } = await probe();
    assert.equal(report.aurelisActive, true);
    assert.deepEqual([...report.members].sort(), ['apiVersion', 'budgetStatus', 'runningRequests']);
    for (const name of TEST_PROBES) assert.equal(report.members.includes(name), false, `the installed extension exports the test probe ${name}`);
  });

  it('another extension that reads, calls, walks and tampers with every member obtains no key and changes nothing', async () => {
    const { report, text } = await probe();
    assert.ok(report.visited > 10, `the probe looked at only ${report.visited} values`);
    assert.equal(text.includes(key), false, 'the key reached the other extension');
    assert.equal(text.includes(CANARY_MARK), false, 'the canary mark reached the other extension');
    assert.deepEqual(report.tampered, [], `the other extension changed the exports: ${report.tampered.join(', ')}`);
    // Commands hand back plain copies: Show Analytics gives nothing to hold on to.
    assert.equal(report.commands['aurelis.showAnalytics'], 'undefined');
    // The stored key is unchanged: the next request still carries it.
    server.reset();
    await explain('It returns a greeting.');
    assert.equal(server.chatRequests.at(-1)?.headers.authorization, `Bearer ${key}`, 'the stored key changed');
  });
});
