/**
 * The budget gate: before a request is sent, compares what the current local day, week and
 * month have spent (from the ledger) plus the most this request can cost with each configured
 * limit, so a single request that would cross a limit is stopped before it costs anything.
 *
 * The estimate is pessimistic on purpose: prompt tokens plus the full output allowance, priced
 * at the target model's price. When that price is unknown, dollar budgets cannot see the
 * request (it is counted as $0 there, and the user is told once a day that the model's spending
 * is not counted); token budgets still apply in full, and a dollar budget that is already used
 * up still stops every request.
 */
import { AurelisError } from '../errors';
import type { Clock, Logger } from '../host';
import { silentLogger, systemClock } from '../host';
import type { BudgetCheck, BudgetDecision, BudgetGate, PriceBook } from '../pipeline';
import type { Settings } from '../settings';
import type { BudgetPeriod, BudgetUnit } from '../../shared/analyticsReport';
import { EPSILON, SpendTally, configuredLimits, type BudgetLimit, type PeriodSpend } from './budgetStatus';
import { formatAmount, formatPercent } from '../../shared/format';
import type { SecurityEventSink } from '../audit/auditEvents';
import type { LedgerView } from '../ledger/usageLedger';

export interface BudgetGateOptions {
  /** The usage ledger's view in memory (see UsageLedger.current: the request path never waits for the disk). */
  ledger: { current(): LedgerView | Promise<LedgerView> };
  prices: PriceBook;
  settings: () => Settings;
  clock?: Clock;
  logger?: Logger;
  /** Hears each "Allow Once" that sends a request past a limit (the audit log). */
  events?: SecurityEventSink;
}

type Level = 'allow' | 'warn' | 'throttle' | 'stop';
const SEVERITY: Record<Level, number> = { allow: 0, warn: 1, throttle: 2, stop: 3 };
const ALLOW: BudgetDecision = Object.freeze({ action: 'allow' });
type Budgets = Settings['budgets'];

interface Evaluation {
  level: Level;
  period: BudgetPeriod;
  unit: BudgetUnit;
  limit: number;
  spent: number;
  projected: number;
  periodStart: number;
  /** The period had already reached the stop line before this request. */
  usedUp: boolean;
}

const SPENT_WHEN: Record<BudgetPeriod, string> = { daily: 'today', weekly: 'this week', monthly: 'this month' };
const RESETS: Record<BudgetPeriod, string> = { daily: 'at midnight', weekly: 'on Monday', monthly: 'on the 1st' };
const SETTING: Record<BudgetPeriod, Record<BudgetUnit, string>> = {
  daily: { usd: 'aurelis.budgets.dailyUsd', tokens: 'aurelis.budgets.dailyTokens' },
  weekly: { usd: 'aurelis.budgets.weeklyUsd', tokens: 'aurelis.budgets.weeklyTokens' },
  monthly: { usd: 'aurelis.budgets.monthlyUsd', tokens: 'aurelis.budgets.monthlyTokens' },
};

export class LedgerBudgetGate implements BudgetGate {
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Warnings already given, by limit and period start (or model and day): once per period. */
  private readonly told = new Set<string>();
  /** What the current periods have spent, kept up to date as records arrive (no rescan per request). */
  private readonly tally = new SpendTally();

  constructor(private readonly options: BudgetGateOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  async check(check: BudgetCheck): Promise<BudgetDecision> {
    const budgets = this.options.settings().budgets;
    const limits = configuredLimits(budgets);
    if (limits.length === 0) return ALLOW;

    const now = this.clock.now();
    // The view is in memory after the first read: no await (a turn of the event loop's queue) for it.
    const current = this.options.ledger.current();
    const view = current instanceof Promise ? await current : current;
    const spend = this.tally.withUnread(view.rows, view.unread, now);
    // A level only rises with the estimate: what the prompt's upper bound allows everywhere, its
    // exact count allows too, so the tokenizer runs only when a budget is near.
    const bound = check.promptTokenBound;
    const firstTokens = bound ?? check.promptTokens;
    let estimateUsd = this.estimateUsd(check, firstTokens);
    // The usual request is far below every line: decided without building a single evaluation.
    if (estimateUsd !== null && allBelowWarning(limits, spend, budgets, estimateUsd, firstTokens + check.maxOutputTokens)) return ALLOW;
    let evaluations = evaluate(limits, spend, budgets, estimateUsd, firstTokens + check.maxOutputTokens);
    if (bound !== undefined && evaluations.some((e) => e.level !== 'allow')) {
      const counted = check.promptTokens;
      estimateUsd = this.estimateUsd(check, counted);
      evaluations = evaluate(limits, spend, budgets, estimateUsd, counted + check.maxOutputTokens);
    }
    // Most severe first; among equals, the budget furthest along.
    evaluations.sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level] || b.projected / b.limit - a.projected / a.limit);
    const worst = evaluations[0];

    if (worst?.level === 'stop') {
      if (!check.override) {
        this.logger.info(`Budget: refused request ${check.requestId} (${worst.period} ${worst.unit} limit).`);
        throw new AurelisError('budget_exceeded', stopMessage(worst), {
          nextSteps: ['raiseBudget', 'allowOnce'],
          provider: check.target.provider,
          model: check.target.model,
        });
      }
      this.logger.info(`Budget: request ${check.requestId} sent past the ${worst.period} ${worst.unit} limit because the user allowed it once.`);
      await this.options.events
        ?.securityEvent({
          type: 'budget_override',
          requestId: check.requestId,
          task: check.task,
          limit: `${worst.period} ${formatAmount(worst.limit, worst.unit)} (${SETTING[worst.period][worst.unit]}); this request brings it to ${formatAmount(worst.projected, worst.unit)}`,
        })
        // The ledger record still carries the override; a failed audit write must not undo the user's choice.
        .catch((e: unknown) => this.logger.error(`Could not write the budget override to the audit log: ${e instanceof Error ? e.message : String(e)}`));
      return {
        action: 'warn',
        message: `Sent over your ${worst.period} budget (${formatAmount(worst.projected, worst.unit)} of ${formatAmount(worst.limit, worst.unit)}) because you chose Allow Once.`,
      };
    }
    if (worst?.level === 'throttle') {
      for (const e of evaluations) if (e.level !== 'allow') this.told.add(warnKey(e));
      return {
        action: 'throttle',
        message: `${usedMessage(worst)} Using the cheapest capable model until the budget resets ${RESETS[worst.period]}.`,
      };
    }
    const untold = evaluations.find((e) => e.level === 'warn' && !this.told.has(warnKey(e)));
    if (untold) {
      this.told.add(warnKey(untold));
      return { action: 'warn', message: usedMessage(untold) };
    }

    if (estimateUsd === null && limits.some((l) => l.unit === 'usd')) {
      const key = `unpriced|${check.target.provider}:${check.target.model}|${spend.daily.start}`;
      if (!this.told.has(key)) {
        this.told.add(key);
        return {
          action: 'warn',
          message: `The price of ${check.target.model} is unknown, so its requests do not count toward your dollar budgets. Add its price in aurelis.prices to include them.`,
        };
      }
    }
    return ALLOW;
  }

  /** The most this request can cost in dollars with `promptTokens` in, or null when the model's price is unknown. */
  private estimateUsd(check: BudgetCheck, promptTokens: number): number | null {
    return this.options.prices.cost(check.target, { promptTokens, completionTokens: check.maxOutputTokens, cachedTokens: 0 });
  }
}

/** Every limit stays below its warning line with this request added (all that `evaluate` would call 'allow'). */
function allBelowWarning(limits: readonly Readonly<BudgetLimit>[], spend: PeriodSpend, budgets: Budgets, estimateUsd: number, estimateTokens: number): boolean {
  for (const { period, unit, limit } of limits) {
    const spent = spentOn(spend, period, unit);
    if (levelOf(spent, spent + (unit === 'usd' ? estimateUsd : estimateTokens), limit, budgets) !== 'allow') return false;
  }
  return true;
}

/** Each limit's level with this request added: stop, throttle, warn or allow. */
function evaluate(limits: readonly Readonly<BudgetLimit>[], spend: PeriodSpend, budgets: Budgets, estimateUsd: number | null, estimateTokens: number): Evaluation[] {
  return limits.map(({ period, unit, limit }) => {
    const spent = spentOn(spend, period, unit);
    const projected = spent + (unit === 'usd' ? (estimateUsd ?? 0) : estimateTokens);
    const usedUp = spent >= limit * budgets.stopAt - tolerance(limit);
    return { level: levelOf(spent, projected, limit, budgets), period, unit, limit, spent, projected, periodStart: spend[period].start, usedUp };
  });
}

function spentOn(spend: PeriodSpend, period: BudgetPeriod, unit: BudgetUnit): number {
  return unit === 'usd' ? spend[period].usd : spend[period].tokens;
}

/** Dollar sums carry floating-point dust: lines are compared with a tolerance that scales with the limit. */
function tolerance(limit: number): number {
  return EPSILON * Math.max(1, limit);
}

function levelOf(spent: number, projected: number, limit: number, budgets: Budgets): Level {
  const slack = tolerance(limit);
  const stopLine = limit * budgets.stopAt;
  // Reaching the stop line exactly is allowed; crossing it, or already standing on it, is not.
  if (projected > stopLine + slack || spent >= stopLine - slack) return 'stop';
  if (projected >= limit * budgets.throttleAt - slack) return 'throttle';
  if (projected >= limit * budgets.warnAt - slack) return 'warn';
  return 'allow';
}

function warnKey(e: Evaluation): string {
  return `${e.period}|${e.unit}|${e.periodStart}`;
}

function usedMessage(e: Evaluation): string {
  return `With this request you will have used ${formatPercent(e.projected / e.limit)} of your ${e.period} budget (${formatAmount(e.projected, e.unit)} of ${formatAmount(e.limit, e.unit)}).`;
}

function stopMessage(e: Evaluation): string {
  const spent = `${formatAmount(e.spent, e.unit)} spent ${SPENT_WHEN[e.period]} of ${formatAmount(e.limit, e.unit)}`;
  const what = e.usedUp
    ? `Your ${e.period} budget is used up: ${spent}.`
    : `This request (up to ${formatAmount(e.projected - e.spent, e.unit)}) would exceed your ${e.period} budget: ${spent}.`;
  return `${what} Raise the budget (${SETTING[e.period][e.unit]}), allow this request once, or wait until it resets ${RESETS[e.period]}.`;
}
