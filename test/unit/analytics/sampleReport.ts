/** A small, valid analytics report built by hand, for the protocol and HTML report tests. */
import type { AnalyticsReport, UsageTotals } from '../../../src/shared/analyticsReport';

export function totals(overrides: Partial<UsageTotals> = {}): UsageTotals {
  return {
    requests: 10,
    succeeded: 8,
    errors: 2,
    cancelled: 1,
    budgetRefusals: 0,
    cacheHits: 3,
    promptTokens: 12_000,
    completionTokens: 3_000,
    cachedTokens: 1_000,
    totalTokens: 15_000,
    estimatedTokenRequests: 0,
    costUsd: 0.42,
    reportedCostUsd: 0,
    unpricedRequests: 0,
    budgetOverrides: 0,
    ...overrides,
  };
}

const latency = { samples: 5, p50Ms: 800, p95Ms: 2400, ttftSamples: 4, ttftP50Ms: 200, ttftP95Ms: 500 };

export function sampleReport(overrides: Partial<AnalyticsReport> = {}): AnalyticsReport {
  const from = new Date(2025, 2, 4).getTime();
  const to = new Date(2025, 2, 11).getTime();
  return {
    generatedAt: to - 1000,
    filter: { period: { kind: 'last7Days' } },
    range: { from, to },
    timeZone: 'Europe/Berlin',
    totals: totals(),
    latency,
    byModel: [
      { provider: 'openai', model: 'gpt-4o', totals: totals({ requests: 7, costUsd: 0.4 }), latency },
      { provider: 'ollama', model: 'qwen2.5-coder', totals: totals({ requests: 3, costUsd: 0, errors: 1, succeeded: 2 }), latency },
    ],
    byTask: [{ task: 'generate', totals: totals(), latency }],
    byPrompt: [{ prompt: 'Explain for an audience', totals: totals(), latency }],
    byProvider: [{ provider: 'openai', totals: totals(), latency }],
    errorsByKind: [
      { kind: 'timeout', count: 1, rate: 0.1 },
      { kind: 'cancelled', count: 1, rate: 0.1 },
    ],
    cache: { hits: 3, answered: 8, hitRate: 0.375 },
    costPerDay: {
      days: ['2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08', '2025-03-09', '2025-03-10'],
      totalUsd: [0, 0.1, 0.02, 0, 0.2, 0.1, 0],
      unpricedRequests: [0, 0, 0, 0, 0, 0, 0],
      series: [
        { provider: 'openai', model: 'gpt-4o', usd: [0, 0.1, 0.02, 0, 0.2, 0.1, 0] },
        { provider: 'ollama', model: 'qwen2.5-coder', usd: [0, 0, 0, 0, 0, 0, 0] },
      ],
    },
    requestsByHour: Array.from({ length: 24 }, (_, h) => (h >= 9 && h <= 17 ? 1 : 0)).map((n, h) => (h === 9 ? n + 1 : n)),
    latencyHistogram: { boundsMs: [250, 500, 1000, 2000, 5000], counts: [0, 1, 2, 1, 1, 0] },
    recentFailures: [
      { ts: to - 3_600_000, provider: 'openai', model: 'gpt-4o', task: 'generate', kind: 'timeout', message: 'The model did not answer within 60 s.' },
      { ts: to - 7_200_000, provider: 'ollama', model: 'qwen2.5-coder', task: 'explain', kind: 'cancelled', message: null },
    ],
    budgets: [
      {
        period: 'daily',
        unit: 'usd',
        limit: 5,
        spent: 4.2,
        fraction: 0.84,
        warnAt: 0.8,
        throttleAt: 0.95,
        stopAt: 1,
        periodStart: to - 86_400_000,
        periodEnd: to,
        state: 'warn',
        unpricedRequests: 0,
      },
    ],
    ...overrides,
  };
}
