/** The kinds of request Aurelis makes. Browser-safe: the analytics panel filters and labels by them. */
import { z } from 'zod';

/** Appended to, never reordered: the ledger's columnar snapshots store a task by its index here. */
export const TASK_TYPES = ['generate', 'review', 'explain', 'optimize', 'document', 'test', 'fix', 'refactor', 'general', 'prompt'] as const;
export const TaskTypeSchema = z.enum(TASK_TYPES);
export type TaskType = z.infer<typeof TaskTypeSchema>;
