import assert from 'node:assert/strict';
import { cacheKey } from '../../../src/core/cache/cacheKey';
import { cutNote, fitInstructions } from '../../../src/core/instructions/instructionAllowance';
import { appliesTo, findInstructions } from '../../../src/core/instructions/instructionFiles';
import type { ProjectFiles } from '../../../src/core/instructions/projectFiles';
import { instructionsLabel, withInstructions } from '../../../src/core/instructions/projectInstructions';
import { countTokens } from '../../../src/core/tokens';

/** A project in memory: path → text. */
function project(files: Record<string, string>): ProjectFiles {
  return {
    read: async (p) => files[p],
    list: async (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)),
  };
}

describe('project instructions: discovery', () => {
  it('reads the root AGENTS.md and .github/copilot-instructions.md for any file', async () => {
    const found = await findInstructions(project({ 'AGENTS.md': 'Use tabs.', '.github/copilot-instructions.md': 'Prefer const.' }), 'src/a.ts');
    assert.deepEqual(found.files.map((f) => f.path), ['AGENTS.md', '.github/copilot-instructions.md']);
    assert.equal(found.files[0]?.text, 'Use tabs.');
  });

  it('adds the nearest nested AGENTS.md above the file, not the farther ones', async () => {
    const files = project({ 'AGENTS.md': 'root', 'packages/AGENTS.md': 'packages', 'packages/api/AGENTS.md': 'api', 'packages/web/AGENTS.md': 'web' });
    const found = await findInstructions(files, 'packages/api/src/server.ts');
    assert.deepEqual(found.files.map((f) => f.path), ['AGENTS.md', 'packages/api/AGENTS.md']);
    const other = await findInstructions(files, 'packages/shared/x.ts');
    assert.deepEqual(other.files.map((f) => f.path), ['AGENTS.md', 'packages/AGENTS.md']);
    const atRoot = await findInstructions(files, 'README.md');
    assert.deepEqual(atRoot.files.map((f) => f.path), ['AGENTS.md']);
  });

  it('attaches .instructions.md files whose applyTo glob matches the file, without their front matter', async () => {
    const files = project({
      '.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts"\n---\nUse strict TypeScript.',
      '.github/instructions/py.instructions.md': '---\napplyTo: "**/*.py, scripts/**"\n---\nFollow PEP 8.',
      '.github/instructions/manual.instructions.md': 'No applyTo: attached by hand only.',
      '.github/instructions/notes.md': '---\napplyTo: "**"\n---\nnot an instructions file',
    });
    const ts = await findInstructions(files, 'src/deep/a.ts');
    assert.deepEqual(ts.files.map((f) => f.path), ['.github/instructions/ts.instructions.md']);
    assert.equal(ts.files[0]?.text, 'Use strict TypeScript.');
    const script = await findInstructions(files, 'scripts/build.sh');
    assert.deepEqual(script.files.map((f) => f.path), ['.github/instructions/py.instructions.md']);
    assert.deepEqual((await findInstructions(files, 'docs/a.md')).files, []);
  });

  it('matches globs the way GitHub writes them', () => {
    assert.ok(appliesTo('**', 'a/b/c.txt'));
    assert.ok(appliesTo('*.ts', 'src/a.ts'), 'a bare pattern matches the file name anywhere');
    assert.ok(appliesTo('src/**/*.tsx', 'src/ui/button.tsx'));
    assert.ok(!appliesTo('src/**/*.tsx', 'test/ui/button.tsx'));
    assert.ok(appliesTo('./src/*.ts', 'src/a.ts'));
    assert.ok(appliesTo('**/.github/*.yml', '.github/ci.yml'), 'dot folders match');
  });

  it('names an instructions file with broken front matter as a problem and leaves it out', async () => {
    const found = await findInstructions(project({ '.github/instructions/bad.instructions.md': '---\napplyTo: [unclosed\n---\nx' }), 'a.ts');
    assert.deepEqual(found.files, []);
    assert.match(found.problems[0] ?? '', /bad\.instructions\.md: its front matter is not valid YAML/);
  });
});

describe('project instructions: allowance', () => {
  const long = Array.from({ length: 400 }, (_, i) => `Rule ${i}: write clear code and keep functions short.`).join('\n');

  it('keeps everything that fits', () => {
    const fitted = fitInstructions([{ path: 'AGENTS.md', text: 'short' }, { path: 'b.md', text: 'also short' }], 2000);
    assert.deepEqual(fitted.files.map((f) => f.path), ['AGENTS.md', 'b.md']);
    assert.deepEqual(fitted.omitted, []);
    assert.equal(fitted.cut, undefined);
  });

  it('cuts the file that goes over at a line, with a note, and leaves out the ones after it', () => {
    const fitted = fitInstructions([{ path: 'AGENTS.md', text: 'Be brief.' }, { path: '.github/copilot-instructions.md', text: long }, { path: 'x.instructions.md', text: 'later' }], 500);
    assert.equal(fitted.cut, '.github/copilot-instructions.md');
    assert.deepEqual(fitted.omitted, ['x.instructions.md']);
    const cut = fitted.files[1]?.text ?? '';
    assert.ok(cut.endsWith(cutNote('.github/copilot-instructions.md', 500)));
    assert.match(cut, /^Rule 0: .*\n/);
    assert.ok(!cut.includes('Rule 399'), 'the end of the long file is cut');
    assert.ok(fitted.tokens <= 500, `${fitted.tokens} tokens`);
    const body = cut.slice(0, cut.lastIndexOf('\n\n['));
    assert.ok(body.split('\n').every((l) => /^Rule \d+: write clear code and keep functions short\.$/.test(l)), 'cut at a line, not inside one');
    assert.ok(countTokens(cut) < countTokens(long));
  });
});

describe('project instructions: in the request', () => {
  const request = { task: 'review' as const, systemPrompt: 'You review code. Answer with JSON.', prompt: 'Review this.' };

  it('go after the task system prompt, under a heading per file', () => {
    const withThem = withInstructions(request, { files: [{ path: 'AGENTS.md', text: 'Use tabs.' }], omitted: [], tokens: 10 });
    assert.ok(withThem.systemPrompt?.startsWith('You review code. Answer with JSON.'));
    assert.match(withThem.systemPrompt ?? '', /## From AGENTS\.md\n\nUse tabs\./);
    assert.equal(withThem.prompt, request.prompt);
  });

  it('are part of the cache key', () => {
    const target = { provider: 'openai' as const, model: 'gpt-4o-mini' };
    const a = withInstructions(request, { files: [{ path: 'AGENTS.md', text: 'Use tabs.' }], omitted: [], tokens: 10 });
    const b = withInstructions(request, { files: [{ path: 'AGENTS.md', text: 'Use spaces.' }], omitted: [], tokens: 10 });
    assert.notEqual(cacheKey(a, target), cacheKey(b, target));
    assert.notEqual(cacheKey(a, target), cacheKey(request, target));
  });

  it('are named for the footer', () => {
    assert.equal(instructionsLabel(['AGENTS.md', '.github/copilot-instructions.md']), 'with AGENTS.md, .github/copilot-instructions.md');
    assert.equal(instructionsLabel([]), '');
  });
});
