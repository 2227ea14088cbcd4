import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import type { Settings } from '../core/settings';
import { formatPercent, formatSpentOf, formatUsd as usd } from '../shared/format';
import { errorMessage } from '../shared/errorMessage';

export interface SpendTotals {
  costUsd: number;
  requests: number;
  /** Requests whose price is unknown, so not in `costUsd`. */
  unpricedRequests: number;
}

export interface BudgetFigure {
  period: 'daily' | 'weekly' | 'monthly';
  unit: 'usd' | 'tokens';
  limit: number;
  spent: number;
  /** spent / limit. */
  fraction: number;
}

/** Everything the indicator shows, read from the usage ledger. */
export interface SpendFigures {
  today: SpendTotals;
  week: SpendTotals;
  month: SpendTotals;
  budgets: BudgetFigure[];
  /** This month's most expensive models, most expensive first. */
  topModels: Array<{ label: string; costUsd: number; requests: number; unpricedRequests: number }>;
  /** This month's cache hits / answered requests; null when nothing was answered. */
  cacheHitRate: number | null;
  /** Team mode with team budgets, while Redis answers: the team's spend (settled and in flight). */
  team?: { name: string; budgets: Array<{ period: 'daily' | 'weekly' | 'monthly'; limit: number; spent: number; fraction: number }> };
}

export type StatusLevel = 'normal' | 'warning' | 'error';

/**
 * The budget indicator on the right of the status bar: today's spend against the daily budget,
 * a spinner while a request runs, yellow from the warn threshold, red at the limit. Clicking it
 * opens the analytics.
 */
/** The indicator as the user sees it (read by other extensions and the host tests). */
export interface BudgetStatusState {
  text: string;
  tooltip: string;
  level: StatusLevel;
  running: number;
  /** The theme colour behind the text, e.g. `statusBarItem.warningBackground`. */
  background: string | undefined;
  /** What a click runs. */
  command: string | undefined;
}

export class BudgetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('aurelis.budget', vscode.StatusBarAlignment.Right, 100);
  private readonly timer: NodeJS.Timeout;
  private running = 0;
  private figures: SpendFigures | undefined;
  private failure: string | undefined;
  private level: StatusLevel = 'normal';
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  constructor(
    private readonly load: () => Promise<SpendFigures>,
    private readonly settings: () => Settings,
    private readonly log: Logger,
  ) {
    this.item.name = 'Aurelis Budget';
    this.item.command = 'aurelis.showAnalytics';
    this.render();
    this.item.show();
    // Spend from other windows and the day rolling over at midnight show up without a request here.
    this.timer = setInterval(() => void this.refresh(), 60_000);
  }

  /** A request started; the returned function marks it finished (and refreshes the figures). */
  started(): () => void {
    this.running++;
    this.render();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running--;
      void this.refresh();
    };
  }

  /** Re-reads the figures; concurrent calls share one read and a call during a read runs once more after it. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          this.figures = await this.load();
          this.failure = undefined;
        } catch (e) {
          this.failure = errorMessage(e);
          this.log.warn(`Could not read spend for the status bar: ${this.failure}`);
        }
        this.render();
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** What the item shows now (the exported API hands this to tests and other extensions). */
  get state(): BudgetStatusState {
    const tooltip = this.item.tooltip;
    const command = this.item.command;
    return {
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      level: this.level,
      running: this.running,
      background: this.item.backgroundColor?.id,
      command: typeof command === 'string' ? command : command?.command,
    };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.item.dispose();
  }

  private render(): void {
    const icon = this.running > 0 ? '$(loading~spin)' : '$(pulse)';
    const f = this.figures;
    const daily = f?.budgets.find((b) => b.period === 'daily' && b.unit === 'usd');
    const spend = f ? `${usd(f.today.costUsd)}${f.today.unpricedRequests > 0 ? '+' : ''}` : 'Aurelis';
    const team = f?.team?.budgets[0];
    const teamText = team ? ` · team ${usd(team.spent)} / ${usd(team.limit)}` : '';
    this.item.text = `${icon} ${spend}${daily ? ` / ${usd(daily.limit)}` : ''}${teamText}`;
    this.level = f ? levelOf([...f.budgets, ...(f.team?.budgets ?? []).map((b) => ({ ...b, unit: 'usd' as const }))], this.settings()) : 'normal';
    this.item.backgroundColor =
      this.level === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : this.level === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: f ? `Aurelis spend today ${spend}${daily ? ` of ${usd(daily.limit)}` : ''}${team ? `, team ${team.period} ${usd(team.spent)} of ${usd(team.limit)}` : ''}` : 'Aurelis' };
    this.item.tooltip = this.tooltip();
  }

  private tooltip(): vscode.MarkdownString {
    const md = new vscode.MarkdownString('', true);
    md.appendMarkdown('**Aurelis spend**');
    if (this.running > 0) md.appendMarkdown(` — ${this.running} request${this.running > 1 ? 's' : ''} running`);
    md.appendMarkdown('\n\n');
    const f = this.figures;
    if (!f) {
      md.appendMarkdown(this.failure ? `Spend could not be read: ${escape(this.failure)}\n\n` : 'Reading the usage ledger…\n\n');
      md.appendMarkdown('Click to open the analytics.');
      return md;
    }
    md.appendMarkdown('| | Spend | Requests |\n|---|---:|---:|\n');
    for (const [label, t] of [['Today', f.today], ['This week', f.week], ['This month', f.month]] as const) {
      md.appendMarkdown(`| ${label} | ${usd(t.costUsd)}${t.unpricedRequests > 0 ? ` + ${t.unpricedRequests} unpriced` : ''} | ${t.requests} |\n`);
    }
    if (f.budgets.length > 0) {
      md.appendMarkdown('\n**Budgets**\n\n');
      for (const b of f.budgets) {
        md.appendMarkdown(`- ${b.period[0]?.toUpperCase()}${b.period.slice(1)}: ${formatSpentOf(b.spent, b.limit, b.unit)} (${formatPercent(b.fraction)})\n`);
      }
    } else {
      md.appendMarkdown('\nNo budget set — `aurelis.budgets.dailyUsd` adds one.\n');
    }
    if (f.team) {
      md.appendMarkdown(`\n**Team budgets (${escape(f.team.name)}, UTC)**\n\n`);
      for (const b of f.team.budgets) md.appendMarkdown(`- ${b.period[0]?.toUpperCase()}${b.period.slice(1)}: ${formatSpentOf(b.spent, b.limit, 'usd')} (${formatPercent(b.fraction)})\n`);
    }
    if (f.topModels.length > 0) {
      md.appendMarkdown('\n**Top models this month**\n\n');
      for (const m of f.topModels.slice(0, 3)) {
        const price = m.unpricedRequests === m.requests ? 'price unknown' : usd(m.costUsd);
        md.appendMarkdown(`- ${escape(m.label)}: ${price}, ${m.requests} request${m.requests === 1 ? '' : 's'}\n`);
      }
    }
    md.appendMarkdown(`\nCache hit rate this month: ${formatPercent(f.cacheHitRate)}\n\n`);
    md.appendMarkdown('Click to open the analytics.');
    return md;
  }
}

/** Red once any budget reaches its stop threshold (or 100 %), yellow from its warn threshold. */
export function levelOf(budgets: readonly BudgetFigure[], settings: Settings): StatusLevel {
  const worst = Math.max(0, ...budgets.map((b) => b.fraction));
  if (budgets.length > 0 && worst >= Math.min(settings.budgets.stopAt, 1)) return 'error';
  if (budgets.length > 0 && worst >= settings.budgets.warnAt) return 'warning';
  return 'normal';
}


/** Model names and messages come from outside; keep them from being read as Markdown. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
