/**
 * The team's standards from `.aurelis.yaml` (`standards: code_style, test_framework,
 * documentation_style`) and how each steers a task: Review checks against the code style,
 * Document writes in the documentation style, Generate Tests uses the declared framework (it
 * wins over a detected one) and follows the code style.
 */
import { z } from 'zod';
import type { TaskRequest } from '../types';

export const StandardsSchema = z.strictObject({
  code_style: z.string().trim().min(1).max(2000).optional(),
  test_framework: z.string().trim().min(1).max(200).optional(),
  documentation_style: z.string().trim().min(1).max(2000).optional(),
});
export type TeamStandards = z.infer<typeof StandardsSchema>;

/** The sentences the team's standards add to a task's system prompt; empty when none apply. */
export function standardsFor(task: TaskRequest['task'], standards: TeamStandards): string[] {
  const lines: string[] = [];
  const style = standards.code_style;
  if (style && (task === 'review' || task === 'document' || task === 'test' || task === 'generate')) {
    lines.push(task === 'review' ? `Also check the code against the team's code style: ${style}` : `Follow the team's code style: ${style}`);
  }
  if (standards.documentation_style && task === 'document') lines.push(`Write the documentation in the team's documentation style: ${standards.documentation_style}`);
  if (standards.test_framework && task === 'test') lines.push(`The team writes tests with ${standards.test_framework}; use it.`);
  return lines;
}

export function withStandards(request: TaskRequest, standards: TeamStandards): TaskRequest {
  const lines = standardsFor(request.task, standards);
  if (lines.length === 0) return request;
  const block = `# Team standards (from .aurelis.yaml)\n\n${lines.join('\n')}`;
  return { ...request, systemPrompt: request.systemPrompt ? `${request.systemPrompt}\n\n${block}` : block };
}
