// The host harness's result file: reading it, printing it like mocha's spec reporter, and passing
// the counts on to scripts/test.mjs through AURELIS_RESULT_FILE.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** @returns {object | undefined} the parsed result, or undefined while it is missing or half-written */
export function readResult(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function printResult(result) {
  console.log(`\n  ran in ${result.appName} ${result.vscodeVersion}` + (result.activation_ms === null ? '' : `, extension activated in ${result.activation_ms} ms`));
  for (const t of result.tests) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✗' : '-';
    console.log(`    ${mark} ${t.title}${t.state === 'passed' ? ` (${t.durationMs} ms)` : ''}`);
  }
  console.log(`\n  ${result.passed} passing, ${result.failed} failing, ${result.pending} pending (${(result.durationMs / 1000).toFixed(1)} s)`);
  result.failures.forEach((f, i) => console.log(`\n  ${i + 1}) ${f.title}\n     ${f.error.split('\n').join('\n     ')}`));
}

/** Writes `{passed, failed, pending, failures}` (the count reporter's shape) where scripts/test.mjs reads it. */
export function reportCounts({ passed, failed, pending, failures }) {
  const file = process.env.AURELIS_RESULT_FILE;
  if (file) writeFileSync(file, JSON.stringify({ passed, failed, pending, failures }, null, 2));
}
