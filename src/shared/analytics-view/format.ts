/**
 * How the analytics panel and its HTML report write numbers, so both read the same. Fixed
 * `en-US` grouping rather than the machine's locale: exported reports then look identical
 * wherever they were made, and tests can compare text.
 */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Shown where there is nothing to measure (no samples, nothing answered). */
export const NO_VALUE = '—';

export function formatCount(n: number): string {
  return grouped.format(n);
}

/** `950`, `15.3K`, `1.2M`: token totals are too long to read in full on a card. */
export function formatCompact(n: number): string {
  return n < 10_000 ? grouped.format(n) : compact.format(n);
}

/** Dollars: cents for amounts from one cent, two significant digits below (a request costs $0.0031). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) >= 0.01) return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${usd.toPrecision(2)}`;
}

/** The price of one request: three significant digits below a dollar ($0.0104, $0.00062). */
export function formatUnitCost(usd: number): string {
  if (usd === 0 || Math.abs(usd) >= 1) return formatUsd(usd);
  return `$${Number(usd.toPrecision(3))}`;
}

/** `37.5 %`; whole numbers without decimals. */
export function formatPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return NO_VALUE;
  const pct = fraction * 100;
  const digits = Number.isInteger(pct) || pct >= 100 ? 0 : 1;
  return `${pct.toFixed(digits)} %`;
}

/** `850 ms`, `2.4 s`, `1 min 5 s`. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NO_VALUE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local `YYYY-MM-DD HH:MM` (the time zone of whoever renders it). */
export function formatDateTime(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDate(ts: number): string {
  return formatDateTime(ts).slice(0, 10);
}

/** `09:00` for hour 9. */
export function formatHour(hour: number): string {
  return `${pad(hour)}:00`;
}
