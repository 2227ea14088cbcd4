/**
 * Builds the panel's cards, budget bars and tables with DOM calls and `textContent` only — never
 * `innerHTML` — so a model name or error message can only ever appear as text. Positions and
 * widths are set through the CSSOM (`element.style.width = …`), which the CSP allows, unlike
 * `style` attributes in markup.
 */
import type { BudgetBar, SummaryCard, Table } from '../../shared/analytics-view/summary';

type Attrs = Record<string, string>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string, attrs: Attrs = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The analytics page is missing #${id}.`);
  return node;
}

export function renderCards(container: HTMLElement, cards: readonly SummaryCard[]): void {
  container.replaceChildren(
    ...cards.map((c) => {
      const card = el('div', 'card', undefined, { 'data-card': c.id });
      card.append(el('div', 'card-label', c.label), el('div', 'card-value', c.value), el('div', 'card-detail', c.detail));
      return card;
    }),
  );
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

export function renderBudgets(container: HTMLElement, bars: readonly BudgetBar[]): void {
  if (bars.length === 0) {
    container.replaceChildren(el('p', 'empty', 'No budget is set. Set one in the Aurelis settings (aurelis.budgets.*) to see how much of it each period has used.'));
    return;
  }
  container.replaceChildren(
    ...bars.map((b) => {
      const row = el('div', `budget state-${b.state}`);
      const label = el('div', 'budget-label');
      label.append(el('span', 'budget-name', b.label), el('span', 'budget-text', b.text));
      const bar = el('div', 'budget-bar', undefined, {
        role: 'meter',
        'aria-label': b.label,
        'aria-valuemin': '0',
        'aria-valuemax': String(Math.max(1, b.stopAt, b.fraction) * 100),
        'aria-valuenow': (b.fraction * 100).toFixed(1),
        'aria-valuetext': `${b.text}; warning at ${Math.round(b.warnAt * 100)} %, stop at ${Math.round(b.stopAt * 100)} %`,
      });
      const fill = el('div', 'budget-fill');
      fill.style.width = pct(b.fill);
      const warn = el('div', 'budget-mark mark-warn', undefined, { title: `Warning at ${Math.round(b.warnAt * 100)} %` });
      warn.style.left = pct(b.warnMark);
      const stop = el('div', 'budget-mark mark-stop', undefined, { title: `Stop at ${Math.round(b.stopAt * 100)} %` });
      stop.style.left = pct(b.stopMark);
      bar.append(fill, warn, stop);
      row.append(label, bar);
      return row;
    }),
  );
}

export function renderTable(container: HTMLElement, table: Table, captionVisible = false): void {
  if (table.rows.length === 0) {
    container.replaceChildren(el('p', 'empty', table.empty));
    return;
  }
  const t = el('table');
  t.append(el('caption', captionVisible ? '' : 'visually-hidden', table.caption));
  const head = el('tr');
  for (const c of table.columns) head.append(el('th', c.numeric ? 'num' : '', c.label, { scope: 'col' }));
  const thead = el('thead');
  thead.append(head);
  t.append(thead);
  const body = el('tbody');
  for (const row of table.rows) {
    const tr = el('tr');
    row.forEach((cell, i) => tr.append(i === 0 ? el('th', '', cell, { scope: 'row' }) : el('td', table.columns[i]?.numeric ? 'num' : '', cell)));
    body.append(tr);
  }
  t.append(body);
  container.replaceChildren(t);
}
