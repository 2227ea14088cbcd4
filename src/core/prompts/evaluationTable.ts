/**
 * The evaluation as a table of rows × evaluators: pass/fail with the score, then tokens and
 * cost. Markdown for the editor, plain aligned text for a terminal.
 */
import { formatUsd } from '../../shared/format';
import type { PromptEvaluation, RowResult } from './promptEvaluation';

function cells(evaluation: PromptEvaluation, row: RowResult): string[] {
  const verdicts = evaluation.evaluators.map((name) => {
    if (row.error !== undefined) return 'error';
    const e = row.evaluations.find((x) => x.evaluator === name);
    return e === undefined ? '' : `${e.passed ? 'pass' : 'FAIL'} ${Number.isInteger(e.score) ? e.score : e.score.toFixed(2)}`;
  });
  return [String(row.row), ...verdicts, row.passed ? 'pass' : 'FAIL', String(row.tokens), row.costUsd === null ? 'price unknown' : formatUsd(row.costUsd)];
}

function header(evaluation: PromptEvaluation): string[] {
  return ['Row', ...evaluation.evaluators, 'Row result', 'Tokens', 'Cost'];
}

function summary(evaluation: PromptEvaluation): string {
  const total = evaluation.rows.length;
  return `${evaluation.passed} of ${total} row${total === 1 ? '' : 's'} passed${evaluation.failed > 0 ? `, ${evaluation.failed} failed` : ''}.`;
}

export function evaluationMarkdown(evaluation: PromptEvaluation): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const head = header(evaluation);
  const lines = [`# Evaluation of ${esc(evaluation.prompt)}`, '', `*${evaluation.file}* — ${summary(evaluation)}`, '', `| ${head.map(esc).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of evaluation.rows) lines.push(`| ${cells(evaluation, row).map(esc).join(' | ')} |`);
  const notes = evaluation.rows.flatMap((row) => [
    ...(row.error !== undefined ? [`- Row ${row.row}: the request failed: ${row.error}`] : []),
    ...row.evaluations.filter((e) => !e.passed).map((e) => `- Row ${row.row}, ${e.evaluator}: ${e.detail}`),
  ]);
  if (notes.length > 0) lines.push('', '## Why rows failed', '', ...notes.map(esc));
  lines.push('', '## Answers', '');
  for (const row of evaluation.rows) lines.push(`### Row ${row.row}${row.model ? ` (${row.model})` : ''}`, '', row.error !== undefined ? `> ${row.error}` : `> ${row.answer.trim().replace(/\n/g, '\n> ')}`, '');
  return lines.join('\n');
}

export function evaluationText(evaluation: PromptEvaluation): string {
  const table = [header(evaluation), ...evaluation.rows.map((r) => cells(evaluation, r))];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const failures = evaluation.rows.flatMap((row) => [
    ...(row.error !== undefined ? [`row ${row.row}: the request failed: ${row.error}`] : []),
    ...row.evaluations.filter((e) => !e.passed).map((e) => `row ${row.row}, ${e.evaluator}: ${e.detail}`),
  ]);
  return [`${evaluation.prompt} (${evaluation.file})`, '', ...table.map(line), '', summary(evaluation), ...failures.map((f) => `  ${f}`)].join('\n');
}
