import assert from 'node:assert/strict';
import path from 'node:path';
import type { Settings } from '../../../src/core/settings';
import { FakeOpenAIServer, reply } from '../../fake-server';
import { githubSettings } from '../orchestrator/harness';
import { useMembers, useRedis, type Member } from './teamHarness';

const quick = (n: number) => ({ task: 'prompt' as const, prompt: `question ${n}` });
const windowKey = 'aurelis:acme:pace:github-models:openai/gpt-4o-mini:window';

describe('team mode over TLS (rediss://) with a team certificate authority', function () {
  this.timeout(30_000);
  // TLS only (--port 0), its certificate signed by a CA made for this run that no system trusts.
  const r = useRedis({ tls: true });
  const team = useMembers();
  let server: FakeOpenAIServer;

  beforeEach(async () => {
    server = await FakeOpenAIServer.start({ clock: team.timers });
    server.handle(() => reply.text('ok'));
  });
  afterEach(() => server.stop());

  function settings(caFile: string | undefined): Settings {
    return githubSettings(server, {
      cache: { enabled: false },
      rateLimits: { overrides: { low: { requestsPerMinute: 6 } } },
      team: { redisUrl: r.server.url, name: 'acme' },
      ...(caFile === undefined ? {} : { network: { caFile } }),
    });
  }

  const member = (s: Settings): Promise<Member> => team.member(s);

  it('trusting the CA in aurelis.network.caFile, members share their windows over TLS', async () => {
    assert.match(r.server.url, /^rediss:\/\/127\.0\.0\.1:\d+$/);
    const m = await member(settings(r.server.caFile));
    assert.ok(m.team.shared, m.log.lines.join('\n'));
    assert.ok(m.log.lines.some((l) => /Team mode: connected to Redis at 127\.0\.0\.1:\d+ \(TLS\)/.test(l)), m.log.lines.join('\n'));
    assert.equal((await m.orchestrator.run(quick(1))).content, 'ok');
    const inspect = await r.server.client();
    assert.equal(await inspect.zCard(windowKey), 1, 'the request holds its place in the shared window');
    await inspect.close();
    assert.deepEqual(m.notices, []);
  });

  it('without the CA the certificate is not trusted: work goes on locally, told once how to trust it', async () => {
    const m = await member(settings(undefined));
    assert.equal(m.team.shared, false);
    assert.equal((await m.orchestrator.run(quick(1))).content, 'ok');
    assert.equal(m.notices.length, 1, m.notices.map((n) => n.message).join('\n'));
    assert.match(m.notices[0]?.message ?? '', /Team mode: cannot reach Redis at 127\.0\.0\.1:\d+ \(TLS\) \(.*certificate.*point aurelis\.network\.caFile \(or, for the command line, NODE_EXTRA_CA_CERTS\) at that CA's PEM file\)\. Rate limits, team budgets and the cache are local until it is back; work goes on\./);
  });

  it('a CA file that is not there: one notice naming the setting, and team mode stays local', async () => {
    const m = await member(settings(path.join(path.dirname(r.server.caFile), 'missing.crt')));
    assert.equal(m.team.shared, false);
    assert.equal(m.notices.length, 1);
    assert.match(m.notices[0]?.message ?? '', /^Team mode: cannot connect to Redis at 127\.0\.0\.1:\d+ \(TLS\): Aurelis could not use aurelis\.network\.caFile \(.+\)\. Point it at a PEM file with your certificate authority, or clear it\. Rate limits, team budgets and the cache are local until it is fixed; work goes on\.$/);
  });
});
