import * as vscode from 'vscode';

/** Run and Evaluate above an open prompt file's first line. */
export class PromptCodeLens implements vscode.CodeLensProvider {
  static readonly selector: vscode.DocumentSelector = [{ pattern: '**/*.prompt.yml' }, { pattern: '**/*.prompt.yaml' }];

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: 'Run', command: 'aurelis.runPrompt', arguments: [{ file: document.uri.toString() }], tooltip: 'Aurelis: run this prompt (asks for its variables)' }),
      new vscode.CodeLens(top, { title: 'Evaluate', command: 'aurelis.evaluatePrompt', arguments: [{ file: document.uri.toString() }], tooltip: 'Aurelis: run every testData row and apply the evaluators' }),
    ];
  }
}
