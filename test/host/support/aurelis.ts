// Helpers for host tests: reach the running extension, answer its input boxes, read what it wrote.
import * as vscode from 'vscode';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import manifest from '../../../package.json';
import type { AurelisTestApi } from '../../../src/extension/extension';

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/**
 * The activated extension's API with its test probes (activating it when needed), once its
 * settings have been read (just after activation). The probes exist only because the host runner
 * loads Aurelis in Test mode.
 */
export async function aurelis(): Promise<AurelisTestApi> {
  const extension = vscode.extensions.getExtension<AurelisTestApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host.`);
  const api = await extension.activate();
  if (!('keys' in api)) throw new Error(`${EXTENSION_ID} exports no test probes: it is not running in Test mode.`);
  await api.settingsRead();
  return api;
}

/** What an input box was opened with, and what the stub did about it. */
export interface InputBoxCall {
  options: vscode.InputBoxOptions;
  /** The validation message for the answer, when `validateInput` refused it. */
  refusedWith?: string;
}

/**
 * Runs `action` while `window.showInputBox` answers with `answers` in turn (undefined = the user
 * pressed Escape). An answer that the box's `validateInput` refuses is treated like Escape, as a
 * person could not submit it either. This works because the test bundle lies inside the
 * extension's folder, so VS Code gives tests and extension the same `vscode` API object.
 */
export async function answeringInputBoxes<T>(answers: readonly (string | undefined)[], action: () => Thenable<T>): Promise<{ value: T; calls: InputBoxCall[] }> {
  const original = vscode.window.showInputBox;
  const calls: InputBoxCall[] = [];
  const queue = [...answers];
  vscode.window.showInputBox = async (options: vscode.InputBoxOptions = {}) => {
    const call: InputBoxCall = { options };
    calls.push(call);
    if (queue.length === 0) throw new Error(`Unexpected input box: ${options.title ?? options.prompt ?? '(untitled)'}`);
    const answer = queue.shift();
    if (answer === undefined) return undefined;
    const verdict = await options.validateInput?.(answer);
    const message = typeof verdict === 'string' ? verdict : verdict?.message;
    if (message) {
      call.refusedWith = message;
      return undefined;
    }
    return answer;
  };
  try {
    return { value: await action(), calls };
  } finally {
    vscode.window.showInputBox = original;
  }
}

/** The user-data folder the runner started VS Code with (AURELIS_USER_DATA_DIR). */
export function userDataDir(): string {
  const dir = process.env.AURELIS_USER_DATA_DIR;
  if (!dir) throw new Error('AURELIS_USER_DATA_DIR is not set: run host tests through scripts/host/run-host-tests.mjs or test:desktop.');
  return dir;
}

/** The user settings.json text ('' before anything was saved). */
export function userSettingsText(): string {
  const file = path.join(userDataDir(), 'User', 'settings.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name === name)
    .map((d) => path.join(d.parentPath, d.name));
}

/** Everything the Aurelis log channel has written to disk in this session. */
export function aurelisLogText(): string {
  return findFiles(path.join(userDataDir(), 'logs'), 'Aurelis.log')
    .filter((f) => f.includes(EXTENSION_ID))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

/** One line of the audit log, as JSON. */
export interface AuditLine {
  type: string;
  [field: string]: unknown;
}

/** Every line of the audit log, read through Export Audit Log (the command an administrator uses). */
export async function auditLines(): Promise<AuditLine[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-audit-export-'));
  try {
    const target = path.join(dir, 'audit.jsonl');
    const outcome = await vscode.commands.executeCommand<{ lines: number }>('aurelis.exportAuditLog', target);
    const lines = readFileSync(target, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditLine);
    if (lines.length !== outcome?.lines) throw new Error(`Export Audit Log said ${String(outcome?.lines)} lines but wrote ${lines.length}.`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
