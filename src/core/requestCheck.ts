/**
 * The request check at the pipeline's edge: every request is validated once, as it enters
 * `Orchestrator.run`. zod costs tens of microseconds per request in the middle of a busy
 * pipeline (its parsers see every schema of the process), and every request pays it before it is
 * sent. The shapes commands build — a task, a prompt or messages, plain optional fields — are
 * recognised by a structural check that accepts only what TaskRequestSchema accepts and builds
 * the same output (a copy holding the known fields); anything else (a response format, an
 * unknown field, a wrong type) goes to zod, which decides and explains.
 */
import { AurelisError } from './errors';
import { TASK_TYPES, TaskRequestSchema, type TaskRequest } from './types';

/** The request as the pipeline trusts it; throws 'bad_request' naming each problem. */
export function checkedRequest(input: unknown): TaskRequest {
  const plain = plainRequest(input);
  if (plain) return plain;
  const parsed = TaskRequestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
  throw new AurelisError('bad_request', `The request is not valid (${problems}).`, { nextSteps: ['viewLog'] });
}

const TASKS: ReadonlySet<unknown> = new Set(TASK_TYPES);
const ROLES: ReadonlySet<unknown> = new Set(['system', 'developer', 'user', 'assistant']);
const METADATA_FIELDS: ReadonlySet<string> = new Set(['language', 'framework', 'style', 'prompt', 'file']);

/**
 * The copy zod would make of a request in a usual shape, or undefined when zod must decide.
 * Exported for the test that holds it to zod's verdict.
 */
export function plainRequest(input: unknown): TaskRequest | undefined {
  if (!isPlainObject(input)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in input) {
    if (!Object.hasOwn(input, key)) return undefined;
    const value = input[key];
    if (value === undefined) {
      // zod keeps a known optional field that is present but undefined; `task` must be set.
      if (key === 'task' || !KNOWN_FIELDS.has(key)) return undefined;
      out[key] = undefined;
      continue;
    }
    const copied = copyField(key, value);
    if (copied === undefined) return undefined;
    out[key] = copied;
  }
  if (!TASKS.has(out['task'])) return undefined;
  const prompt = out['prompt'] as string | undefined;
  const messages = out['messages'] as unknown[] | undefined;
  if (!((prompt !== undefined && prompt.length > 0) || (messages !== undefined && messages.length > 0))) return undefined;
  return out as TaskRequest;
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'task',
  'prompt',
  'systemPrompt',
  'messages',
  'temperature',
  'maxTokens',
  'topP',
  'metadata',
  'model',
  'stream',
  'bypassCache',
  'budgetOverride',
]);

/** The field's value as zod outputs it, or undefined when it is not a plain valid value (or not a field the check knows). */
function copyField(key: string, value: unknown): unknown {
  switch (key) {
    case 'task':
    case 'prompt':
    case 'systemPrompt':
      return typeof value === 'string' ? value : undefined;
    case 'model':
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    case 'stream':
    case 'bypassCache':
    case 'budgetOverride':
      return typeof value === 'boolean' ? value : undefined;
    case 'temperature':
      return finiteIn(value, 0, 2) ? value : undefined;
    case 'topP':
      return finiteIn(value, 0, 1) ? value : undefined;
    case 'maxTokens':
      return Number.isSafeInteger(value) && (value as number) > 0 ? value : undefined;
    case 'messages':
      return copyMessages(value);
    case 'metadata':
      return copyMetadata(value);
    default:
      return undefined;
  }
}

function copyMessages(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const m: unknown = value[i];
    if (!isPlainObject(m) || !ROLES.has(m['role']) || typeof m['content'] !== 'string') return undefined;
    // Any other field (a name, a tool call) is for zod to strip; the usual message has just these two.
    for (const key in m) if (key !== 'role' && key !== 'content') return undefined;
    out[i] = { role: m['role'], content: m['content'] };
  }
  return out;
}

function copyMetadata(value: unknown): Record<string, string> | undefined {
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const key in value) {
    const field = value[key];
    if (!Object.hasOwn(value, key) || !METADATA_FIELDS.has(key) || typeof field !== 'string') return undefined;
    out[key] = field;
  }
  return out;
}

function finiteIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && value >= min && value <= max;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
