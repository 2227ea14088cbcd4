/**
 * Runs the built command line (dist/cli.js) as a child process, the way a user or a CI step
 * does, with an environment made for the test: its own AURELIS_HOME and HOME, the key in the
 * provider's usual variable, and the fake server as the endpoint. Nothing is inherited from
 * the machine but PATH, so a developer's own keys or CI variables cannot leak in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordedRequest } from '../../fake-server';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" first (npm test builds it).`);
}

export function runCli(args: string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<CliRun> {
  return startCli(args, options).done;
}

/** The running process too, for tests that signal it. */
export function startCli(args: string[], options: { cwd: string; env: Record<string, string | undefined> }): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: definedOnly(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

export function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A scratch folder removed by the returned function. */
export function scratch(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `aurelis-cli-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment every run starts from: PATH only, plus the test's own homes. */
export function baseEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: path.join(home, 'user'),
    AURELIS_HOME: path.join(home, 'aurelis-home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    ...extra,
  };
}

/** The user message of a chat request (where the code is). */
export function promptOf(request: RecordedRequest): string {
  const body = request.body as { messages?: Array<{ role: string; content: string }> };
  return (body.messages ?? []).filter((m) => m.role === 'user').map((m) => m.content).join('\n');
}
