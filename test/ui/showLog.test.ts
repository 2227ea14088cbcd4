import { Workbench } from './support/workbench';

describe('UI: Aurelis: Show Log', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await Workbench.open();
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens the Output panel on the Aurelis channel with the activation line', async () => {
    await workbench.runCommand('Aurelis: Show Log');
    const output = await workbench.outputChannel('Aurelis');
    await workbench.waitForText(output, /\[info\] Aurelis [\d.]+ activated in code-server 1\.100\.3/);
    await workbench.screenshot('show-log');
  });
});
