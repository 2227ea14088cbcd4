/**
 * `aurelis hook install`: a git pre-commit hook that reviews the staged changes and stops the
 * commit on error-level findings (`git commit --no-verify` skips it). It runs this same
 * `aurelis` with the same Node, so it works without a global install.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CliError, EXIT, type ExitCode } from '../exitCodes';
import { say } from '../terminal';
import { errorMessage } from '../../shared/errorMessage';

const MARK = '# Installed by "aurelis hook install".';

export async function hookInstall(options: { force?: boolean; failOn?: string }): Promise<ExitCode> {
  const hooksDir = await gitPath('hooks');
  const file = path.join(hooksDir, 'pre-commit');
  if (existsSync(file) && !options.force) {
    const existing = await readFile(file, 'utf8');
    if (!existing.includes(MARK)) throw new CliError(`${file} already exists and was not written by Aurelis. Add "aurelis review --staged --fail-on error" to it yourself, or run "aurelis hook install --force" to replace it.`);
  }
  const cli = path.resolve(process.argv[1] ?? 'aurelis');
  const failOn = options.failOn ?? 'error';
  const script = [
    '#!/bin/sh',
    MARK,
    '# Reviews the staged changes; a finding at or above the threshold stops the commit.',
    '# Skip once with: git commit --no-verify',
    `exec ${shellQuote(process.execPath)} ${shellQuote(cli)} review --staged --fail-on ${failOn} --format text`,
    '',
  ].join('\n');
  await mkdir(hooksDir, { recursive: true });
  await writeFile(file, script);
  await chmod(file, 0o755);
  say(`Installed the pre-commit hook (${file}): commits with ${failOn}-level findings in their staged changes are stopped.`);
  return EXIT.ok;
}

async function gitPath(name: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--git-path', name], { encoding: 'utf8' });
    return path.resolve(stdout.trim());
  } catch (e) {
    throw new CliError(`"aurelis hook install" needs a git repository, and this folder is not inside one (${errorMessage(e).split('\n')[0] ?? ''}).`);
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
