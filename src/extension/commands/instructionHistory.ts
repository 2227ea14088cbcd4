import * as vscode from 'vscode';

const KEY = 'aurelis.generate.history';
const MAX = 20;

/**
 * Asks what to generate, offering earlier instructions: the box lists them, and what the user
 * types is always the first entry, so Enter sends exactly what was typed.
 */
export async function askInstruction(state: vscode.Memento): Promise<string | undefined> {
  const history = state.get<string[]>(KEY, []);
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = 'Aurelis: Generate';
  pick.placeholder = history.length > 0 ? 'Describe the code to write, or pick an earlier request' : 'Describe the code to write';
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = false;
  const earlier = history.map((label) => ({ label, description: 'earlier request' }));
  pick.items = earlier;
  pick.onDidChangeValue((value) => {
    const typed = value.trim();
    pick.items = typed && !history.includes(typed) ? [{ label: typed, description: 'new request', alwaysShow: true }, ...earlier] : earlier;
  });
  const answer = await new Promise<string | undefined>((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label ?? (pick.value.trim() || undefined));
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (answer) await state.update(KEY, [answer, ...history.filter((h) => h !== answer)].slice(0, MAX));
  return answer;
}
