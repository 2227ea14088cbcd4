import assert from 'node:assert/strict';
import { formatAmount, formatBytes, formatCompact, formatCount, formatMs, formatPercent, formatSpentOf, formatTokens, formatUnitCost, formatUsd } from '../../../src/shared/format';
import { usd } from '../../../src/core/review/formats/summary';

// The one formatter every surface uses (panel, HTML report, status bar, messages, CLI).
describe('figures as users read them', () => {
  it('writes money with grouping and cents, and small amounts with two significant digits', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(12.5), '$12.50');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatUsd(1234.567), '$1,234.57');
    assert.equal(formatUsd(0.0031), '$0.0031');
    assert.equal(formatUnitCost(0.010362), '$0.0104');
    assert.equal(formatUnitCost(2.5), '$2.50');
  });

  it('says the CLI\'s "price unknown" instead of $0, and otherwise the same money', () => {
    assert.equal(usd(null), 'price unknown');
    assert.equal(usd(1234.5), '$1,234.50');
    assert.equal(usd(0), '$0.00');
  });

  it('writes counts, tokens and budget amounts', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatTokens(12345.4), '12,345 tokens');
    assert.equal(formatAmount(4.2, 'usd'), '$4.20');
    assert.equal(formatAmount(50_000, 'tokens'), '50,000 tokens');
    assert.equal(formatSpentOf(4.2, 5, 'usd'), '$4.20 of $5.00');
    assert.equal(formatSpentOf(12_000, 50_000, 'tokens'), '12,000 of 50,000 tokens');
    assert.equal(formatCompact(9_999), '9,999');
    assert.equal(formatCompact(15_300), '15.3K');
  });

  it('writes durations', () => {
    assert.equal(formatMs(850), '850 ms');
    assert.equal(formatMs(2400), '2.4 s');
    assert.equal(formatMs(65_000), '1 min 5 s');
    assert.equal(formatMs(null), '—');
  });

  it('never rounds a share up past what it is', () => {
    assert.equal(formatPercent(0.375), '37.5 %');
    assert.equal(formatPercent(1), '100 %');
    assert.equal(formatPercent(0.8), '80 %');
    assert.equal(formatPercent(0.29), '29 %');
    assert.equal(formatPercent(0.9996), '99.9 %');
    assert.equal(formatPercent(1.5), '150 %');
    assert.equal(formatPercent(null), '—');
  });

  it('writes sizes in whole kilobytes rounded up, megabytes with one decimal', () => {
    assert.equal(formatBytes(1), '1 KB');
    assert.equal(formatBytes(2048), '2 KB');
    assert.equal(formatBytes(1024 * 1024), '1.0 MB');
    assert.equal(formatBytes(3.45 * 1024 * 1024), '3.5 MB');
  });
});
