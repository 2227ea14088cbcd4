import assert from 'node:assert/strict';
import { readProjectFileRules } from '../../../src/core/instructions/projectFileRules';
import { standardsFor, withStandards } from '../../../src/core/instructions/teamStandards';
import { mergeSetting, policyOf } from '../../../src/core/settingsPolicy';
import { resolveChain } from '../../../src/core/routing/modelChain';
import { parseSettings } from '../../../src/core/settings';

describe('.aurelis.yaml in the editor', () => {
  it('reads the standards and the values that may tighten settings', () => {
    const rules = readProjectFileRules(
      'standards:\n  code_style: Airbnb\n  test_framework: Vitest\n  documentation_style: TSDoc\ncost_management:\n  daily_budget: 2\nsecurity:\n  secret_scan: block\nallowed_models: [gpt-4o-mini]\nmodels:\n  review: gpt-4o\n',
    );
    assert.deepEqual(rules.standards, { code_style: 'Airbnb', test_framework: 'Vitest', documentation_style: 'TSDoc' });
    assert.deepEqual(rules.tightening['budgets.dailyUsd'], { value: 2, key: 'cost_management.daily_budget' });
    assert.deepEqual(rules.tightening['security.secretScan'], { value: 'block', key: 'security.secret_scan' });
    assert.deepEqual(rules.tightening.allowedModels, { value: ['gpt-4o-mini'], key: 'allowed_models' });
    assert.deepEqual(rules.userOnly, []);
    assert.deepEqual(rules.problems, []);
  });

  it('names the keys that choose where requests go', () => {
    const rules = readProjectFileRules('provider: custom\nbase_url: https://collector.example/v1\nprices:\n  gpt-4o: {input: 0, output: 0}\n');
    assert.deepEqual(rules.userOnly, ['provider', 'base_url', 'prices']);
  });

  it('reports a bad standard with its key and line, and a YAML error with its line', () => {
    assert.match(readProjectFileRules('provider: openai\nstandards:\n  code_style: x\n  tabs: 2\n').problems[0] ?? '', /line 4: "standards\.tabs" is not a standard/);
    assert.match(readProjectFileRules('standards:\n  code_style: [a\n').problems[0] ?? '', /^\.aurelis\.yaml line \d+: /);
  });

  it('through the tighten-only merge: a lower budget counts, a higher one and a weaker scan do not', () => {
    const user = parseSettings({ budgets: { dailyUsd: 5 }, security: { secretScan: 'redact' } }).settings;
    assert.deepEqual(mergeSetting('budgets.dailyUsd', policyOf('budgets.dailyUsd'), { user: user.budgets.dailyUsd, workspace: [2] }), { value: 2 });
    assert.deepEqual(mergeSetting('budgets.dailyUsd', policyOf('budgets.dailyUsd'), { user: 5, workspace: [50] }), { value: 5, ignored: 'looser' });
    assert.deepEqual(mergeSetting('security.secretScan', policyOf('security.secretScan'), { user: 'redact', workspace: ['off'] }), { value: 'redact', ignored: 'looser' });
  });

  it('an allow-list may only get shorter', () => {
    const policy = policyOf('allowedModels');
    assert.equal(policy, 'tighten-only');
    assert.deepEqual(mergeSetting('allowedModels', policy, { user: [], workspace: [['gpt-4o-mini']] }), { value: ['gpt-4o-mini'] });
    assert.deepEqual(mergeSetting('allowedModels', policy, { user: ['a', 'b'], workspace: [['a']] }), { value: ['a'] });
    assert.deepEqual(mergeSetting('allowedModels', policy, { user: ['a'], workspace: [['a', 'c']] }), { value: ['a'], ignored: 'looser' });
    assert.deepEqual(mergeSetting('allowedModels', policy, { user: ['a'], workspace: [[]] }), { value: ['a'], ignored: 'looser' });
  });

  it('the allow-list skips models of a chain, and refuses when none is left', () => {
    const settings = parseSettings({ models: { review: ['gpt-4o', 'gpt-4o-mini'] }, allowedModels: ['gpt-4o-mini'] }).settings;
    assert.deepEqual(resolveChain('review', undefined, settings).map((t) => t.model), ['gpt-4o-mini']);
    assert.throws(() => resolveChain('review', 'gpt-4o', settings), /not|allow-list/);
  });

  it('instructions.enabled: a workspace may turn them off, never on', () => {
    assert.deepEqual(mergeSetting('instructions.enabled', policyOf('instructions.enabled'), { user: true, workspace: [false] }), { value: false });
    assert.deepEqual(mergeSetting('instructions.enabled', policyOf('instructions.enabled'), { user: false, workspace: [true] }), { value: false, ignored: 'looser' });
  });
});

describe('team standards', () => {
  const standards = { code_style: 'Google style', test_framework: 'Vitest', documentation_style: 'TSDoc with @example' };

  it('steer Review, Document and Generate Tests, and leave Explain alone', () => {
    assert.match(standardsFor('review', standards).join('\n'), /check the code against the team's code style: Google style/);
    assert.match(standardsFor('document', standards).join('\n'), /documentation style: TSDoc with @example/);
    assert.match(standardsFor('test', standards).join('\n'), /Vitest/);
    assert.deepEqual(standardsFor('explain', standards), []);
  });

  it('go into the system prompt after the task\'s own', () => {
    const r = withStandards({ task: 'document', systemPrompt: 'Document.', prompt: 'x' }, standards);
    assert.ok(r.systemPrompt?.startsWith('Document.\n\n# Team standards (from .aurelis.yaml)'));
  });
});
