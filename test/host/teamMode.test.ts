import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RedisServer } from '../support/redisServer';
import { stubWindow } from './editor/fakeProvider';
import { canaryKey } from './support/canary';
import { aurelis, answeringInputBoxes, auditLines, aurelisLogText, userSettingsText } from './support/aurelis';
import { waitFor } from '../support/waitFor';

describe('Team mode in the editor', () => {
  const password = canaryKey('team-redis');
  const config = () => vscode.workspace.getConfiguration('aurelis');
  let redis: RedisServer;

  before(async () => {
    redis = await RedisServer.start({ password });
    await config().update('team.name', 'host-team', vscode.ConfigurationTarget.Global);
    await config().update('team.budgets.dailyUsd', 100, vscode.ConfigurationTarget.Global);
    await config().update('team.redisUrl', redis.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await answeringInputBoxes([''], () => vscode.commands.executeCommand('aurelis.setTeamRedisPassword'));
    for (const key of ['team.redisUrl', 'team.name', 'team.budgets.dailyUsd']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await redis?.stop();
  });

  it('Set Team Redis Password keeps it in secret storage and joins the team; the status bar shows the team budget beside yours', async () => {
    const api = await aurelis();
    const { value, calls } = await answeringInputBoxes([password], () => vscode.commands.executeCommand('aurelis.setTeamRedisPassword'));
    assert.equal(value, true);
    assert.equal(calls[0]?.options.password, true, 'the input box must mask the password');
    await waitFor('the "connected" line in Aurelis.log', () => aurelisLogText().includes(`Team mode: connected to Redis at 127.0.0.1:${redis.port}`));
    // The status bar reads Redis on each refresh; the first refreshes may come before the link is up.
    const shown = await waitFor(
      'the status bar to show the team budget',
      async () => {
        await api.refreshBudgetStatus();
        const status = api.budgetStatus();
        return /team \$0\.00 \/ \$100\.00/.test(status.text) && status;
      },
      { seen: () => api.budgetStatus().text },
    );
    assert.match(shown.tooltip, /Team budgets \(host-team, UTC\)/);
  });

  it('the password never reaches settings, the log or the audit log', async () => {
    assert.equal(userSettingsText().includes(password), false, 'the password appears in user settings.json');
    assert.equal(JSON.stringify(config()).includes(password), false, 'the password appears in the aurelis configuration');
    assert.equal(aurelisLogText().includes(password), false, 'the password appears in the Aurelis log');
    assert.equal(JSON.stringify(await auditLines()).includes(password), false, 'the password appears in the audit log');
  });

  it('Clear Team Cache asks first, naming the team and server, then removes every member\'s answers from Redis and says how many', async () => {
    // Three teammates' answers, in the layout Aurelis stores them.
    const client = await redis.client();
    const seed = async (decline: boolean): Promise<unknown> => {
      for (const [i, text] of ['first answer', 'second answer', 'third answer'].entries()) {
        await client.set(`aurelis:host-team:cache:answer:k${i}`, text, { PX: 3_600_000 });
        await client.zAdd('aurelis:host-team:cache:order', { score: i, value: `k${i}` });
        await client.hSet('aurelis:host-team:cache:sizes', `k${i}`, text.length);
      }
      const confirm = stubWindow('showWarningMessage', () => (decline ? undefined : 'Clear Team Cache'));
      const info = stubWindow('showInformationMessage');
      try {
        const result = await vscode.commands.executeCommand('aurelis.clearTeamCache');
        assert.equal(confirm.calls.length, 1);
        assert.equal(confirm.calls[0]?.message, 'Clear the cache of team "host-team"?');
        assert.deepEqual(confirm.calls[0]?.options, {
          modal: true,
          detail: `Every cached answer of the team in Redis at 127.0.0.1:${redis.port} is removed, for every member of the team. This machine's own cache stays (Clear Cache empties it).`,
        });
        if (!decline) await waitFor('the result message', () => info.calls.length > 0);
        assert.deepEqual(info.calls.map((c) => c.message), decline ? [] : ['Aurelis: removed 3 cached answers (1 KB) from the cache of team "host-team".']);
        return result;
      } finally {
        confirm.restore();
        info.restore();
      }
    };
    try {
      assert.equal(await seed(true), undefined, 'declined: nothing is removed');
      assert.equal((await client.keys('aurelis:host-team:cache:answer:*')).length, 3);
      assert.deepEqual(await seed(false), { entries: 3, bytes: 'first answer'.length + 'second answer'.length + 'third answer'.length });
      assert.deepEqual(await client.keys('aurelis:host-team:cache:*'), []);
      await waitFor('the log line', () => aurelisLogText().includes('Team cache of "host-team" cleared: 3 entries'));
    } finally {
      await client.close();
    }
  });
});
