/**
 * Puts a project's instructions into a task's request: after the task's own system prompt, under
 * a heading per file, so the task's answer format still comes first and wins where they clash.
 * The system prompt is part of the cache key, so a change to AGENTS.md is a different request.
 */
import type { TaskRequest } from '../types';
import type { FittedInstructions } from './instructionAllowance';

const PREAMBLE =
  "The project you are working in has instructions for contributors. Follow them where they apply to this task, but the answer format above always wins.";

export function withInstructions(request: TaskRequest, fitted: FittedInstructions): TaskRequest {
  if (fitted.files.length === 0) return request;
  const sections = fitted.files.map((f) => `## From ${f.path}\n\n${f.text}`);
  const block = `# Project instructions\n\n${PREAMBLE}\n\n${sections.join('\n\n')}`;
  return { ...request, systemPrompt: request.systemPrompt ? `${request.systemPrompt}\n\n${block}` : block };
}

/** "with AGENTS.md, .github/copilot-instructions.md" — how the result footer names them. */
export function instructionsLabel(paths: readonly string[]): string {
  return paths.length === 0 ? '' : `with ${paths.join(', ')}`;
}
