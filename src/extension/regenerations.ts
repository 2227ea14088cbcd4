import * as vscode from 'vscode';
import { withRequestChoices, type RequestChoices } from './requestChoices';

/** Results kept regenerable; older ones are forgotten (their Regenerate then says so). */
const MAX_RESULTS = 50;

/**
 * Every result Aurelis shows — an explanation, a review report, a proposed change — can be
 * regenerated: the same request again, skipping the cache. Each result registers how to
 * produce it again under its view URI or proposal id; Regenerate looks it up from the active tab
 * (or the reference a button passes) and runs it with the cache bypassed.
 */
export class Regenerations implements vscode.Disposable {
  private readonly reruns = new Map<string, () => Promise<unknown>>();

  /** Remembers how to produce the result shown under `key` again. */
  remember(key: string, rerun: () => Promise<unknown>): void {
    this.reruns.delete(key);
    this.reruns.set(key, rerun);
    while (this.reruns.size > MAX_RESULTS) {
      const oldest = this.reruns.keys().next().value;
      if (oldest === undefined) break;
      this.reruns.delete(oldest);
    }
    void vscode.commands.executeCommand('setContext', 'aurelis.canRegenerate', true);
  }

  forget(key: string): void {
    this.reruns.delete(key);
  }

  has(key: string): boolean {
    return this.reruns.has(key);
  }

  /**
   * Runs the result's request again without the cache (`maxTokens`: with a larger output limit,
   * after a cut-off answer). Undefined when there is nothing to regenerate.
   */
  async regenerate(key: string | undefined, choices: Pick<RequestChoices, 'maxTokens'> = {}): Promise<unknown> {
    const rerun = key === undefined ? undefined : this.reruns.get(key);
    if (!rerun) return undefined;
    return withRequestChoices({ ...choices, bypassCache: true }, rerun);
  }

  dispose(): void {
    this.reruns.clear();
  }
}
