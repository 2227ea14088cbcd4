import * as vscode from 'vscode';
import { MAX_RETRY_LIMIT } from '../../core/tasks/answers/cutOff';
import type { EditorParts } from '../editorParts';
import { MarkdownViews } from '../markdownViews';
import { ProposedChanges, proposalKey } from '../proposedChanges';

/**
 * Aurelis: Regenerate — asks the model again for the result in the active tab (an explanation,
 * a review report, a proposed change), skipping the cache. The title-bar button and the
 * notifications' Regenerate pass which result they belong to.
 */
export async function regenerate(parts: EditorParts, ref?: unknown, options?: { maxTokens?: number }): Promise<unknown> {
  const key = keyOf(ref) ?? activeResultKey();
  if (key === undefined || !parts.regenerations.has(key)) {
    void vscode.window.showInformationMessage('Aurelis: there is nothing to regenerate here. Regenerate works on an explanation, a review report or a proposed change that Aurelis showed.');
    return undefined;
  }
  parts.log.info('Regenerate: asking the model again, skipping the cache.');
  // Any extension can run this command: an output limit it passes is kept within what a retry may ask.
  const maxTokens = typeof options?.maxTokens === 'number' && options.maxTokens >= 1 ? Math.min(Math.floor(options.maxTokens), MAX_RETRY_LIMIT) : undefined;
  return parts.regenerations.regenerate(key, maxTokens === undefined ? {} : { maxTokens });
}

function keyOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  if (ref instanceof vscode.Uri) return uriKey(ref);
  return undefined;
}

function uriKey(uri: vscode.Uri): string | undefined {
  if (uri.scheme === ProposedChanges.scheme) return proposalKey(uri.path.split('/')[1] ?? '');
  if (uri.scheme === MarkdownViews.scheme) return uri.toString();
  return undefined;
}

function activeResultKey(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputTextDiff) return uriKey(input.modified);
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return uriKey(input.uri);
  const editor = vscode.window.activeTextEditor;
  return editor ? uriKey(editor.document.uri) : undefined;
}
