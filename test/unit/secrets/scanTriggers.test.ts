import assert from 'node:assert/strict';
import { anyCase, type Candidate, type Pass } from '../../../src/core/secrets/detection';
import { candidatesIn, SECRET_PASSES } from '../../../src/core/secrets/secretScanner';
import { SAMPLES, triggerCorpus, triggerSubstitutions } from './triggerCorpus';

const TRIGGERS = SECRET_PASSES.map((p) => p.trigger);
let built: string[] | undefined;
const corpus = (): string[] => (built ??= triggerCorpus(TRIGGERS));

/** What the scan found before passes were skipped: every pass, in order. */
function everyPass(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const pass of SECRET_PASSES) pass.find(text, out);
  return out;
}

function passFinds(pass: Pass, text: string): Candidate[] {
  const out: Candidate[] = [];
  pass.find(text, out);
  return out;
}

/** Where the pattern matches, from every place it could start (a pass may restart its search anywhere). */
function matchesOf(pattern: RegExp, text: string): Array<[start: number, end: number]> {
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '') + 'g');
  const out: Array<[number, number]> = [];
  for (let from = 0; from <= text.length; ) {
    re.lastIndex = from;
    const m = re.exec(text);
    if (m === null) break;
    out.push([m.index, m.index + m[0].length]);
    from = m.index + 1;
  }
  return out;
}

/** Whether the trigger matches somewhere inside [start, end) of the text. */
function holdsTrigger(trigger: RegExp, text: string, start: number, end: number): boolean {
  const sticky = new RegExp(trigger.source, `${trigger.flags}y`);
  for (let at = start; at < end; at++) {
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m !== null && at + m[0].length <= end) return true;
  }
  return false;
}

function label(pass: Pass): string {
  return `/${pass.trigger.source.length > 60 ? `${pass.trigger.source.slice(0, 60)}…` : pass.trigger.source}/`;
}

/** An explain request's prompt, as the bench sends it: an instruction and an ordinary function. */
const ORDINARY_PROMPTS = [
  [
    'Request 7: explain what this TypeScript function does and name one edge case.',
    '',
    '```ts',
    'export function parseDuration(text: string): number {',
    '  const match = /^(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)$/.exec(text.trim());',
    '  if (!match) throw new Error(`Not a duration: ${text}`);',
    '  const value = Number(match[1]);',
    '  switch (match[2]) {',
    "    case 'ms': return value;",
    "    case 's': return value * 1000;",
    '    default: return value * 3_600_000;',
    '  }',
    '}',
    '```',
  ].join('\n'),
  'You are a concise senior engineer. Answer in Markdown.',
  'def mean(values):\n    # The arithmetic mean; raises on an empty list.\n    if not values:\n        raise ValueError(values)\n    return sum(values) / len(values)\n',
];

describe('secret scan triggers: a pass is skipped only where it could find nothing', () => {
  it('the corpus exercises every pass: each finds secrets in some texts, and each trigger is absent from others', () => {
    const texts = corpus();
    assert.ok(texts.length >= 5000, `only ${texts.length} texts`);
    SECRET_PASSES.forEach((pass) => {
      const finding = texts.filter((t) => passFinds(pass, t).length > 0).length;
      const lacking = texts.filter((t) => !pass.trigger.test(t)).length;
      assert.ok(finding >= 10, `${label(pass)} finds something in only ${finding} texts`);
      assert.ok(lacking >= 100, `${label(pass)} is absent from only ${lacking} texts`);
    });
  });

  it('skipping the passes whose trigger is absent finds exactly what running every pass finds, on every text', () => {
    let skipped = 0;
    for (const text of corpus()) {
      assert.deepEqual(candidatesIn(text), everyPass(text), `differs on ${JSON.stringify(text.slice(0, 300))}`);
      skipped += TRIGGERS.filter((t) => !t.test(text)).length;
    }
    assert.ok(skipped > corpus().length, 'most texts skip some pass');
  });

  for (const pass of SECRET_PASSES) {
    it(`every match of the pattern holds its trigger ${label(pass)}`, () => {
      let matches = 0;
      for (const text of [...corpus(), ...SAMPLES.flatMap((s) => triggerSubstitutions(s, pass.trigger))]) {
        for (const [start, end] of matchesOf(pass.pattern, text)) {
          matches++;
          assert.ok(holdsTrigger(pass.trigger, text, start, end), `${JSON.stringify(text.slice(start, end))} matches /${pass.pattern.source}/ without its trigger`);
        }
      }
      assert.ok(matches >= 10, `the pattern matched only ${matches} times: the check says little`);
    });

    it(`with its trigger gone, the pass cannot match: ${label(pass)}`, () => {
      const holding = corpus().filter((t) => matchesOf(pass.pattern, t).length > 0);
      assert.ok(holding.length >= 10);
      const global = new RegExp(pass.trigger.source, `${pass.trigger.flags}g`);
      for (const text of holding.slice(0, 200)) {
        // Blank each occurrence (same length, so nothing else moves) until none is left.
        let without = text;
        for (let round = 0; pass.trigger.test(without); round++) {
          assert.ok(round < 100);
          without = without.replace(global, (m) => '\u0000'.repeat(m.length));
        }
        assert.deepEqual(matchesOf(pass.pattern, without), [], `still matches in ${JSON.stringify(without.slice(0, 200))}`);
        assert.deepEqual(passFinds(pass, without), []);
      }
    });
  }

  it('an ordinary prompt holds no trigger, so no pass runs on it', () => {
    for (const prompt of ORDINARY_PROMPTS) {
      const present = SECRET_PASSES.filter((p) => p.trigger.test(prompt)).map(label);
      assert.deepEqual(present, [], prompt);
    }
  });

  it('anyCase matches the words in every letter case, as the i flag does, and nothing else', () => {
    const words = new RegExp(`^(?:${anyCase('api-key', 'pwd')})$`);
    for (const yes of ['api-key', 'API-KEY', 'Api-Key', 'pWd']) assert.ok(words.test(yes), yes);
    for (const no of ['api_key', 'apikey', 'pw', 'pwdx', 'ap\u0131-key', 'api-\u212aey']) assert.ok(!words.test(no), no);
    assert.equal(new RegExp(`^${anyCase('a.b')}$`).test('axb'), false, 'other characters stay literal');
  });
});
