import assert from 'node:assert/strict';
import type { CatalogModel } from '../../../src/core/catalog/catalogSchemas';
import { limitsFor } from '../../../src/core/catalog/modelLimits';
import type { ModelTarget } from '../../../src/core/pipeline';
import { paceLimitsFor, userSetLimits } from '../../../src/core/resilience/rateTiers';
import { ModelFactsBook, type CatalogState } from '../../../src/core/routing/modelFacts';
import { resolveChain } from '../../../src/core/routing/modelChain';
import { targetKey } from '../../../src/core/routing/modelRef';
import { outputAllowance } from '../../../src/core/routing/outputAllowance';
import { settingsFrom } from '../orchestrator/harness';

/** A catalog whose entries the test sets; `version` changes with them, as ModelCatalog's does. */
class TestCatalog implements CatalogState {
  version = 0;
  private readonly models = new Map<string, CatalogModel>();
  cached(target: ModelTarget): CatalogModel | undefined {
    return this.models.get(targetKey(target));
  }
  set(model: CatalogModel): void {
    this.models.set(targetKey({ provider: model.provider, model: model.id }), model);
    this.version++;
  }
}

describe('model facts, worked out once per target, settings and catalog state', () => {
  const settings = settingsFrom({ provider: 'github-models', models: { explain: ['openai/gpt-4.1', 'openai/o4-mini'] }, rateLimits: { overrides: { 'openai/o4-mini': { requestsPerMinute: 3 } } } });

  it('say what the stages would work out themselves, for every model of a chain', () => {
    const book = new ModelFactsBook(new TestCatalog());
    for (const target of resolveChain('explain', undefined, settings)) {
      const facts = book.of(target, settings);
      assert.deepEqual(facts.limits, limitsFor(target, settings, undefined));
      assert.deepEqual(facts.paceLimits, paceLimitsFor(target, settings, undefined));
      assert.equal(facts.userSetLimits, userSetLimits(target, settings, undefined));
      for (const request of [{ task: 'explain' as const }, { task: 'review' as const }, { task: 'explain' as const, maxTokens: 77 }]) {
        assert.equal(facts.allowance(request), outputAllowance(request, target, settings, facts.limits), `${target.model} ${JSON.stringify(request)}`);
      }
    }
  });

  it('are the same object for the same frozen target until the settings or the catalog change', () => {
    const catalog = new TestCatalog();
    const book = new ModelFactsBook(catalog);
    const [target] = resolveChain('explain', undefined, settings) as [ModelTarget];
    const first = book.of(target, settings);
    assert.equal(book.of(target, settings), first);
    const edited = settingsFrom({ provider: 'github-models', models: { explain: ['openai/gpt-4.1'] }, githubModels: { plan: 'enterprise' } });
    assert.notEqual(book.of(target, edited), first, 'a new settings object is worked out anew');
    catalog.set({ provider: 'github-models', id: 'openai/gpt-4.1', maxInputTokens: 5_000, tier: 'low' });
    const after = book.of(target, edited);
    assert.equal(after.catalog?.maxInputTokens, 5_000, 'a catalog that arrived is read');
    assert.equal(after.limits.maxInputTokens, limitsFor(target, edited, after.catalog).maxInputTokens);
  });

  it('are never kept for a target that could still change', () => {
    const book = new ModelFactsBook(new TestCatalog());
    const target: ModelTarget = { provider: 'github-models', model: 'openai/gpt-4.1' };
    const before = book.of(target, settings);
    target.model = 'openai/o4-mini';
    const after = book.of(target, settings);
    assert.notEqual(after, before);
    assert.deepEqual(after.paceLimits, paceLimitsFor(target, settings, undefined));
    assert.equal(targetKey(target), 'github-models:openai/o4-mini', 'nor is its key');
  });
});
