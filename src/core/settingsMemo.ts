/**
 * Figures that follow from one settings object alone (a task's model chain, a model's price,
 * the configured budgets), worked out once per settings object instead of once per request.
 * Settings are read into a fresh object whenever they change and never changed in place, so an
 * edited setting is a new object and is worked out anew; an old object and its figures are
 * dropped together (a WeakMap).
 */
export class SettingsMemo<V> {
  private readonly figures = new WeakMap<object, Map<string, V>>();

  /** The figure for `key` under `settings` (any object taken from the settings), computed on first use; a throw is not remembered. */
  get(settings: object, key: string, compute: () => V): V {
    let byKey = this.figures.get(settings);
    if (byKey === undefined) {
      byKey = new Map();
      this.figures.set(settings, byKey);
    }
    const known = byKey.get(key);
    if (known !== undefined || byKey.has(key)) return known as V;
    const value = compute();
    byKey.set(key, value);
    return value;
  }
}
