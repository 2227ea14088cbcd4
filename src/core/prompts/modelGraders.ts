/**
 * Model-graded evaluators: a judge model reads the answer (and the row's input and expected
 * text) and answers with one of the evaluator's choices; the choice's score is the result. A
 * row passes when the score is at least 0.5. The built-in `uses: github/…` evaluators are
 * five-point rubrics written for Aurelis (1 → 0, 2 → 0.25, 3 → 0.5, 4 → 0.75, 5 → 1).
 */
import type { ChatMessage } from '../types';
import type { Judge } from './promptFileSchema';
import type { CheckOutcome } from './stringChecks';
import { fillTemplate } from './promptVariables';

export const PASSING_SCORE = 0.5;

const FIVE_POINTS = [1, 2, 3, 4, 5].map((n) => ({ choice: String(n), score: (n - 1) / 4 }));
const ANSWER_WITH = 'Think it through, then answer with the rating alone (a single digit from 1 to 5) on the last line.';

const BUILT_IN: Record<string, { question: string; needs?: 'expected' | 'input' }> = {
  'github/similarity': {
    question: 'How close in meaning is the ANSWER to the EXPECTED answer? 5: the same meaning; 4: the same main points, small differences; 3: partly the same; 2: little in common; 1: unrelated or contradictory.',
    needs: 'expected',
  },
  'github/coherence': {
    question: 'How coherent is the ANSWER: does it read as one logical, well-ordered whole that addresses the INPUT? 5: fully coherent; 3: understandable with jumps or gaps; 1: incoherent.',
  },
  'github/fluency': {
    question: 'How fluent is the ANSWER as written language: grammar, word choice, readability? 5: flawless; 3: understandable with errors; 1: hard to read.',
  },
  'github/relevance': {
    question: 'How relevant is the ANSWER to the INPUT: does it address what was asked, without going off topic? 5: fully relevant and complete; 3: partly relevant; 1: unrelated.',
  },
  'github/groundedness': {
    question: 'How well is the ANSWER grounded in the INPUT: does every claim follow from the given text, with nothing invented? 5: fully grounded; 3: partly; 1: mostly invented.',
  },
};

/** The judge a built-in evaluator stands for. */
export function builtInJudge(uses: string): Judge {
  const spec = BUILT_IN[uses];
  if (!spec) throw new Error(`Unknown evaluator ${uses}.`);
  const parts = ['INPUT:\n{{input}}', 'ANSWER:\n{{completion}}'];
  if (spec.needs === 'expected') parts.splice(1, 0, 'EXPECTED:\n{{expected}}');
  return {
    systemPrompt: 'You grade answers of a language model. You are strict and consistent, and you follow the rating scale exactly.',
    prompt: `${spec.question}\n\n${parts.join('\n\n')}\n\n${ANSWER_WITH}`,
    choices: FIVE_POINTS,
  };
}

/**
 * The judge's messages. `{{completion}}` is the answer being graded, `{{input}}` and
 * `{{expected}}` (and any other column) come from the test row; a missing column reads as empty.
 */
export function judgeMessages(judge: Judge, answer: string, row: Readonly<Record<string, string>>): ChatMessage[] {
  const values: Record<string, string> = { input: '', expected: '', ...row, completion: answer };
  const choices = judge.choices.map((c) => c.choice).join(', ');
  const user = `${fillTemplate(judge.prompt, values).text}\n\nAnswer with exactly one of: ${choices}.`;
  return [...(judge.systemPrompt ? [{ role: 'system' as const, content: fillTemplate(judge.systemPrompt, values).text }] : []), { role: 'user', content: user }];
}

/**
 * Which choice the judge made: its whole answer, else its last line, else the choice it names
 * last. Undefined when it named none (the row then fails with the judge's answer shown).
 */
export function readVerdict(judge: Judge, text: string): CheckOutcome {
  const norm = (s: string) => s.trim().replace(/^[*_`"'\s]+|[*_`"'.\s]+$/g, '').toLowerCase();
  const byChoice = new Map(judge.choices.map((c) => [c.choice.toLowerCase(), c]));
  const lines = text.split('\n').map(norm).filter((l) => l !== '');
  const exact = byChoice.get(norm(text)) ?? byChoice.get(lines[lines.length - 1] ?? '');
  const chosen = exact ?? lastNamed(judge, text);
  if (!chosen) return { passed: false, score: 0, detail: `the judge chose none of ${judge.choices.map((c) => c.choice).join(', ')}: "${text.trim().slice(0, 60)}"` };
  return { passed: chosen.score >= PASSING_SCORE, score: chosen.score, detail: `judged ${chosen.choice}` };
}

function lastNamed(judge: Judge, text: string): Judge['choices'][number] | undefined {
  let best: { at: number; choice: Judge['choices'][number] } | undefined;
  const lower = text.toLowerCase();
  for (const choice of judge.choices) {
    const escaped = choice.choice.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const m of lower.matchAll(new RegExp(`(?<![\\w])${escaped}(?![\\w])`, 'g'))) if (!best || m.index > best.at) best = { at: m.index, choice };
  }
  return best?.choice;
}
