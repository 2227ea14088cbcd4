/**
 * Evaluates a prompt file: every `testData` row through the orchestrator (budgets, cache,
 * ledger and audit like any request), then every evaluator on the answer. Model-graded
 * evaluators are requests too, so their tokens and cost count. A row passes when all of its
 * evaluators pass; a row whose request fails is a failed row, named with the error.
 */
import { isAurelisError } from '../errors';
import type { RunOptions, TaskRequest, TaskResult } from '../types';
import { builtInJudge, judgeMessages, readVerdict } from './modelGraders';
import type { PromptFile } from './promptFile';
import type { Evaluator, Judge } from './promptFileSchema';
import { promptRequest } from './promptRequest';
import { runStringCheck, type CheckOutcome } from './stringChecks';
import { errorMessage } from '../../shared/errorMessage';

export interface PromptSender {
  run(request: TaskRequest, options?: RunOptions): Promise<TaskResult>;
}

export interface EvaluatorResult extends CheckOutcome {
  evaluator: string;
}

export interface RowResult {
  /** 1-based, as the table shows it. */
  row: number;
  answer: string;
  passed: boolean;
  evaluations: EvaluatorResult[];
  /** The row's tokens and cost, judges included; cost is null when a price is unknown. */
  tokens: number;
  costUsd: number | null;
  /** The model that answered the row. */
  model?: string;
  error?: string;
}

export interface PromptEvaluation {
  prompt: string;
  file: string;
  evaluators: string[];
  rows: RowResult[];
  passed: number;
  failed: number;
}

export interface EvaluationOptions {
  /** The model to force for the prompt (see chooseModel); undefined uses the `prompt` chain. */
  model?: string;
  signal?: AbortSignal;
  onRow?: (done: number, total: number) => void;
  onNotice?: RunOptions['onNotice'];
}

export async function evaluatePrompt(prompt: PromptFile, sender: PromptSender, options: EvaluationOptions = {}): Promise<PromptEvaluation> {
  const rows = prompt.testData ?? [];
  if (rows.length === 0) throw new Error(`${prompt.file} has no testData rows to evaluate. Add a testData list (one mapping of variable values per row).`);
  const evaluators = prompt.evaluators ?? [];
  const results: RowResult[] = [];
  const runOptions: RunOptions = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onNotice ? { onNotice: options.onNotice } : {}) };
  for (const [index, row] of rows.entries()) {
    results.push(await evaluateRow(prompt, evaluators, row, index + 1, sender, options.model, runOptions));
    options.onRow?.(index + 1, rows.length);
  }
  const passed = results.filter((r) => r.passed).length;
  return { prompt: prompt.title, file: prompt.file, evaluators: evaluators.map((e) => e.name), rows: results, passed, failed: results.length - passed };
}

async function evaluateRow(prompt: PromptFile, evaluators: readonly Evaluator[], row: Readonly<Record<string, string>>, number: number, sender: PromptSender, model: string | undefined, options: RunOptions): Promise<RowResult> {
  let answer: TaskResult;
  try {
    answer = await sender.run(promptRequest(prompt, row, model), options);
  } catch (err) {
    if (isAurelisError(err) && err.kind === 'cancelled') throw err;
    return { row: number, answer: '', passed: false, evaluations: [], tokens: 0, costUsd: 0, error: errorMessage(err) };
  }
  const tally = new Tally(answer);
  const evaluations: EvaluatorResult[] = [];
  for (const evaluator of evaluators) {
    if (evaluator.string) {
      evaluations.push({ evaluator: evaluator.name, ...runStringCheck(evaluator.string, answer.content, row) });
      continue;
    }
    const judge: Judge = evaluator.llm ?? builtInJudge(evaluator.uses as string);
    try {
      const verdict = await sender.run({ task: 'prompt', messages: judgeMessages(judge, answer.content, row), temperature: 0, ...(judge.modelId ?? model ? { model: judge.modelId ?? model } : {}), metadata: { prompt: `${prompt.title} — ${evaluator.name}` } }, options);
      tally.add(verdict);
      evaluations.push({ evaluator: evaluator.name, ...readVerdict(judge, verdict.content) });
    } catch (err) {
      if (isAurelisError(err) && err.kind === 'cancelled') throw err;
      evaluations.push({ evaluator: evaluator.name, passed: false, score: 0, detail: `the judge could not answer: ${errorMessage(err)}` });
    }
  }
  return { row: number, answer: answer.content, passed: evaluations.every((e) => e.passed), evaluations, tokens: tally.tokens, costUsd: tally.cost, model: answer.model };
}

class Tally {
  tokens = 0;
  cost: number | null = 0;
  constructor(first: TaskResult) {
    this.add(first);
  }
  add(result: TaskResult): void {
    this.tokens += result.usage.promptTokens + result.usage.completionTokens;
    this.cost = this.cost === null || result.costUsd === null ? null : this.cost + result.costUsd;
  }
}
