/**
 * The filter bar: reads the form into an AnalyticsFilter, writes a filter back into the form,
 * and fills the provider and model lists from what occurs in the chosen period.
 */
import type { FilterChoices } from '../../shared/analytics-protocol/messages';
import { PROVIDER_NAMES } from '../../shared/labels';
import { AnalyticsFilterSchema, type AnalyticsFilter, type AnalyticsPeriod } from '../../shared/analyticsReport';

export const DEFAULT_FILTER: AnalyticsFilter = { period: { kind: 'last30Days' } };

function element<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`The analytics page is missing #${id}.`);
  return el;
}

/** `YYYY-MM-DD` of a local day. */
function dayValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight of a `YYYY-MM-DD` value, `days` days later. */
function localMidnight(value: string, days = 0): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime();
}

export class FilterBar {
  readonly form = element('filters', HTMLFormElement);
  private readonly period = element('filter-period', HTMLSelectElement);
  private readonly customRange = element('custom-range', HTMLElement);
  private readonly from = element('filter-from', HTMLInputElement);
  private readonly to = element('filter-to', HTMLInputElement);
  private readonly provider = element('filter-provider', HTMLSelectElement);
  private readonly model = element('filter-model', HTMLSelectElement);
  private readonly task = element('filter-task', HTMLSelectElement);

  /** `changed` runs with every valid filter the user picks. */
  constructor(changed: (filter: AnalyticsFilter) => void) {
    this.form.addEventListener('submit', (e) => e.preventDefault());
    this.form.addEventListener('change', () => {
      this.showCustomRange();
      const filter = this.read();
      if (filter) changed(filter);
    });
  }

  /** The form's filter; undefined (with the reason shown on the inputs) while a custom range is incomplete. */
  read(): AnalyticsFilter | undefined {
    const kind = this.period.value as AnalyticsPeriod['kind'];
    let period: AnalyticsPeriod;
    if (kind === 'custom') {
      const from = localMidnight(this.from.value);
      // The "To" day is included: the range ends at the next local midnight.
      const to = localMidnight(this.to.value, 1);
      const valid = from !== undefined && to !== undefined && from < to;
      this.to.setCustomValidity(valid || from === undefined || to === undefined ? '' : 'The range must end on or after its first day.');
      if (!valid) return undefined;
      period = { kind, from, to };
    } else {
      period = { kind } as AnalyticsPeriod;
    }
    const candidate = {
      period,
      provider: this.provider.value || undefined,
      model: this.model.value || undefined,
      task: this.task.value || undefined,
    };
    const parsed = AnalyticsFilterSchema.safeParse(candidate);
    return parsed.success ? parsed.data : undefined;
  }

  write(filter: AnalyticsFilter): void {
    this.period.value = filter.period.kind;
    if (filter.period.kind === 'custom') {
      this.from.value = dayValue(filter.period.from);
      this.to.value = dayValue(filter.period.to - 1);
    }
    this.showCustomRange();
    this.ensureOption(this.provider, filter.provider ?? '', filter.provider ? PROVIDER_NAMES[filter.provider] : '');
    this.provider.value = filter.provider ?? '';
    this.ensureOption(this.model, filter.model ?? '', filter.model ?? '');
    this.model.value = filter.model ?? '';
    this.task.value = filter.task ?? '';
  }

  /** Refills the provider and model lists, keeping the current choice even when it has no data now. */
  setChoices(choices: FilterChoices, filter: AnalyticsFilter): void {
    replaceOptions(
      this.provider,
      'All providers',
      choices.providers.map((p) => ({ value: p, label: PROVIDER_NAMES[p] })),
    );
    // A model name served by two providers is one entry: the provider filter tells them apart.
    const models = [...new Set(choices.models.filter((m) => !filter.provider || m.provider === filter.provider).map((m) => m.model))];
    replaceOptions(
      this.model,
      'All models',
      models.map((m) => ({ value: m, label: m })),
    );
    this.write(filter);
  }

  private showCustomRange(): void {
    const custom = this.period.value === 'custom';
    this.customRange.hidden = !custom;
    if (custom && this.from.value === '' && this.to.value === '') {
      const today = Date.now();
      this.from.value = dayValue(today - 6 * 86_400_000);
      this.to.value = dayValue(today);
    }
  }

  private ensureOption(select: HTMLSelectElement, value: string, label: string): void {
    if (value === '' || [...select.options].some((o) => o.value === value)) return;
    select.add(new Option(label, value));
  }
}

function replaceOptions(select: HTMLSelectElement, allLabel: string, options: { value: string; label: string }[]): void {
  select.replaceChildren(new Option(allLabel, ''), ...options.map((o) => new Option(o.label, o.value)));
}

/** A filter saved in the webview state, validated like anything else that crosses an edge. */
export function restoredFilter(state: unknown): AnalyticsFilter | undefined {
  const saved = (state as { filter?: unknown } | undefined)?.filter;
  const parsed = AnalyticsFilterSchema.safeParse(saved);
  return parsed.success ? parsed.data : undefined;
}

/** The filter the host opened the panel with (`data-initial-filter` on the body), if any. */
export function initialFilter(): AnalyticsFilter | undefined {
  const text = document.body.dataset.initialFilter;
  if (!text) return undefined;
  try {
    const parsed = AnalyticsFilterSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
