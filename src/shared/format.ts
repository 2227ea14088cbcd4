/**
 * How Aurelis writes numbers, money, shares, durations and times wherever a user reads them —
 * the analytics panel and its HTML report, the status bar, messages, the CLI — so every place
 * says `$1,234.50` the same way. Fixed `en-US` grouping rather than the machine's locale:
 * exported reports then look identical wherever they were made, and tests can compare text.
 */

// Made on first use: the first Intl formatter loads the locale data (~12 ms), and this module is
// on the extension's start-up path, where nothing is formatted yet.
let groupedFormat: Intl.NumberFormat | undefined;
let compactFormat: Intl.NumberFormat | undefined;
let usdFormat: Intl.NumberFormat | undefined;
const grouped = (): Intl.NumberFormat => (groupedFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }));
const compact = (): Intl.NumberFormat => (compactFormat ??= new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }));
const cents = (): Intl.NumberFormat => (usdFormat ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

/** Shown where there is nothing to measure (no samples, nothing answered). */
export const NO_VALUE = '—';

export function formatCount(n: number): string {
  return grouped().format(n);
}

/** `950`, `15.3K`, `1.2M`: token totals are too long to read in full on a card. */
export function formatCompact(n: number): string {
  return n < 10_000 ? grouped().format(n) : compact().format(n);
}

/** Dollars: cents for amounts from one cent, two significant digits below (a request costs $0.0031). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) >= 0.01) return `$${cents().format(usd)}`;
  return `$${usd.toPrecision(2)}`;
}

/** The price of one request: three significant digits below a dollar ($0.0104, $0.00062). */
export function formatUnitCost(usd: number): string {
  if (usd === 0 || Math.abs(usd) >= 1) return formatUsd(usd);
  return `$${Number(usd.toPrecision(3))}`;
}

/** A size on disk or in Redis: `12 KB`, `3.4 MB` (whole kilobytes rounded up, so nothing reads as 0 KB). */
export function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** `12,345 tokens`. */
export function formatTokens(tokens: number): string {
  return `${grouped().format(Math.round(tokens))} tokens`;
}

/** A budget's amount in its own unit: `$4.20` or `12,000 tokens`. */
export function formatAmount(amount: number, unit: 'usd' | 'tokens'): string {
  return unit === 'usd' ? formatUsd(amount) : formatTokens(amount);
}

/** How far a budget has gone: `$4.20 of $5.00`, `12,000 of 50,000 tokens`. */
export function formatSpentOf(spent: number, limit: number, unit: 'usd' | 'tokens'): string {
  return unit === 'usd' ? `${formatUsd(spent)} of ${formatUsd(limit)}` : `${formatCount(Math.round(spent))} of ${formatTokens(limit)}`;
}

/**
 * `37.5 %`; whole numbers without decimals. Rounded down to a tenth, so a share never reads
 * higher than it is (99.96 % of a budget is not "100 %", and one failure in 3,000 is not "100 %"
 * success); the small epsilon keeps binary fractions such as 0.29 × 100 = 28.999… at 29.
 */
export function formatPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return NO_VALUE;
  const tenths = Math.floor(fraction * 1000 + 1e-6) / 10;
  const digits = Number.isInteger(tenths) || tenths >= 100 ? 0 : 1;
  return `${tenths.toFixed(digits)} %`;
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

/** `09:00` for hour 9. */
export function formatHour(hour: number): string {
  return `${pad(hour)}:00`;
}
