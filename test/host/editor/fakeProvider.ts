// Shared set-up for the editor host tests: a fake OpenAI-compatible server on 127.0.0.1 that the
// extension's `openai` provider is pointed at (user settings + a stored key), and stubs for the
// notifications and pickers a person would answer.
import * as vscode from 'vscode';
import { FakeOpenAIServer, type FakeServerOptions } from '../../fake-server';
import { TASK_TYPES } from '../../../src/core/types';
import { aurelis } from '../support/aurelis';
import { waitFor } from '../../support/waitFor';
import { canaryKey } from '../support/canary';

/** The only model of every chain in these tests, priced at zero so spend stays under each test's control. */
export const TEST_MODEL = 'aurelis-test-model';
/** A model with a price, for tests about spend. */
export const PRICED_MODEL = 'aurelis-priced-model';

export interface FakeProvider {
  server: FakeOpenAIServer;
  key: string;
  /** Restores the settings and key, and stops the server. */
  dispose(): Promise<void>;
}

/** Settings the fake provider changes; each is reset to "unset" afterwards. */
const TOUCHED = ['provider', 'endpoints.openai', 'prices', 'cache.enabled', ...TASK_TYPES.map((t) => `models.${t}`)];

export async function useFakeProvider(options: FakeServerOptions = {}): Promise<FakeProvider> {
  const key = canaryKey('host');
  const server = await FakeOpenAIServer.start({ apiKey: key, ...options });
  const config = vscode.workspace.getConfiguration('aurelis');
  const G = vscode.ConfigurationTarget.Global;
  await config.update('provider', 'openai', G);
  await config.update('endpoints.openai', server.v1Url, G);
  for (const t of TASK_TYPES) await config.update(`models.${t}`, [TEST_MODEL], G);
  await config.update('prices', { [TEST_MODEL]: { input: 0, output: 0 }, [PRICED_MODEL]: { input: 0, output: 1000 } }, G);
  await config.update('cache.enabled', false, G);
  const api = await aurelis();
  await api.keys.set('openai', key);
  return {
    server,
    key,
    async dispose() {
      for (const setting of TOUCHED) await config.update(setting, undefined, G);
      await api.keys.delete('openai');
      await server.stop();
    },
  };
}

type Responder = (message: string, ...rest: unknown[]) => unknown;

/** Every call a stubbed window function received. */
export interface StubCall {
  message: string;
  /** The button labels (string items), or the quick pick's items. */
  items: unknown[];
  options?: unknown;
}

/**
 * Replaces `vscode.window[name]` until the returned restore function runs, answering with
 * `respond` (default: dismiss). Works because the test bundle shares the extension's `vscode`.
 */
export function stubWindow(
  name: 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage' | 'showQuickPick',
  respond: Responder = () => undefined,
): { calls: StubCall[]; restore: () => void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = w[name];
  const calls: StubCall[] = [];
  w[name] = (first: unknown, ...rest: unknown[]) => {
    if (name === 'showQuickPick') {
      return Promise.resolve(first).then((items) => {
        calls.push({ message: String((rest[0] as { title?: string } | undefined)?.title ?? ''), items: items as unknown[], options: rest[0] });
        return respond('', items, rest[0]);
      });
    }
    const options = typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : undefined;
    const items = options ? rest.slice(1) : rest;
    calls.push({ message: String(first), items, options });
    return Promise.resolve(respond(String(first), ...items));
  };
  return { calls, restore: () => (w[name] = original) };
}

let untitledDocuments = 0;

/**
 * Opens `content` as a new untitled document of `language` and waits until its editor is the active
 * one. The document has a name no earlier test used (`aurelis-test-<pid>-<n>`): a plain new untitled
 * document can be handed the "Untitled-N" name, and for a moment the text, of one a test just closed.
 */
export async function openEditor(content: string, language = 'typescript'): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `aurelis-test-${process.pid}-${++untitledDocuments}` });
  const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
  if (content) {
    const insert = new vscode.WorkspaceEdit();
    insert.insert(uri, new vscode.Position(0, 0), content);
    if (!(await vscode.workspace.applyEdit(insert))) throw new Error(`Could not write the test's text into ${uri.toString()}.`);
  }
  if (doc.getText() !== content) throw new Error(`${uri.toString()} does not hold the test's text: ${JSON.stringify(doc.getText().slice(0, 200))}`);
  return showActive(doc);
}

/** Writes a file into the test workspace (a temporary copy) and opens it in an editor, waiting until it is the active one. */
export async function openWorkspaceFile(relative: string, content: string): Promise<vscode.TextEditor> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('The host tests need a workspace folder.');
  const uri = vscode.Uri.joinPath(root, relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return showActive(await vscode.workspace.openTextDocument(uri));
}

/** Shows `doc` in the first column and resolves with its editor once it is the active one. */
export async function showActive(doc: vscode.TextDocument): Promise<vscode.TextEditor> {
  const wanted = doc.uri.toString();
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  return waitFor(`${wanted} to be the active editor`, () => vscode.window.activeTextEditor?.document.uri.toString() === wanted && vscode.window.activeTextEditor, {
    seen: () => vscode.window.activeTextEditor?.document.uri.toString() ?? 'no active editor',
  });
}

export function workspaceUri(relative: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) throw new Error('The host tests need a workspace folder.');
  return vscode.Uri.joinPath(root, relative);
}

/** Closes every editor without saving (no "Save changes?" dialog), so each test starts from an empty window. */
export async function closeEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The user message of the Nth chat request the server received. */
export function promptOf(body: unknown): string {
  const messages = (body as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
  return messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
}

/**
 * The usual set-up of an editor suite, as mocha hooks: one fake provider for the suite, and after
 * each test a reset server, `cleanUp` (e.g. reject an open proposal) and a window with no editors.
 * Use it inside `describe`; read the provider through the returned object in tests.
 */
export function useFakeProviderForSuite(cleanUp: () => Thenable<unknown> | void = () => undefined, options: FakeServerOptions = {}): { readonly fake: FakeProvider } {
  const suite = { fake: undefined as unknown as FakeProvider };
  before(async () => {
    suite.fake = await useFakeProvider(options);
  });
  after(async () => {
    await suite.fake?.dispose();
  });
  afterEach(async () => {
    suite.fake.server.reset();
    await cleanUp();
    await closeEditors();
  });
  return suite;
}
