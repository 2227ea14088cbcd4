/**
 * Which files a review reads: the paths named (folders walked, git's ignore rules respected in
 * a repository), or the changed lines git reports (working tree against a base, or staged). Paths
 * in the report are relative to the repository root (the project folder outside git), as
 * GitHub code scanning and pull-request comments expect.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AurelisError } from '../errors';
import { looksBinary } from '../tasks/codeContext';
import type { ReviewFileInput } from './batchReview';
import { changedFiles, gitRoot, listedFiles } from './gitChanges';

export interface ReviewSelection {
  paths: string[];
  changed?: string | true;
  staged?: boolean;
}

export interface ReviewInputs {
  root: string;
  files: ReviewFileInput[];
  /** Files left out, with the reason (to tell the user). */
  skipped: Array<{ path: string; reason: string }>;
}

/** Folders never worth sending to a model when no git repository says what is ignored. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'dist', 'build', 'out', 'coverage', '.venv', 'venv', '__pycache__', 'target', 'vendor']);

/** Throws AurelisError 'config' for a path that does not exist or a git option outside a repository. */
export async function reviewInputs(selection: ReviewSelection, folder: string, projectRoot: string, maxFileKB: number): Promise<ReviewInputs> {
  // git reports real paths; a folder reached through a symbolic link must compare with them.
  const cwd = realpathSync(folder);
  const inGit = await gitRoot(cwd).catch(() => undefined);
  if (selection.staged || selection.changed !== undefined) {
    if (inGit === undefined) throw new AurelisError('config', `Reviewing ${selection.staged ? 'staged changes' : 'changes'} needs a git repository, and ${cwd} is not inside one. Name the files or folders to review instead.`);
    const base = selection.changed === true || selection.changed === undefined ? 'HEAD' : selection.changed;
    const changed = await changedFiles(inGit, selection.staged ? { kind: 'staged' } : { kind: 'worktree', base });
    const within = selection.paths.map((p) => relative(inGit, path.resolve(cwd, p)));
    const files = changed.filter((f) => within.length === 0 || within.some((w) => w === '' || f.path === w || f.path.startsWith(`${w}/`)));
    return { root: inGit, ...sendable(files, maxFileKB) };
  }
  const root = inGit ?? realpathSync(projectRoot);
  const named = selection.paths.length > 0 ? selection.paths : ['.'];
  for (const p of named) if (!existsSync(path.resolve(cwd, p))) throw new AurelisError('config', `${p} does not exist. Name files or folders that do (paths are relative to ${cwd}).`);
  const absolute = inGit !== undefined ? (await listedFiles(inGit, named.map((p) => path.resolve(cwd, p)))).map((f) => path.join(inGit, f)) : await walk(named.map((p) => path.resolve(cwd, p)));
  const files: ReviewFileInput[] = [];
  for (const file of [...new Set(absolute)].sort()) {
    if (!existsSync(file) || !(await stat(file)).isFile()) continue;
    files.push({ path: relative(root, file), text: await readFile(file, 'utf8') });
  }
  return { root, ...sendable(files, maxFileKB) };
}

/** Text files within the size limit; binary files are left out quietly, oversized ones with a reason. */
function sendable(all: ReviewFileInput[], maxFileKB: number): Pick<ReviewInputs, 'files' | 'skipped'> {
  const skipped: ReviewInputs['skipped'] = [];
  const files = all.filter((f) => {
    if (looksBinary(f.text)) return false;
    if (Buffer.byteLength(f.text) > maxFileKB * 1024) {
      skipped.push({ path: f.path, reason: `it is over ${maxFileKB} KB (the limit for code sent to a model), likely generated or bundled code` });
      return false;
    }
    return true;
  });
  return { files, skipped };
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
