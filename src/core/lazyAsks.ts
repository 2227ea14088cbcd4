/**
 * What the budget gate and the pacer are asked with, with the prompt's exact token count read
 * only if they need it (the tokenizer runs at the first read; a gate far from its limits and a
 * pacer with no announced token limit never read it). Classes, not object literals with a
 * getter: such a literal costs about a microsecond to build, several times per request.
 */
import type { BudgetCheck, ModelTarget } from './pipeline';
import type { PaceRequest } from './resilience/modelPacer';
import type { PromptSize } from './tokens';
import type { TaskType } from './types';

export class BudgetAsk implements BudgetCheck {
  readonly promptTokenBound: number;

  constructor(
    readonly requestId: string,
    readonly task: TaskType,
    readonly target: ModelTarget,
    private readonly prompt: PromptSize,
    readonly maxOutputTokens: number,
    readonly override: boolean,
  ) {
    this.promptTokenBound = prompt.bound;
  }

  get promptTokens(): number {
    return this.prompt.tokens;
  }
}

export class PaceAsk implements PaceRequest {
  constructor(
    private readonly prompt: PromptSize,
    /** The output allowance, counted with the prompt. */
    private readonly outputTokens: number,
    readonly retry: boolean,
    readonly learned: boolean,
  ) {}

  get tokens(): number {
    return this.prompt.tokens + this.outputTokens;
  }
}
