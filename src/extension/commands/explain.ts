import * as vscode from 'vscode';
import { isAurelisError } from '../../core/errors';
import { CUT_OFF_MESSAGE, largerOutputLimit } from '../../core/tasks/answers/cutOff';
import { explainRequest } from '../../core/tasks/requests';
import { editorCode, type EditorCode } from '../editorContext';
import type { EditorParts } from '../editorParts';
import { targetEditor } from './activeEditor';
import { resultFooter } from './resultFooter';
import { errorMessage } from '../../shared/errorMessage';

export interface ExplainOutcome {
  /** The Markdown document the explanation was written into. */
  uri: string;
  text: string;
}

/**
 * Aurelis: Explain — explains the selection, or the function around the cursor, as Markdown
 * shown beside the editor and written in while it streams.
 */
export async function explain(parts: EditorParts): Promise<ExplainOutcome> {
  const editor = targetEditor('Aurelis: Explain');
  const code = await editorCode(editor, { fallback: 'symbol', maxKB: parts.settings.settings.security.maxFileKB });
  const ctx = code.context;
  const name = code.scope === 'symbol' ? ctx.scope.replace(/^\w+ /, '') : ctx.path.split('/').pop() ?? ctx.path;
  const uri = parts.views.create(`Explanation of ${name.replace(/`/g, '')}`);
  return runExplain(parts, code, name, uri);
}

async function runExplain(parts: EditorParts, code: EditorCode, name: string, uri: vscode.Uri): Promise<ExplainOutcome> {
  const ctx = code.context;
  const lastLine = ctx.firstLine + ctx.code.split('\n').length - 1;
  const header = `# Explanation of ${ctx.scope}\n\n*${ctx.path}, lines ${ctx.firstLine}–${lastLine}*\n\n`;
  parts.views.set(uri, `${header}*Waiting for the model…*`, true);
  await parts.views.show(uri);
  parts.regenerations.remember(uri.toString(), () => runExplain(parts, code, name, uri));

  let streamed = '';
  try {
    const result = await parts.runner.run(`Explaining ${name.replace(/`/g, '')}…`, explainRequest(ctx), {
      onDelta: (delta) => {
        streamed += delta;
        parts.views.set(uri, header + streamed);
      },
      usable: (answer) => answer.content.trim() !== '',
    });
    const cutOff = result.finishReason === 'length';
    const note = cutOff ? `\n\n> **${CUT_OFF_MESSAGE}.** Use **Retry with a Larger Limit** in the notification for the whole explanation.` : '';
    const text = `${header}${result.content.trim()}${note}\n\n---\n\n${resultFooter(result)}\n\n*Regenerate (the ↻ button in this view's title bar) asks the model again, skipping the cache.*\n`;
    parts.views.set(uri, text, true);
    if (cutOff) {
      const key = uri.toString();
      void vscode.window.showWarningMessage(`Aurelis: ${CUT_OFF_MESSAGE}; the explanation is incomplete.`, 'Retry with a Larger Limit').then((choice) => {
        if (choice) void vscode.commands.executeCommand('aurelis.regenerate', key, { maxTokens: largerOutputLimit(result.usage.completionTokens) });
      });
    }
    return { uri: uri.toString(), text };
  } catch (e) {
    const partial = isAurelisError(e) ? (e.partialText ?? streamed) : streamed;
    const why = isAurelisError(e) && e.kind === 'cancelled' ? 'Cancelled.' : `The explanation stopped: ${errorMessage(e)}`;
    parts.views.set(uri, `${header}${partial}${partial ? '\n\n---\n\n' : ''}> ${why}\n`, true);
    throw e;
  }
}
