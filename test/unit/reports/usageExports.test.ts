import assert from 'node:assert/strict';
import { csvChunks, csvField, escapeLabelValue, JSON_EXPORT_FORMAT, LATENCY_BUCKETS, prometheusText } from '../../../src/core/reports/usageExports';
import { UsageAnalytics, collect } from '../../../src/core/reports/usageAnalytics';
import { UsageLedger } from '../../../src/core/ledger/usageLedger';
import { UsageRows } from '../../../src/core/ledger/ledgerIndex';
import type { UsageRecord } from '../../../src/core/pipeline';
import { FakeClock, liveSettings, makeRecord, useTempDir } from '../helpers/usage';

async function* from(records: UsageRecord[]): AsyncGenerator<UsageRecord> {
  yield* records;
}

/** Splits one CSV document (RFC 4180) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('usage exports', () => {
  describe('CSV', () => {
    it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
      assert.equal(csvField('plain'), 'plain');
      assert.equal(csvField('a,b'), '"a,b"');
      assert.equal(csvField('say "hi"'), '"say ""hi"""');
      assert.equal(csvField('two\nlines'), '"two\nlines"');
      assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
      assert.equal(csvField('-1'), "'-1");
      assert.equal(csvField(-1), '-1');
      assert.equal(csvField(null), '');
      assert.equal(csvField(undefined), '');
    });

    it('writes a header and one row per record that parse back to the same values', async () => {
      const records = [
        makeRecord({ requestId: 'r1' }),
        makeRecord({ requestId: 'r2', outcome: 'bad_request', errorMessage: 'Bad "temperature", must be\n<= 2', costUsd: null, ttftMs: 120 }),
      ];
      const text = await collect(csvChunks(from(records)));
      assert.ok(text.endsWith('\r\n'));
      const [header, first, second] = parseCsv(text);
      assert.equal(header?.[0], 'time_utc');
      assert.equal(first?.length, header?.length);
      const get = (row: string[] | undefined, col: string) => row?.[header?.indexOf(col) ?? -1];
      assert.equal(get(first, 'time_utc'), '2025-03-10T12:00:00.000Z');
      assert.equal(get(first, 'cost_usd'), '0.0075');
      assert.equal(get(second, 'cost_usd'), '');
      assert.equal(get(second, 'ttft_ms'), '120');
      assert.equal(get(second, 'error_message'), 'Bad "temperature", must be\n<= 2');
      assert.equal(get(second, 'budget_override'), 'false');
    });
  });

  describe('Prometheus text format', () => {
    const rows = new UsageRows();
    const weird = 'we"ird\\model\nx';
    rows.add(makeRecord({ latencyMs: 400 }));
    rows.add(makeRecord({ latencyMs: 1000, task: 'review', costUsd: 0.5 }));
    rows.add(makeRecord({ latencyMs: 7000 }));
    rows.add(makeRecord({ latencyMs: 500_000, promptTokens: 10, completionTokens: 0, cachedTokens: 4 }));
    rows.add(makeRecord({ cacheHit: true, costUsd: 0 }));
    rows.add(makeRecord({ outcome: 'timeout', latencyMs: 120_000 }));
    rows.add(makeRecord({ provider: 'custom', model: weird, costUsd: null, latencyMs: 2000 }));
    const text = prometheusText(rows, { from: 0, to: Infinity });
    const lines = text.split('\n');

    it('follows the exposition grammar: HELP and TYPE first, one family at a time, final newline', () => {
      assert.ok(text.endsWith('\n'));
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;
      const typed = new Map<string, string>();
      const seenFamilies: string[] = [];
      for (const line of lines.slice(0, -1)) {
        if (line.startsWith('# HELP ')) continue;
        const type = /^# TYPE (\S+) (counter|histogram)$/.exec(line);
        if (type) {
          assert.ok(!typed.has(type[1] as string), `TYPE twice for ${type[1]}`);
          typed.set(type[1] as string, type[2] as string);
          seenFamilies.push(type[1] as string);
          continue;
        }
        const m = sample.exec(line);
        assert.ok(m, `not a valid sample line: ${line}`);
        const family = (m[1] as string).replace(/_(bucket|sum|count)$/, (s) => (typed.get((m[1] as string).slice(0, -s.length)) === 'histogram' ? '' : s));
        assert.equal(family, seenFamilies.at(-1), `${line} is outside its family`);
      }
      assert.deepEqual(
        [...typed.keys()],
        [
          'aurelis_requests_total',
          'aurelis_tokens_total',
          'aurelis_cost_usd_total',
          'aurelis_unpriced_requests_total',
          'aurelis_errors_total',
          'aurelis_cache_hits_total',
          'aurelis_request_duration_seconds',
        ],
      );
    });

    it('escapes backslash, double quote and line feed in label values', () => {
      assert.equal(escapeLabelValue(weird), 'we\\"ird\\\\model\\nx');
      assert.ok(lines.includes('aurelis_unpriced_requests_total{provider="custom",model="we\\"ird\\\\model\\nx",task="generate"} 1'));
    });

    it('labels counters by model and task', () => {
      assert.ok(lines.includes('aurelis_requests_total{provider="openai",model="gpt-4o",task="generate",outcome="ok"} 4'));
      assert.ok(lines.includes('aurelis_requests_total{provider="openai",model="gpt-4o",task="review",outcome="ok"} 1'));
      assert.ok(lines.includes('aurelis_errors_total{provider="openai",model="gpt-4o",task="generate",kind="timeout"} 1'));
      assert.ok(lines.includes('aurelis_cache_hits_total{provider="openai",model="gpt-4o",task="generate"} 1'));
      assert.ok(lines.includes('aurelis_cost_usd_total{provider="openai",model="gpt-4o",task="review"} 0.5'));
      assert.ok(lines.includes('aurelis_tokens_total{provider="openai",model="gpt-4o",task="generate",type="cached"} 4'));
      // Generate: two answers of 1000 prompt tokens and one of 10, plus the timeout's 1000; the cache hit adds none.
      assert.ok(lines.includes('aurelis_tokens_total{provider="openai",model="gpt-4o",task="generate",type="prompt"} 3010'));
    });

    it('writes a cumulative latency histogram with +Inf equal to the count', () => {
      const series = lines.filter((l) => l.startsWith('aurelis_request_duration_seconds') && l.includes('model="gpt-4o"'));
      const buckets = series.filter((l) => l.includes('_bucket')).map((l) => Number(l.split(' ')[1]));
      assert.equal(buckets.length, LATENCY_BUCKETS.length + 1);
      // 0.4 s, 1 s, 7 s and 500 s answered (the timeout is not an answer).
      assert.deepEqual(buckets, [0, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4]);
      assert.ok(series.some((l) => l.endsWith('_bucket{provider="openai",model="gpt-4o",le="+Inf"} 4')));
      assert.ok(series.includes('aurelis_request_duration_seconds_count{provider="openai",model="gpt-4o"} 4'));
      assert.ok(series.includes('aurelis_request_duration_seconds_sum{provider="openai",model="gpt-4o"} 508.4'));
      for (let i = 1; i < buckets.length; i++) assert.ok((buckets[i] as number) >= (buckets[i - 1] as number));
    });
  });

  describe('through UsageAnalytics', () => {
    const tmp = useTempDir();
    it('exports the filtered records as JSON with the report, and as CSV', async () => {
      const settings = liveSettings((s) => {
        s.ledger.fsync = false;
      });
      const clock = new FakeClock(Date.UTC(2025, 2, 10, 18));
      const ledger = new UsageLedger({ storageDir: tmp.path, settings: settings.get, clock });
      await ledger.record(makeRecord({ requestId: 'x1' }));
      await ledger.record(makeRecord({ requestId: 'x2', task: 'review' }));
      await ledger.record(makeRecord({ requestId: 'old', ts: Date.UTC(2024, 0, 1) }));
      const analytics = new UsageAnalytics({ ledger, settings: settings.get, clock });
      const filter = { period: { kind: 'last7Days' as const } };

      const json = JSON.parse(await collect(analytics.export('json', filter))) as { format: string; report: { totals: { requests: number } }; records: UsageRecord[] };
      assert.equal(json.format, JSON_EXPORT_FORMAT);
      assert.equal(json.report.totals.requests, 2);
      assert.deepEqual(json.records.map((r) => r.requestId), ['x1', 'x2']);

      const csv = parseCsv(await collect(analytics.export('csv', { ...filter, task: 'review' })));
      assert.deepEqual(csv.map((r) => r[1]), ['request_id', 'x2']);

      const empty = JSON.parse(await collect(analytics.export('json', { period: { kind: 'custom', from: 0, to: 1 } }))) as { records: unknown[] };
      assert.deepEqual(empty.records, []);
      assert.match(await collect(analytics.export('prometheus', filter)), /aurelis_requests_total\{provider="openai",model="gpt-4o",task="review",outcome="ok"\} 1/);
      await ledger.close();
    });
  });
});
