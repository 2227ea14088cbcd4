import * as vscode from 'vscode';
import { EXTENSION_ID, aurelis, eventually } from './support/aurelis';

/** The Aurelis LogOutputChannel shows as an `output:` document named after the extension. */
const aurelisOutputVisible = () =>
  vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'output' && e.document.uri.path.includes(`${EXTENSION_ID}.Aurelis`));

describe('Aurelis: Show Log', () => {
  it('opens the Aurelis log channel in the Output panel', async () => {
    await aurelis();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await eventually('the Output panel to close', () => !aurelisOutputVisible());
    await vscode.commands.executeCommand('aurelis.showLog');
    await eventually('the Aurelis output to show', aurelisOutputVisible);
  });

  it('the log says which VS Code it activated in', async () => {
    await aurelis();
    await vscode.commands.executeCommand('aurelis.showLog');
    const doc = await eventually('the Aurelis output document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.includes(`${EXTENSION_ID}.Aurelis`)),
    );
    await eventually('the activation line', () => doc.getText().includes(`activated in ${vscode.env.appName} ${vscode.version}`));
  });
});
