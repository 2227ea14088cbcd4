/**
 * Which of a project's instruction files apply to a file: the root `AGENTS.md`, the nearest
 * `AGENTS.md` above the file (when it is not the root's), `.github/copilot-instructions.md`,
 * and every `.github/instructions/*.instructions.md` whose `applyTo` glob matches the file's
 * path. The same files, in the same order, for the editor and the command line.
 */
import path from 'node:path';
import { minimatch } from 'minimatch';
import { applyToGlobs, splitFrontMatter } from './frontMatter';
import type { ProjectFiles } from './projectFiles';

export const AGENTS_FILE = 'AGENTS.md';
export const COPILOT_INSTRUCTIONS = '.github/copilot-instructions.md';
export const INSTRUCTIONS_FOLDER = '.github/instructions';
const INSTRUCTIONS_SUFFIX = '.instructions.md';

export interface InstructionFile {
  /** Project-relative path, as the footer and the Restricted Mode question name it. */
  path: string;
  /** The instructions themselves (front matter removed). */
  text: string;
}

export interface FoundInstructions {
  files: InstructionFile[];
  /** Files that exist but could not be used, with why (logged; the request goes on without them). */
  problems: string[];
}

/**
 * The instruction files for `filePath` (project-relative, forward slashes; undefined when the
 * request is about no file, e.g. an untitled editor: then only the project-wide ones apply).
 */
export async function findInstructions(files: ProjectFiles, filePath: string | undefined): Promise<FoundInstructions> {
  const found: InstructionFile[] = [];
  const problems: string[] = [];
  const add = (file: string, text: string | undefined) => {
    if (text !== undefined && text.trim() !== '') found.push({ path: file, text: text.trim() });
  };

  add(AGENTS_FILE, await files.read(AGENTS_FILE));
  const nearest = filePath === undefined ? undefined : await nearestAgentsFile(files, filePath);
  if (nearest !== undefined) add(nearest.path, nearest.text);
  add(COPILOT_INSTRUCTIONS, await files.read(COPILOT_INSTRUCTIONS));

  const names = (await files.list(INSTRUCTIONS_FOLDER)).filter((n) => n.endsWith(INSTRUCTIONS_SUFFIX)).sort();
  for (const name of names) {
    const file = `${INSTRUCTIONS_FOLDER}/${name}`;
    const text = await files.read(file);
    if (text === undefined) continue;
    const { fields, body, problem } = splitFrontMatter(text);
    if (problem !== undefined) {
      problems.push(`${file}: its front matter is not valid YAML (${problem}), so it is not used.`);
      continue;
    }
    const globs = applyToGlobs(fields.applyTo);
    // Without applyTo a file is not attached automatically (it is meant to be attached by hand).
    if (filePath === undefined || !globs.some((glob) => appliesTo(glob, filePath))) continue;
    add(file, body);
  }
  return { files: found, problems };
}

/** Whether an `applyTo` glob matches a project-relative path (`**` matches every file). */
export function appliesTo(glob: string, filePath: string): boolean {
  const pattern = glob.replace(/^\.?\//, '');
  return minimatch(filePath, pattern, { dot: true, matchBase: !pattern.includes('/') });
}

/** The closest `AGENTS.md` in a folder above the file, below the root (the root's is read anyway). */
async function nearestAgentsFile(files: ProjectFiles, filePath: string): Promise<InstructionFile | undefined> {
  for (let dir = path.posix.dirname(filePath); dir !== '.' && dir !== '/' && dir !== ''; dir = path.posix.dirname(dir)) {
    const file = `${dir}/${AGENTS_FILE}`;
    const text = await files.read(file);
    if (text !== undefined && text.trim() !== '') return { path: file, text };
  }
  return undefined;
}
