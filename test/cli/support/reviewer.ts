/**
 * A fake reviewer that answers the way a real model does for Aurelis's review prompt: it reads
 * the numbered code ("12| code") and reports findings on those line numbers as JSON. Lines with
 * `eval(` are a security error (with a suggested replacement), lines with `console.log(` a style
 * warning, `== null` an info. Explain and generate requests get prose and a fenced block.
 */
import type { FakeReply, RecordedRequest } from '../../fake-server';
import { reply } from '../../fake-server';
import { promptOf } from './cli';

export interface FakeFinding {
  severity: string;
  category: string;
  startLine: number;
  endLine: number;
  message: string;
  suggestion: string | null;
}

export function reviewerReply(request: RecordedRequest): FakeReply {
  const body = request.body as { response_format?: { type?: string } };
  const prompt = promptOf(request);
  if (body.response_format?.type === 'json_schema' || /^Review this code/m.test(prompt)) return reply.text(JSON.stringify({ findings: findingsIn(prompt) }));
  if (/^Explain this code/m.test(prompt)) return reply.text('This code adds two numbers.\n\nIt returns their sum.');
  return reply.text('```javascript\nfunction add(a, b) {\n  return a + b;\n}\n```');
}

export function findingsIn(prompt: string): FakeFinding[] {
  const findings: FakeFinding[] = [];
  for (const m of prompt.matchAll(/^\s*(\d+)\| (.*)$/gm)) {
    const line = Number(m[1]);
    const code = m[2] ?? '';
    if (code.includes('eval(')) {
      findings.push({ severity: 'error', category: 'security', startLine: line, endLine: line, message: 'eval() runs any string as code; parse the input instead.', suggestion: code.replace(/eval\(/, 'JSON.parse(') });
    } else if (code.includes('console.log(')) {
      findings.push({ severity: 'warning', category: 'style', startLine: line, endLine: line, message: 'Leftover debug logging.', suggestion: null });
    } else if (code.includes('== null')) {
      findings.push({ severity: 'info', category: 'correctness', startLine: line, endLine: line, message: 'Loose equality also matches undefined; say so if that is meant.', suggestion: null });
    }
  }
  return findings;
}
