import * as vscode from 'vscode';
import { EXTENSION_ID, aurelis } from './support/aurelis';
import { waitFor } from '../support/waitFor';

/** The Aurelis LogOutputChannel shows as an `output:` document named after the extension. */
const aurelisOutputVisible = () =>
  vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'output' && e.document.uri.path.includes(`${EXTENSION_ID}.Aurelis`));

describe('Aurelis: Show Log', () => {
  it('opens the Aurelis log channel in the Output panel', async () => {
    await aurelis();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await waitFor('the Output panel to close', () => !aurelisOutputVisible());
    await vscode.commands.executeCommand('aurelis.showLog');
    await waitFor('the Aurelis output to show', aurelisOutputVisible);
  });

  it('the log says which VS Code it activated in', async () => {
    await aurelis();
    await vscode.commands.executeCommand('aurelis.showLog');
    const doc = await waitFor('the Aurelis output document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.includes(`${EXTENSION_ID}.Aurelis`)),
    );
    await waitFor('the activation line', () => doc.getText().includes(`activated in ${vscode.env.appName} ${vscode.version}`));
  });
});
