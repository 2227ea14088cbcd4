/**
 * What changed, from git: the files and the lines of their new text that a diff adds or
 * changes — staged (the index against HEAD), or the working tree against a base commit (HEAD,
 * or the merge base with a branch, as a pull request sees it) plus files git does not track yet.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AurelisError } from '../errors';
import type { LineRange } from './reviewChunks';
import { errorMessage } from '../../shared/errorMessage';

export interface ChangedFile {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  /** The file's new text (from the index when staged). */
  text: string;
  /** Added or changed lines of the new text. */
  changed: LineRange[];
}

export type ChangeSource = { kind: 'staged' } | { kind: 'worktree'; base: string };

/** The repository's top folder. Throws 'config' when `cwd` is not inside a git repository. */
export async function gitRoot(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch (e) {
    throw new AurelisError('config', `${cwd} is not inside a git repository (${message(e)}). Run the review from a clone, or name the files to review.`, { cause: e });
  }
}

export async function changedFiles(root: string, source: ChangeSource): Promise<ChangedFile[]> {
  const range = source.kind === 'staged' ? ['--cached'] : [await baseCommit(root, source.base)];
  const common = ['--no-renames', '--diff-filter=ACM', '--no-ext-diff', '--no-color', '--no-textconv'];
  const names = splitZ(await git(root, ['diff', '--name-only', '-z', ...common, ...range]));
  const diff = await git(root, ['-c', 'core.quotePath=false', 'diff', '-U0', ...common, ...range]);
  const sections = diff.split(/^diff --git /m).slice(1);
  const files: ChangedFile[] = [];
  for (const [i, name] of names.entries()) {
    const changed = hunksOf(sections[i] ?? '');
    if (changed.length === 0) continue;
    files.push({ path: name, text: await contentOf(root, name, source), changed });
  }
  if (source.kind === 'worktree') {
    for (const name of splitZ(await git(root, ['ls-files', '--others', '--exclude-standard', '-z']))) {
      const text = await readFile(path.join(root, name), 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > 0) files.push({ path: name, text, changed: [{ from: 1, to: lines }] });
    }
  }
  return files;
}

/** Tracked and untracked (not ignored) files under `paths`, relative to the root. */
export async function listedFiles(root: string, paths: readonly string[]): Promise<string[]> {
  return splitZ(await git(root, ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', ...paths]));
}

/** The lines `@@ -a,b +c,d @@` headers add: `c..c+d-1` (a pure deletion adds none). */
export function hunksOf(section: string): LineRange[] {
  const ranges: LineRange[] = [];
  for (const m of section.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const from = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count > 0) ranges.push({ from, to: from + count - 1 });
  }
  return ranges;
}

/** HEAD stays HEAD; a branch becomes its merge base with HEAD (the changes a pull request shows). */
async function baseCommit(root: string, base: string): Promise<string> {
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  } catch (e) {
    throw new AurelisError('config', `"${base}" is not a commit git knows here (${message(e)}). Fetch it first (in CI: actions/checkout with fetch-depth: 0), or name another base.`, { cause: e });
  }
  if (base === 'HEAD') return base;
  try {
    return (await git(root, ['merge-base', base, 'HEAD'])).trim();
  } catch {
    // Unrelated histories: compare with the base itself.
    return base;
  }
}

async function contentOf(root: string, name: string, source: ChangeSource): Promise<string> {
  if (source.kind === 'staged') return git(root, ['show', `:${name}`]);
  return readFile(path.join(root, name), 'utf8');
}

function splitZ(text: string): string[] {
  return text.split('\0').filter((s) => s.length > 0);
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
    });
  });
}

function message(e: unknown): string {
  return errorMessage(e).split('\n')[0] ?? '';
}
