/**
 * The string evaluators of GitHub's prompt files: `equals` compares exactly; `contains`,
 * `startsWith` and `endsWith` ignore case unless `caseSensitive: true`. The expected text may use
 * the test row's `{{variables}}` (e.g. `equals: "{{expected}}"`).
 */
import type { StringCheck } from './promptFileSchema';
import { fillTemplate } from './promptVariables';

export interface CheckOutcome {
  passed: boolean;
  /** 1 or 0 for string checks; the chosen choice's score for model-graded ones. */
  score: number;
  /** What was compared, or what the judge chose, for the table. */
  detail: string;
}

export function runStringCheck(check: StringCheck, answer: string, row: Readonly<Record<string, string>>): CheckOutcome {
  const [kind, raw] = (Object.entries(check).find(([k, v]) => k !== 'caseSensitive' && v !== undefined) ?? ['equals', '']) as [keyof StringCheck, string];
  const expected = fillTemplate(raw, row).text;
  const exact = kind === 'equals' || check.caseSensitive === true;
  const a = exact ? answer.trim() : answer.trim().toLowerCase();
  const e = exact ? expected.trim() : expected.trim().toLowerCase();
  const passed = kind === 'equals' ? a === e : kind === 'contains' ? a.includes(e) : kind === 'startsWith' ? a.startsWith(e) : a.endsWith(e);
  return { passed, score: passed ? 1 : 0, detail: `${kind} "${expected.length > 40 ? `${expected.slice(0, 40)}…` : expected}"` };
}
