import assert from 'node:assert/strict';
import { allText } from '../../support/allText';
import { AuditLog } from '../../../src/core/audit/auditLog';
import { parseSettings, type Settings } from '../../../src/core/settings';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { RedisServer } from '../../support/redisServer';
import { FakeTimers, githubSettings, T0 } from '../orchestrator/harness';
import { startMember, type Member } from './teamHarness';

const PASSWORD = 'team-redis-S3cret-9f2c7a';
const WRONG = 'not-the-team-password-71b';


describe('team mode: the Redis password stays secret', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let server: FakeOpenAIServer;
  let members: Member[] = [];
  const audits: AuditLog[] = [];

  before(async () => {
    redis = await RedisServer.start({ password: PASSWORD });
  });
  after(async () => {
    await Promise.all(members.map((m) => m.close()));
    await server?.stop();
    await redis.stop();
  });

  it('a URL that carries a password is refused, and the problem does not repeat it', () => {
    const { settings, problems } = parseSettings({ team: { redisUrl: `redis://:${PASSWORD}@127.0.0.1:6379` } });
    assert.equal(settings.team.redisUrl, '');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.setting, 'aurelis.team.redisUrl');
    assert.match(problems[0]?.message ?? '', /must not contain a password: run "Aurelis: Set Team Redis Password"/);
    assert.ok(!JSON.stringify(problems).includes(PASSWORD));
  });

  it('from secret storage it opens the team; it never reaches the logs, notices, audit log or settings', async () => {
    const timers = new FakeTimers(T0);
    server = await FakeOpenAIServer.start({ clock: timers });
    server.handle(() => reply.text('ok'));
    const settings: Settings = githubSettings(server, { team: { redisUrl: redis.url, name: 'acme', budgets: { dailyUsd: 100 } }, audit: { includeContent: true } });
    const recorders = (storageDir: string) => {
      const audit = new AuditLog({ storageDir, settings: () => settings });
      audits.push(audit);
      return [audit];
    };
    const right = await startMember({ settings: () => settings, timers, password: PASSWORD, recorders });
    const wrong = await startMember({ settings: () => settings, timers, password: WRONG, recorders });
    members = [right, wrong];
    assert.equal(right.team.shared, true, 'the right password joins the team');
    assert.equal(wrong.team.shared, false, 'a wrong password works locally');
    assert.equal(wrong.notices.length, 1);
    assert.match(wrong.notices[0]?.message ?? '', /cannot reach Redis at 127\.0\.0\.1:\d+ \(.*(WRONGPASS|invalid).*\)/i);

    for (const m of members) for (let i = 0; i < 3; i++) await m.orchestrator.run({ task: 'explain', prompt: `question ${i}: x = 1` });
    await Promise.all(audits.map((a) => a.flush()));

    for (const m of members) {
      const everything = [m.log.lines.join('\n'), JSON.stringify(m.notices), allText(m.storageDir)].join('\n');
      assert.ok(everything.length > 0);
      for (const secret of [PASSWORD, WRONG]) assert.ok(!everything.includes(secret), `the password appears for a member`);
    }
    assert.ok(!JSON.stringify(settings).includes(PASSWORD));
    assert.ok(allText(right.storageDir).includes('"requestId"'), 'the audit log was written');
  });
});
