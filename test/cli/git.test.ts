import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ReviewJsonSchema } from '../../src/core/review/formats/jsonReport';
import { definedOnly, promptOf } from './support/cli';
import { useCliFixture } from './support/setup';

describe('aurelis with git: --changed, --staged and the pre-commit hook', () => {
  const t = useCliFixture();
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: t.dir, env: definedOnly(t.env), encoding: 'utf8' });
  /** A commit runs the hook, which talks to the fake server in this process: it must not block the event loop. */
  const commit = (message: string): Promise<{ status: number; output: string }> =>
    new Promise((resolve) => {
      execFile('git', ['commit', '-m', message], { cwd: t.dir, env: definedOnly(t.env), encoding: 'utf8' }, (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
      });
    });

  /** A repository with one real commit of a 200-line file. */
  function repository(): string[] {
    git('init', '-q', '-b', 'main');
    const lines = Array.from({ length: 200 }, (_, i) => `export const v${i + 1} = ${i + 1};`);
    t.write('src/app.js', `${lines.join('\n')}\n`);
    t.write('README.md', '# demo\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    return lines;
  }

  it('--changed reviews the changed lines with context (and new files), not the whole file, reporting on changed lines only', async () => {
    const lines = repository();
    lines[119] = 'export const v120 = eval(process.argv[2]);';
    lines[9] = 'export const v10 = 10; console.log(v10);';
    lines.splice(160, 0, 'export const check = (x) => x == null;');
    t.write('src/app.js', `${lines.join('\n')}\n`);
    t.write('src/new.js', 'export const fresh = eval("1");\n');
    // A finding on a line nobody changed is left out of a review of changes.
    t.write('README.md', '# demo\n');
    const r = await t.run(['review', '--changed', '--format', 'json', '--context-lines', '5']);
    assert.equal(r.code, 1, r.stderr);
    const report = ReviewJsonSchema.parse(JSON.parse(r.stdout));
    assert.deepEqual(
      report.files.map((f) => [f.path, f.findings.map((x) => [x.startLine, x.severity])]),
      [
        ['src/app.js', [[10, 'warning'], [120, 'error'], [161, 'info']]],
        ['src/new.js', [[1, 'error']]],
      ],
    );
    const prompts = t.server.chatRequests.map(promptOf);
    const appPrompts = prompts.filter((p) => p.includes('File: src/app.js'));
    assert.equal(appPrompts.length, 3, 'one piece per changed area');
    for (const p of appPrompts) assert.ok(!p.includes('export const v60 = 60;'), 'far-away lines are not sent');
    assert.ok(appPrompts.some((p) => p.includes('115| export const v115 = 115;') && p.includes('125| export const v125 = 125;')), 'context around the change');

    git('add', 'src/app.js');
    git('commit', '-q', '-m', 'second');
    const branchBase = await t.run(['review', '--changed', 'HEAD~1', '--format', 'json', '--fail-on', 'never', 'src/app.js']);
    assert.equal(branchBase.code, 0, branchBase.stderr);
    assert.deepEqual(ReviewJsonSchema.parse(JSON.parse(branchBase.stdout)).files.map((f) => f.path), ['src/app.js']);
    const nothing = await t.run(['review', '--changed', '--fail-on', 'never', 'src/app.js']);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stderr, /no changes to review/);
    const badBase = await t.run(['review', '--changed', 'no-such-branch']);
    assert.equal(badBase.code, 2);
    assert.match(badBase.stderr, /"no-such-branch" is not a commit git knows here/);
  });

  it('--staged reviews what the index holds; outside a repository it is a usage error', async () => {
    repository();
    t.write('src/app.js', `${readFileSync(`${t.dir}/src/app.js`, 'utf8')}export const late = eval("x");\n`);
    const unstaged = await t.run(['review', '--staged']);
    assert.equal(unstaged.code, 0, unstaged.stderr);
    assert.match(unstaged.stderr, /nothing staged to review/);
    git('add', 'src/app.js');
    const staged = await t.run(['review', '--staged', '--format', 'json']);
    assert.equal(staged.code, 1, staged.stderr);
    assert.deepEqual(ReviewJsonSchema.parse(JSON.parse(staged.stdout)).files[0]?.findings.map((f) => f.startLine), [201]);
    const outside = await t.run(['review', '--staged'], { cwd: `${t.dir}/..` });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /needs a git repository/);
  });

  it('the pre-commit hook stops a commit with an error-level finding and lets a clean one through', async () => {
    repository();
    const installed = await t.run(['hook', 'install']);
    assert.equal(installed.code, 0, installed.stderr);
    assert.match(readFileSync(`${t.dir}/.git/hooks/pre-commit`, 'utf8'), /review --staged --fail-on error/);

    t.write('src/danger.js', 'export function run(code) {\n  return eval(code);\n}\n');
    git('add', 'src/danger.js');
    const blocked = await commit('add danger');
    assert.notEqual(blocked.status, 0, 'the commit was stopped');
    assert.match(blocked.output, /src\/danger\.js\n {2}2 +error +security/);
    assert.equal(git('rev-list', '--count', 'HEAD').trim(), '1');

    git('rm', '-q', '--cached', 'src/danger.js');
    t.write('src/safe.js', 'export const add = (a, b) => a + b;\n');
    git('add', 'src/safe.js');
    const clean = await commit('add safe');
    assert.equal(clean.status, 0, clean.output);
    assert.equal(git('rev-list', '--count', 'HEAD').trim(), '2');

    const again = await t.run(['hook', 'install']);
    assert.equal(again.code, 0, 'its own hook is replaced without --force');
    t.write('.git/hooks/pre-commit', '#!/bin/sh\nexit 0\n');
    const foreign = await t.run(['hook', 'install']);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /was not written by Aurelis/);
  });
});
