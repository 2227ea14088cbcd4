import assert from 'node:assert/strict';
import type { RecordedRequest } from '../fake-server';
import { useCliFixture } from './support/setup';

type Body = { messages?: Array<{ role: string; content: string }> };
const systemOf = (r: RecordedRequest | undefined) => ((r?.body as Body | undefined)?.messages ?? []).filter((m) => m.role === 'system').map((m) => m.content).join('\n');

describe('aurelis: project instructions and standards', () => {
  const t = useCliFixture();

  it('explain sends AGENTS.md, the nearest nested one and matching .instructions.md, and names them on stderr', async () => {
    t.write('AGENTS.md', 'Always mention the complexity.\n');
    t.write('lib/AGENTS.md', 'In lib/, prefer pure functions.\n');
    t.write('.github/instructions/js.instructions.md', '---\napplyTo: "**/*.js"\n---\nJavaScript: mention strict mode.\n');
    t.write('.github/instructions/py.instructions.md', '---\napplyTo: "**/*.py"\n---\nPython: PEP 8.\n');
    t.write('lib/sum.js', 'export const sum = (xs) => xs.reduce((a, b) => a + b, 0);\n');
    const r = await t.run(['explain', 'lib/sum.js']);
    assert.equal(r.code, 0, r.stderr);
    const system = systemOf(t.server.chatRequests[0]);
    assert.match(system, /Always mention the complexity\./);
    assert.match(system, /prefer pure functions/);
    assert.match(system, /mention strict mode/);
    assert.doesNotMatch(system, /PEP 8/);
    assert.match(r.stderr, /^aurelis: with AGENTS\.md, lib\/AGENTS\.md, \.github\/instructions\/js\.instructions\.md$/m);
  });

  it('.aurelis.yaml standards steer generation; no instruction files, nothing named', async () => {
    t.write('.aurelis.yaml', 'standards:\n  code_style: Every exported function has an explicit return type.\n');
    const r = await t.run(['generate', 'a function that adds two numbers', '--language', 'typescript']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(systemOf(t.server.chatRequests[0]), /Follow the team's code style: Every exported function has an explicit return type\./);
    assert.doesNotMatch(r.stderr, /aurelis: with /);
  });

  it('review sends each file its own instructions and the standards, and names them once for the run', async () => {
    t.write('AGENTS.md', 'Flag every console.log.\n');
    t.write('.github/instructions/py.instructions.md', '---\napplyTo: "**/*.py"\n---\nPython: PEP 8.\n');
    t.write('.aurelis.yaml', 'standards:\n  code_style: No abbreviations in names.\n');
    t.write('src/a.js', 'console.log(1);\n');
    t.write('src/b.js', 'console.log(2);\n');
    t.write('tools/c.py', 'print(3)\n');
    const r = await t.run(['review', 'src', 'tools', '--fail-on', 'never']);
    assert.equal(r.code, 0, r.stderr);
    const systems = t.server.chatRequests.map(systemOf);
    assert.equal(systems.length, 3);
    for (const system of systems) {
      assert.match(system, /Flag every console\.log\./);
      assert.match(system, /No abbreviations in names\./);
    }
    assert.equal(systems.filter((s) => /PEP 8/.test(s)).length, 1, 'only the Python file gets the Python instructions');
    assert.equal(r.stderr.split('\n').filter((l) => l === 'aurelis: with AGENTS.md').length, 1, r.stderr);
  });
});
