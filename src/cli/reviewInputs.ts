/**
 * Which files a review reads: the paths named (folders walked, git's ignore rules respected in
 * a repository), or the changed lines git reports (`--changed [<base>]`, `--staged`). Paths
 * in the report are relative to the repository root (the project folder outside git), as
 * GitHub code scanning and pull-request comments expect.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { changedFiles, gitRoot, listedFiles } from '../core/review/gitChanges';
import type { ReviewFileInput } from '../core/review/batchReview';
import { looksBinary } from '../core/tasks/codeContext';
import { CliError } from './exitCodes';
import { say } from './terminal';

export interface ReviewSelection {
  paths: string[];
  changed?: string | true;
  staged?: boolean;
}

export interface ReviewInputs {
  root: string;
  files: ReviewFileInput[];
}

/** Folders never worth sending to a model when no git repository says what is ignored. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'dist', 'build', 'out', 'coverage', '.venv', 'venv', '__pycache__', 'target', 'vendor']);

export async function reviewInputs(selection: ReviewSelection, cwd: string, projectRoot: string, maxFileKB: number): Promise<ReviewInputs> {
  const inGit = await gitRoot(cwd).catch(() => undefined);
  if (selection.staged || selection.changed !== undefined) {
    if (inGit === undefined) throw new CliError(`${selection.staged ? '--staged' : '--changed'} needs a git repository, and ${cwd} is not inside one. Name the files or folders to review instead.`);
    const base = selection.changed === true || selection.changed === undefined ? 'HEAD' : selection.changed;
    const changed = await changedFiles(inGit, selection.staged ? { kind: 'staged' } : { kind: 'worktree', base });
    const within = selection.paths.map((p) => relative(inGit, path.resolve(cwd, p)));
    const files = changed.filter((f) => within.length === 0 || within.some((w) => w === '' || f.path === w || f.path.startsWith(`${w}/`)));
    return { root: inGit, files: sendable(files, maxFileKB) };
  }
  const root = inGit ?? projectRoot;
  const named = selection.paths.length > 0 ? selection.paths : ['.'];
  for (const p of named) if (!existsSync(path.resolve(cwd, p))) throw new CliError(`${p} does not exist. Name files or folders that do (paths are relative to ${cwd}).`);
  const absolute = inGit !== undefined ? (await listedFiles(inGit, named.map((p) => path.resolve(cwd, p)))).map((f) => path.join(inGit, f)) : await walk(named.map((p) => path.resolve(cwd, p)));
  const files: ReviewFileInput[] = [];
  for (const file of [...new Set(absolute)].sort()) {
    if (!existsSync(file) || !(await stat(file)).isFile()) continue;
    files.push({ path: relative(root, file), text: await readFile(file, 'utf8') });
  }
  return { root, files: sendable(files, maxFileKB) };
}

/** Text files within the size limit; the others are named on stderr and left out. */
function sendable(files: ReviewFileInput[], maxFileKB: number): ReviewFileInput[] {
  return files.filter((f) => {
    if (looksBinary(f.text)) return false;
    if (Buffer.byteLength(f.text) > maxFileKB * 1024) {
      say(`aurelis: skipped ${f.path}: it is over ${maxFileKB} KB (security.max_file_kb), likely generated or bundled code.`);
      return false;
    }
    return true;
  });
}

async function walk(entries: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of entries) {
    const info = await stat(entry);
    if (info.isFile()) found.push(entry);
    else if (info.isDirectory()) {
      const children = await readdir(entry, { withFileTypes: true });
      const next = children.filter((c) => !(c.isDirectory() && (SKIPPED_FOLDERS.has(c.name) || c.name.startsWith('.')))).map((c) => path.join(entry, c.name));
      found.push(...(await walk(next)));
    }
  }
  return found;
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
