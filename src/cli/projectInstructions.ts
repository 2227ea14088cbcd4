/**
 * The project's instruction files (AGENTS.md, GitHub's Copilot instruction files) and the
 * `.aurelis.yaml` standards for a command-line request, read from the project root on disk —
 * the same files, in the same order and allowance, as the editor. What went with a request is
 * named on stderr, as the editor's footer names it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fitInstructions } from '../core/instructions/instructionAllowance';
import { findInstructions } from '../core/instructions/instructionFiles';
import type { ProjectFiles } from '../core/instructions/projectFiles';
import { instructionsLabel, withInstructions } from '../core/instructions/projectInstructions';
import { withStandards } from '../core/instructions/teamStandards';
import type { TaskRequest } from '../core/types';
import type { Session } from './session';
import { say } from './terminal';

/** Instruction files larger than this are not read (they are meant to be short). */
const MAX_BYTES = 256 * 1024;

export function diskFiles(root: string): ProjectFiles {
  const full = (relative: string) => path.join(root, ...relative.split('/'));
  return {
    async read(relative) {
      try {
        const info = await stat(full(relative));
        if (!info.isFile() || info.size > MAX_BYTES) return undefined;
        return await readFile(full(relative), 'utf8');
      } catch {
        return undefined;
      }
    },
    async list(relative) {
      try {
        return (await readdir(full(relative), { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
      } catch {
        return [];
      }
    },
  };
}

/**
 * `request` with the team's standards and the project's instructions for `file` (project-relative,
 * when there is one). With `announced` (a batch), each message is said once for the whole run.
 */
export async function withProject(session: Session, request: TaskRequest, file: string | undefined, announced?: Set<string>): Promise<TaskRequest> {
  const tell = (message: string) => {
    if (announced?.has(message)) return;
    announced?.add(message);
    say(message);
  };
  const standards = withStandards(request, session.project.config.standards ?? {});
  const options = session.settings.instructions;
  if (!options.enabled) return standards;
  const found = await findInstructions(diskFiles(session.project.root), file);
  for (const problem of found.problems) tell(`aurelis: project instructions: ${problem}`);
  if (found.files.length === 0) return standards;
  const fitted = fitInstructions(found.files, options.maxTokens);
  const names = fitted.files.map((f) => (f.path === fitted.cut ? `${f.path} (cut to fit)` : f.path));
  tell(`aurelis: ${instructionsLabel(names)}${fitted.omitted.length ? ` (left out: ${fitted.omitted.join(', ')})` : ''}`);
  return withInstructions(standards, fitted);
}
