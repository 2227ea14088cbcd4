/**
 * What the pipeline reads about one model while it handles a request — its catalog entry, its
 * token limits, its pace rules, the answer length it may ask for — worked out once per model,
 * settings object and catalog state. Each of these lowers the model id, builds a key or walks a
 * table of patterns; the stages of one request asked them about a dozen times, and that code
 * runs cold on every request (the network, the server and the ledger's disk writes come between).
 */
import type { CatalogModel } from '../catalog/catalogSchemas';
import { limitsFor, type ModelLimits } from '../catalog/modelLimits';
import type { ModelCatalog } from '../catalog/modelCatalog';
import type { ModelTarget } from '../pipeline';
import { paceLimitsFor, userSetLimits, type PaceLimits } from '../resilience/rateTiers';
import type { Settings } from '../settings';
import type { TaskRequest, TaskType } from '../types';
import { outputAllowance } from './outputAllowance';

/** What the facts read from the catalog: its entry for a model, and whether it changed since. */
export type CatalogState = Pick<ModelCatalog, 'cached' | 'version'>;

export class ModelFacts {
  readonly catalog: CatalogModel | undefined;
  readonly limits: ModelLimits;
  readonly paceLimits: Readonly<PaceLimits>;
  /** Whether aurelis.rateLimits.overrides set the pace limits (they win over what the server announces). */
  readonly userSetLimits: boolean;
  /** The output allowance of each task that does not set its own maximum. */
  private readonly allowances = new Map<TaskType, number>();

  constructor(
    private readonly target: ModelTarget,
    readonly settings: Settings,
    readonly catalogVersion: number,
    catalog: CatalogState,
  ) {
    this.catalog = catalog.cached(target);
    this.limits = limitsFor(target, settings, this.catalog);
    this.paceLimits = paceLimitsFor(target, settings, this.catalog?.tier);
    this.userSetLimits = userSetLimits(target, settings, this.catalog?.tier);
  }

  /** How many tokens the answer to `request` may use on this model (see outputAllowance). */
  allowance(request: Pick<TaskRequest, 'task' | 'maxTokens'>): number {
    if (request.maxTokens !== undefined) return outputAllowance(request, this.target, this.settings, this.limits);
    let tokens = this.allowances.get(request.task);
    if (tokens === undefined) {
      tokens = outputAllowance(request, this.target, this.settings, this.limits);
      this.allowances.set(request.task, tokens);
    }
    return tokens;
  }
}

/** One ModelFacts per target object, renewed when the settings object or the catalog changes. */
export class ModelFactsBook {
  private readonly known = new WeakMap<ModelTarget, ModelFacts>();

  constructor(private readonly catalog: CatalogState) {}

  of(target: ModelTarget, settings: Settings): ModelFacts {
    const known = this.known.get(target);
    if (known !== undefined && known.settings === settings && known.catalogVersion === this.catalog.version) return known;
    const facts = new ModelFacts(target, settings, this.catalog.version, this.catalog);
    // Only a frozen target (a resolved chain's) is sure to name the same model next time.
    if (Object.isFrozen(target)) this.known.set(target, facts);
    return facts;
  }
}
