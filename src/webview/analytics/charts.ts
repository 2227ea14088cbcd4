/**
 * The panel's charts, drawn with Chart.js on canvases (registered piecemeal so the bundle holds
 * only bar charts). Each chart is described as a ChartSpec built from the report — labels,
 * series, how to print a value — and turned into a Chart.js configuration with the current
 * theme's colours; a theme switch recolours every chart without asking the host again.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration, type ChartDataset } from 'chart.js';
import type { ChartTheme } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface SeriesSpec {
  label: string;
  values: number[];
  /** A named colour of the theme, or an index into its series palette. */
  color: 'ok' | 'error' | number;
}

export interface ChartSpec {
  labels: string[];
  series: SeriesSpec[];
  /** Bars grow to the right (long category names read better that way). */
  horizontal?: boolean;
  stacked?: boolean;
  /** Formats a value for axis ticks and tooltips. */
  format: (value: number) => string;
  /** Axis title of the value axis. */
  valueTitle: string;
}

function colorOf(theme: ChartTheme, c: SeriesSpec['color']): string {
  if (c === 'ok') return theme.ok;
  if (c === 'error') return theme.error;
  return theme.series[c % theme.series.length] ?? theme.foreground;
}

function configFor(spec: ChartSpec, theme: ChartTheme): ChartConfiguration<'bar', number[], string> {
  const font = { family: theme.fontFamily, size: theme.fontSize - 1 };
  const datasets: ChartDataset<'bar', number[]>[] = spec.series.map((s) => ({
    label: s.label,
    data: s.values,
    backgroundColor: colorOf(theme, s.color),
    borderColor: theme.border || colorOf(theme, s.color),
    borderWidth: theme.border ? 1 : 0,
    maxBarThickness: 28,
  }));
  const valueAxis = {
    stacked: spec.stacked ?? false,
    beginAtZero: true,
    grid: { color: theme.grid },
    border: { color: theme.grid },
    ticks: { color: theme.muted, font, callback: (v: number | string) => spec.format(Number(v)), maxTicksLimit: 6 },
    title: { display: true, text: spec.valueTitle, color: theme.muted, font },
  };
  const categoryAxis = {
    stacked: spec.stacked ?? false,
    grid: { display: false },
    border: { color: theme.grid },
    ticks: { color: theme.muted, font, autoSkip: true, maxRotation: 0 },
  };
  return {
    type: 'bar',
    data: { labels: spec.labels, datasets },
    options: {
      // Drawn at once: the first paint is the finished chart, and nothing moves for people who
      // asked for reduced motion.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, position: 'bottom', labels: { color: theme.foreground, font, boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${spec.format(Number(item.parsed[spec.horizontal ? 'x' : 'y']))}` },
        },
      },
    },
  };
}

/** Keeps one Chart.js chart per canvas, updating it in place when new data arrives. */
export class ChartBoard {
  private readonly charts = new Map<string, { chart: Chart<'bar', number[], string>; spec: ChartSpec }>();

  constructor(private theme: ChartTheme) {}

  show(canvas: HTMLCanvasElement, spec: ChartSpec): void {
    const existing = this.charts.get(canvas.id);
    const config = configFor(spec, this.theme);
    if (existing) {
      existing.chart.data = config.data;
      existing.chart.options = config.options ?? {};
      existing.chart.update();
      existing.spec = spec;
      return;
    }
    this.charts.set(canvas.id, { chart: new Chart(canvas, config), spec });
  }

  /** Recolours every chart for a new theme. */
  retheme(theme: ChartTheme): void {
    this.theme = theme;
    for (const entry of this.charts.values()) {
      const config = configFor(entry.spec, theme);
      entry.chart.data = config.data;
      entry.chart.options = config.options ?? {};
      entry.chart.update();
    }
  }
}
