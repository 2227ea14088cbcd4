import { isAurelisError } from '../../core/errors';
import { explainRequest } from '../../core/tasks/requests';
import { editorCode } from '../editorContext';
import type { EditorParts } from '../editorParts';
import { targetEditor } from './activeEditor';
import { resultFooter } from './resultFooter';

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
  const lastLine = ctx.firstLine + ctx.code.split('\n').length - 1;
  const name = code.scope === 'symbol' ? ctx.scope.replace(/^\w+ /, '') : ctx.path.split('/').pop() ?? ctx.path;
  const uri = parts.views.create(`Explanation of ${name.replace(/`/g, '')}`);
  const header = `# Explanation of ${ctx.scope}\n\n*${ctx.path}, lines ${ctx.firstLine}–${lastLine}*\n\n`;
  parts.views.set(uri, `${header}*Waiting for the model…*`, true);
  await parts.views.show(uri);

  let streamed = '';
  try {
    const result = await parts.runner.run(`Explaining ${name.replace(/`/g, '')}…`, explainRequest(ctx), {
      onDelta: (delta) => {
        streamed += delta;
        parts.views.set(uri, header + streamed);
      },
    });
    const text = `${header}${result.content.trim()}\n\n---\n\n${resultFooter(result)}\n`;
    parts.views.set(uri, text, true);
    return { uri: uri.toString(), text };
  } catch (e) {
    const partial = isAurelisError(e) ? (e.partialText ?? streamed) : streamed;
    const why = isAurelisError(e) && e.kind === 'cancelled' ? 'Cancelled.' : `The explanation stopped: ${e instanceof Error ? e.message : String(e)}`;
    parts.views.set(uri, `${header}${partial}${partial ? '\n\n---\n\n' : ''}> ${why}\n`, true);
    throw e;
  }
}
