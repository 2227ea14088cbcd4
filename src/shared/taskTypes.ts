/**
 * The kinds of request Aurelis makes. Browser-safe: the analytics panel filters and labels by them.
 * Plain lists without zod (start-up path); the schemas are in idSchemas.ts.
 */

/**
 * Every task a usage record has ever carried. Appended to, never reordered or shortened: the
 * ledger's columnar snapshots store a task by its index here, and old records keep their ids.
 */
export const RECORDED_TASKS = ['generate', 'review', 'explain', 'optimize', 'document', 'test', 'fix', 'refactor', 'general', 'prompt'] as const;
export type RecordedTask = (typeof RECORDED_TASKS)[number];

/** Tasks no command asks for any more; records from before still read, count and show under their names. */
export const RETIRED_TASKS = ['refactor', 'general'] as const satisfies readonly RecordedTask[];
type RetiredTask = (typeof RETIRED_TASKS)[number];

/** The tasks Aurelis runs (and has settings for), in the order pickers list them. */
export const TASK_TYPES = RECORDED_TASKS.filter((t): t is Exclude<RecordedTask, RetiredTask> => !(RETIRED_TASKS as readonly string[]).includes(t));
export type TaskType = (typeof TASK_TYPES)[number];
