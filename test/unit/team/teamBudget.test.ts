import assert from 'node:assert/strict';
import { isAurelisError, type AurelisError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/host';
import type { BudgetCheck, BudgetDecision, BudgetGate, PriceBook, UsageRecord } from '../../../src/core/pipeline';
import type { SecurityEvent } from '../../../src/core/audit/auditEvents';
import { SettingsSchema, type Settings } from '../../../src/core/settings';
import { periodId, type TeamBudgetGate } from '../../../src/core/team/teamBudget';
import { TeamMode } from '../../../src/core/team/teamMode';
import { useRedis } from './teamHarness';

/** A dollar per thousand tokens: a request with 1 000 output tokens reserves $1. */
const prices: PriceBook = { cost: (_t, u) => (u.promptTokens + u.completionTokens) / 1000 };
const allow: BudgetGate = { check: async () => ({ action: 'allow' }) };
const target = { provider: 'openai' as const, model: 'gpt-4o' };

function check(requestId: string, override = false): BudgetCheck {
  return { requestId, task: 'explain', target, promptTokens: 0, maxOutputTokens: 1000, override };
}

function record(requestId: string, costUsd: number | null, outcome: UsageRecord['outcome'] = 'ok'): UsageRecord {
  return { ts: 0, requestId, provider: 'openai', model: 'gpt-4o', task: 'explain', promptTokens: 0, completionTokens: 0, cachedTokens: 0, tokensEstimated: false, costUsd, latencyMs: 1, outcome, cacheHit: false, fallbackDepth: 0, workspace: '' };
}

async function outcome(p: Promise<BudgetDecision>): Promise<BudgetDecision | AurelisError> {
  try {
    return await p;
  } catch (e) {
    if (isAurelisError(e)) return e;
    throw e;
  }
}

describe('team mode: team budgets counted in Redis', function () {
  this.timeout(30_000);
  const r = useRedis();
  let teams: TeamMode[];
  let settings: Settings;
  let events: SecurityEvent[];

  beforeEach(() => {
    teams = [];
    events = [];
    settings = SettingsSchema.parse({ team: { redisUrl: r.server.url, name: 'acme', budgets: { dailyUsd: 5 } } });
  });
  afterEach(async () => {
    await Promise.all(teams.map((t) => t.close()));
  });

  async function gates(n: number, retryAfterMs = 50): Promise<TeamBudgetGate[]> {
    const out: TeamBudgetGate[] = [];
    for (let i = 0; i < n; i++) {
      const team = new TeamMode({ settings: () => settings, password: async () => undefined, logger: silentLogger, onNotice: () => undefined, operationTimeoutMs: 2000, retryAfterMs });
      teams.push(team);
      assert.equal(await team.ready(), true);
      out.push(team.budgetGate(allow, prices, { securityEvent: async (e) => void events.push(e) }));
    }
    return out;
  }

  it('8 members at once: exactly as many requests as fit the limit are let through, the rest refused', async () => {
    const members = await gates(8);
    const results = await Promise.all(members.map((g, i) => outcome(g.check(check(`r${i}`)))));
    const refused = results.filter(isAurelisError);
    assert.equal(results.length - refused.length, 5);
    assert.equal(refused.length, 3);
    for (const e of refused) {
      assert.equal(e.kind, 'budget_exceeded');
      assert.deepEqual(e.nextSteps, ['raiseBudget', 'allowOnce']);
      assert.match(e.message, /team's \(acme\) daily budget is used up: \$0\.00 spent today and \$5\.00 held by requests in flight of \$5\.00\. Ask for the team budget to be raised \(aurelis\.team\.budgets\.dailyUsd\)/);
    }
  });

  it('settling to the real cost frees what was reserved; a failed request releases all of it', async () => {
    const [a, b] = await gates(2);
    for (let i = 0; i < 5; i++) await (a as TeamBudgetGate).check(check(`a${i}`));
    assert.equal(isAurelisError(await outcome((b as TeamBudgetGate).check(check('b0')))), true);
    // Three answered for 50 cents each, two failed (nothing used).
    for (let i = 0; i < 3; i++) await (a as TeamBudgetGate).record(record(`a${i}`, 0.5));
    await (a as TeamBudgetGate).record(record('a3', 0, 'unavailable'));
    await (a as TeamBudgetGate).record(record('a4', null, 'cancelled'));
    const figures = await (b as TeamBudgetGate).figures();
    assert.deepEqual(figures, [{ period: 'daily', limit: 5, spent: 1.5, fraction: 0.3 }]);
    // $1.50 spent: three more $1 reservations fit ($4.50), the fourth would not.
    const more = await Promise.all([0, 1, 2, 3].map((i) => outcome((b as TeamBudgetGate).check(check(`b${i + 1}`)))));
    assert.equal(more.filter(isAurelisError).length, 1);
  });

  it('warns once from warnAt and sends to the cheapest model from throttleAt, in team words', async () => {
    const [g] = (await gates(1)) as [TeamBudgetGate];
    settings = SettingsSchema.parse({ ...settings, team: { ...settings.team, budgets: { dailyUsd: 10 } } });
    const decisions: BudgetDecision[] = [];
    for (let i = 0; i < 10; i++) {
      decisions.push(await g.check(check(`r${i}`)));
      await g.record(record(`r${i}`, 1));
    }
    assert.deepEqual(decisions.map((d) => d.action), ['allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'warn', 'allow', 'throttle']);
    assert.match((decisions[7] as { message: string }).message, /^With this request your team \(acme\) will have used 80 % of its daily budget \(\$8\.00 of \$10\.00\)\.$/);
    assert.match((decisions[9] as { message: string }).message, /Using the cheapest capable model until the team budget resets at midnight UTC\.$/);
  });

  it('Allow Once passes the team limit and is written to the audit log', async () => {
    const [g] = (await gates(1)) as [TeamBudgetGate];
    for (let i = 0; i < 5; i++) await g.check(check(`r${i}`));
    const decision = await g.check(check('over', true));
    assert.equal(decision.action, 'warn');
    assert.match((decision as { message: string }).message, /Sent over the team's daily budget \(\$6\.00 of \$5\.00\) because you chose Allow Once\./);
    assert.deepEqual(events.map((e) => [e.type, 'limit' in e ? e.limit : '']), [['budget_override', 'team daily $5.00 (aurelis.team.budgets.dailyUsd); this request brings it to $6.00']]);
  });

  it('with Redis away the personal budgets alone decide, and costs are settled when it is back', async () => {
    const [g, other] = await gates(2, 10);
    await r.server.kill();
    assert.deepEqual(await (g as TeamBudgetGate).check(check('while-down')), { action: 'allow' });
    await (g as TeamBudgetGate).record(record('while-down', 2));
    await r.server.restart();
    // Waits for the link to rejoin, then the next record settles what was kept.
    while (!(teams[0] as TeamMode).shared) await (g as TeamBudgetGate).figures().then(() => new Promise((r) => setImmediate(r)));
    await (g as TeamBudgetGate).record(record('after', 1));
    assert.deepEqual(await (other as TeamBudgetGate).figures(), [{ period: 'daily', limit: 5, spent: 3, fraction: 0.6 }]);
  });

  it('periods are UTC: the day, the week from Monday, the month', () => {
    const t = Date.UTC(2026, 11, 2, 23, 30);
    assert.deepEqual([periodId('daily', t), periodId('weekly', t), periodId('monthly', t)], ['2026-12-02', '2026-11-30', '2026-12']);
  });
});
