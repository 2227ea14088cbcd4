/**
 * Which triggers occur in a text, found in one regex search instead of one pass per trigger.
 * The triggers are the alternatives of one global regex, each in its own group; a match names
 * the first one (in order) at the leftmost place where any occurs. The search then goes on
 * from that same place without it, so a trigger that also starts there, or only further on,
 * is still found. Every search either finds a trigger not seen yet or ends: a text with no
 * trigger costs one search, a text with k of them k + 1.
 */

interface Combined {
  pattern: RegExp;
  /** Per alternative, in order: the trigger's index and the group that holds its match. */
  groups: ReadonlyArray<readonly [trigger: number, group: number]>;
}

/** Combined regexes kept per set of triggers still sought; the sets met in practice are few. */
const MAX_COMBINED = 64;

export class TriggerSearch {
  private readonly sources: readonly string[];
  /** Capturing groups inside each trigger: they shift the groups of the ones after it. */
  private readonly innerGroups: readonly number[];
  private readonly all: number;
  private readonly combinedFor = new Map<number, Combined>();

  constructor(triggers: readonly RegExp[]) {
    if (triggers.length > 30) throw new Error('A trigger search holds at most 30 triggers (one bit each).');
    for (const t of triggers) {
      if (t.flags !== '' && t.flags !== 'm') throw new Error(`Trigger /${t.source}/${t.flags}: only the m flag is allowed, since all run as one multiline regex.`);
      if (/\\[1-9]|\\k</.test(t.source)) throw new Error(`Trigger /${t.source}/: a back-reference would point at another trigger's group once combined.`);
    }
    this.sources = triggers.map((t) => t.source);
    this.innerGroups = triggers.map((t) => (new RegExp(`${t.source}|`).exec('')?.length ?? 1) - 1);
    this.all = triggers.length === 0 ? 0 : 2 ** triggers.length - 1;
    // Compiled now rather than on the first text: every text starts with this search.
    this.combined(this.all);
  }

  /** Bit i is set when trigger i occurs in the text. */
  presentIn(text: string): number {
    let sought = this.all;
    let present = 0;
    let from = 0;
    while (sought !== 0) {
      const { pattern, groups } = this.combined(sought);
      pattern.lastIndex = from;
      const m = pattern.exec(text);
      if (m === null) break;
      const hit = groups.find(([, group]) => m[group] !== undefined);
      // Some alternative matched, so some group is set; should that ever fail, every pass runs, which changes no finding.
      if (hit === undefined) return this.all;
      present |= 1 << hit[0];
      sought &= ~(1 << hit[0]);
      from = m.index;
    }
    return present;
  }

  private combined(sought: number): Combined {
    const known = this.combinedFor.get(sought);
    if (known) return known;
    const groups: Array<[number, number]> = [];
    const alternatives: string[] = [];
    let group = 1;
    this.sources.forEach((source, i) => {
      if ((sought & (1 << i)) === 0) return;
      groups.push([i, group]);
      alternatives.push(`(${source})`);
      group += 1 + (this.innerGroups[i] ?? 0);
    });
    const made: Combined = { pattern: new RegExp(alternatives.join('|'), 'gm'), groups };
    if (this.combinedFor.size >= MAX_COMBINED) this.combinedFor.clear();
    this.combinedFor.set(sought, made);
    return made;
  }
}
