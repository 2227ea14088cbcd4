import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RedisServer } from '../support/redisServer';
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
});
