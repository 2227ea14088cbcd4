import assert from 'node:assert/strict';
import { allText } from '../support/allText';
import path from 'node:path';
import { attrs, ExportRequest, startReceiver } from '../support/otlpReceiver';
import { RedisServer } from '../support/redisServer';
import { useCliFixture } from './support/setup';

const PASSWORD = 'ci-team-redis-7Q2w9x';
const RISKY = ['export function load(input) {', '  const data = eval(input);', '  return data;', '}', ''].join('\n');


describe('aurelis in team mode (AURELIS_REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  const t = useCliFixture();
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start({ password: PASSWORD });
  });
  after(() => redis.stop());

  it("a second CI job's review is answered from the team's cache; the password appears nowhere", async () => {
    t.write('src/risky.js', RISKY);
    const team = { AURELIS_REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, AURELIS_TEAM_NAME: 'ci' };
    const first = await t.run(['review', 'src', '--fail-on', 'never', '--verbose'], { env: { ...t.env, ...team, AURELIS_HOME: path.join(t.dir, '..', 'job-1') } });
    assert.equal(first.code, 0, first.stderr);
    const sent = t.server.chatRequests.length;
    assert.ok(sent > 0);
    const second = await t.run(['review', 'src', '--fail-on', 'never', '--verbose'], { env: { ...t.env, ...team, AURELIS_HOME: path.join(t.dir, '..', 'job-2') } });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(t.server.chatRequests.length, sent, "the second job's requests were answered by the first job's answers in Redis");
    assert.match(second.stdout, /1 request \(1 from the cache\), [\d,]+ tokens, \$0\.00 /);
    assert.equal(second.stdout.split('Reviewed')[0], first.stdout.split('Reviewed')[0], 'the same findings');
    assert.match(second.stderr, /Team mode: connected to Redis at 127\.0\.0\.1:\d+/);
    for (const text of [first.stdout, first.stderr, second.stdout, second.stderr, allText(path.join(t.dir, '..', 'job-1')), allText(path.join(t.dir, '..', 'job-2'))]) {
      assert.ok(!text.includes(PASSWORD), 'the Redis password was written out');
    }
  });

  it('Redis unreachable: the review goes on, with one warning naming the server and the reason', async () => {
    t.write('src/risky.js', RISKY);
    const r = await t.run(['review', 'src', '--fail-on', 'never'], { env: { ...t.env, AURELIS_REDIS_URL: 'redis://127.0.0.1:1' } });
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('Team mode'));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0] ?? '', /aurelis warning: Team mode: cannot reach Redis at 127\.0\.0\.1:1 \(.+\)\. Rate limits, team budgets and the cache are local until it is back; work goes on\./);
  });

  it('rediss:// (TLS) to a server whose certificate comes from the team\'s own CA, trusted through NODE_EXTRA_CA_CERTS', async () => {
    const tlsRedis = await RedisServer.start({ password: PASSWORD, tls: true });
    try {
      t.write('src/risky.js', RISKY);
      const url = `rediss://:${PASSWORD}@127.0.0.1:${tlsRedis.port}`;
      const trusted = await t.run(['review', 'src', '--fail-on', 'never', '--verbose'], { env: { ...t.env, AURELIS_REDIS_URL: url, NODE_EXTRA_CA_CERTS: tlsRedis.caFile } });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.match(trusted.stderr, /Team mode: connected to Redis at 127\.0\.0\.1:\d+ \(TLS\)/);
      const inspect = await tlsRedis.client();
      assert.ok((await inspect.keys('aurelis:*')).length > 0, 'the job shared its windows and answers over TLS');
      await inspect.close();
      // Without the CA the job goes on alone and says how to trust the server.
      const untrusted = await t.run(['review', 'src', '--fail-on', 'never'], { env: { ...t.env, AURELIS_REDIS_URL: url } });
      assert.equal(untrusted.code, 0, untrusted.stderr);
      const warnings = untrusted.stderr.split('\n').filter((l) => l.includes('Team mode'));
      assert.equal(warnings.length, 1, untrusted.stderr);
      assert.match(warnings[0] ?? '', /cannot reach Redis at 127\.0\.0\.1:\d+ \(TLS\) \(.*certificate.*NODE_EXTRA_CA_CERTS/);
      for (const text of [trusted.stdout, trusted.stderr, untrusted.stdout, untrusted.stderr]) assert.ok(!text.includes(PASSWORD), 'the Redis password was written out');
    } finally {
      await tlsRedis.stop();
    }
  });

  it("cache clear --team empties the team's answers in Redis and says how many; without AURELIS_REDIS_URL it says what is missing", async () => {
    t.write('src/risky.js', RISKY);
    const team = { AURELIS_REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, AURELIS_TEAM_NAME: 'clearing' };
    const review = await t.run(['review', 'src', '--fail-on', 'never'], { env: { ...t.env, ...team } });
    assert.equal(review.code, 0, review.stderr);
    const inspect = await redis.client();
    const stored = (await inspect.keys('aurelis:clearing:cache:answer:*')).length;
    assert.ok(stored > 0, 'the review stored its answers in the team cache');
    const cleared = await t.run(['cache', 'clear', '--team'], { env: { ...t.env, ...team } });
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(`${cleared.stdout}${cleared.stderr}`, new RegExp(`Removed ${stored} cached answers? \\([\\d.]+ MB\\) from the cache of team "clearing" \\(Redis at 127\\.0\\.0\\.1:${redis.port}\\)\\.`));
    assert.deepEqual(await inspect.keys('aurelis:clearing:cache:*'), []);
    await inspect.close();
    assert.ok(!`${cleared.stdout}${cleared.stderr}`.includes(PASSWORD));
    const off = await t.run(['cache', 'clear', '--team'], { env: { ...t.env, AURELIS_REDIS_URL: undefined } });
    assert.equal(off.code, 2, off.stderr);
    assert.match(off.stderr, /aurelis cache clear --team: team mode is off\. Set AURELIS_REDIS_URL to the team's Redis/);
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT: the run exports its usage before it exits, as aurelis-cli', async () => {
    t.write('src/risky.js', RISKY);
    const receiver = await startReceiver();
    try {
      const r = await t.run(['review', 'src', '--fail-on', 'never'], { env: { ...t.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(receiver.received.length, 1);
      const raw = receiver.received[0]?.raw ?? '';
      assert.ok(!raw.includes('eval(input)'), 'code was exported');
      const request = ExportRequest.parse(JSON.parse(raw));
      const resource = request.resourceMetrics[0];
      assert.ok(resource?.resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === 'aurelis-cli'));
      const tokens = resource?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.name === 'gen_ai.client.token.usage');
      const points = (tokens?.histogram?.dataPoints ?? []).map(attrs);
      assert.ok(points.some((p) => p['gen_ai.token.type'] === 'input' && p['gen_ai.provider.name'] === 'openai' && p['aurelis.task'] === 'review'), JSON.stringify(points));
    } finally {
      await receiver.close();
    }
  });
});
