/** How amounts read in messages and the status bar: "$12.50", "$0.0042", "12,345 tokens". */

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}

export function formatTokens(tokens: number): string {
  return `${Math.round(tokens).toLocaleString('en-US')} tokens`;
}

export function formatAmount(amount: number, unit: 'usd' | 'tokens'): string {
  return unit === 'usd' ? formatUsd(amount) : formatTokens(amount);
}

export function formatPercent(fraction: number): string {
  return `${Math.floor(fraction * 100)} %`;
}
