import assert from 'node:assert/strict';
import { markdownTable, textTable, verdict, type Row } from '../../bench/report';
import { measuredFirst, median, minimumWallMs, percentile, ratio } from '../../bench/stats';
import { zipEntries } from '../../bench/zipEntries';

describe('bench arithmetic', () => {
  it('percentiles are nearest-rank: always a sample that was measured', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    assert.equal(percentile(samples, 50), 5);
    assert.equal(percentile(samples, 95), 10);
    assert.equal(percentile(samples, 90), 9);
    assert.equal(percentile(samples, 0), 1);
    assert.equal(percentile(samples, 100), 10);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([7]), 7);
    assert.deepEqual(samples, [5, 1, 4, 2, 3, 10, 9, 8, 7, 6], 'the samples are not reordered');
    assert.throws(() => percentile([], 50), /no samples/);
    assert.throws(() => percentile([1], 101), /outside/);
  });

  it('ratios round to three decimals and refuse an empty baseline', () => {
    assert.equal(ratio(2.1, 2), 1.05);
    assert.equal(ratio(1, 3), 0.333);
    assert.throws(() => ratio(1, 0), /baseline of 0/);
  });

  it('the minimum wall time under a rate limit counts windows, then the waves of the last one', () => {
    const limit = { perWindow: 15, windowMs: 2000, concurrent: 3 };
    // 15 requests fit in the first window: 5 waves of 3.
    assert.equal(minimumWallMs(15, limit, 20), 100);
    // The 16th waits one window, then runs alone.
    assert.equal(minimumWallMs(16, limit, 20), 2020);
    // 300 requests: 19 windows of waiting, then the last window's 15 in 5 waves.
    assert.equal(minimumWallMs(300, limit, 20), 19 * 2000 + 100);
    // With a tiny window the concurrency limit is what binds.
    assert.equal(minimumWallMs(30, { perWindow: 15, windowMs: 10, concurrent: 3 }, 20), 200);
    assert.equal(minimumWallMs(0, limit, 20), 0);
  });

  it('pairs alternate ABBA so neither side always goes first', () => {
    const order = Array.from({ length: 8 }, (_, i) => measuredFirst(i));
    assert.deepEqual(order, [true, false, false, true, true, false, false, true]);
  });
});

describe('bench summary table', () => {
  const table: Row[] = [
    { measurement: 'Overhead', figure: '1.020×', detail: 'a | b', target: { max: 1.05 }, value: 1.02 },
    { measurement: 'Errors', figure: '2', detail: '', target: { equals: 0 }, value: 2 },
    { measurement: 'Size', figure: '10 KiB', detail: 'no target' },
    { measurement: 'Skipped', figure: 'n/a', detail: 'quick mode', target: { max: 1 }, value: null },
  ];

  it('marks each target met or not, and leaves rows without one (or without a value) blank', () => {
    assert.deepEqual(table.map(verdict), ['met', 'NOT met', '', '']);
    assert.equal(verdict({ target: { max: 1.05 }, value: 1.05 }), 'met', 'the limit itself is within the target');
  });

  it('pads the terminal table to the widest cell of each column', () => {
    const lines = textTable(table).split('\n');
    assert.equal(lines.length, 2 + table.length);
    assert.match(lines[0] ?? '', /^Measurement\s+Result\s+Baseline \/ detail\s+Target\s+Met$/);
    const column = (lines[0] ?? '').indexOf('Result');
    assert.deepEqual(
      lines.slice(2).map((line) => line.slice(column).split('  ')[0]),
      table.map((row) => row.figure),
      'every figure starts where its header does',
    );
    assert.ok(lines[2]?.endsWith('met'));
    assert.ok(lines[3]?.endsWith('NOT met'));
  });

  it('writes Markdown with a separator row and escaped pipes', () => {
    const lines = markdownTable(table).split('\n');
    assert.equal(lines[0], '| Measurement | Result | Baseline / detail | Target | Met |');
    assert.equal(lines[1], '| --- | --- | --- | --- | --- |');
    assert.equal(lines[2], '| Overhead | 1.020× | a \\| b | ≤ 1.05 | met |');
    assert.equal(lines[4], '| Size | 10 KiB | no target | — |  |');
  });
});

describe('bench: reading a VSIX (ZIP) directory', () => {
  /** A ZIP with only a central directory and its end record: all the reader looks at. */
  function zipOf(files: Array<{ name: string; compressed: number; size: number }>, comment = ''): Buffer {
    const entries = files.map((f) => {
      const name = Buffer.from(f.name, 'utf8');
      const e = Buffer.alloc(46 + name.length);
      e.writeUInt32LE(0x02014b50, 0);
      e.writeUInt32LE(f.compressed, 20);
      e.writeUInt32LE(f.size, 24);
      e.writeUInt16LE(name.length, 28);
      name.copy(e, 46);
      return e;
    });
    const directory = Buffer.concat(entries);
    const end = Buffer.alloc(22 + comment.length);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(files.length, 8);
    end.writeUInt16LE(files.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(0, 16);
    end.writeUInt16LE(comment.length, 20);
    end.write(comment, 22);
    return Buffer.concat([directory, end]);
  }

  it('lists each file with its size, also when the archive has a comment', () => {
    const files = [
      { name: 'extension/package.json', compressed: 900, size: 3000 },
      { name: 'extension/dist/extension.js', compressed: 1_200_000, size: 3_579_412 },
    ];
    for (const zip of [zipOf(files), zipOf(files, 'packed by vsce')]) {
      assert.deepEqual(zipEntries(zip), [
        { name: 'extension/package.json', compressedBytes: 900, bytes: 3000 },
        { name: 'extension/dist/extension.js', compressedBytes: 1_200_000, bytes: 3_579_412 },
      ]);
    }
  });

  it('refuses what is not a ZIP, or a damaged directory', () => {
    assert.throws(() => zipEntries(Buffer.from('not a zip at all, just some text here')), /not a ZIP/);
    assert.throws(() => zipEntries(Buffer.alloc(4)), /not a ZIP/);
    const damaged = zipOf([{ name: 'a', compressed: 1, size: 1 }]);
    damaged.writeUInt32LE(0, 0);
    assert.throws(() => zipEntries(damaged), /damaged at entry 0/);
  });
});
