import * as vscode from 'vscode';

/** Most documents kept in memory; older ones are dropped (their previews then show empty). */
const MAX_DOCUMENTS = 30;
/** Streamed text is pushed to the preview at most this often. */
const FLUSH_MS = 40;

/**
 * Read-only Markdown documents Aurelis writes into (explanations, review reports, health
 * checks), shown as a Markdown preview beside the editor. A streamed explanation grows in
 * place: each chunk updates the document and the preview follows it.
 */
export class MarkdownViews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'aurelis-view';
  private readonly texts = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  private next = 1;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(MarkdownViews.scheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /**
   * A new, empty document titled `title`; the preview's tab shows `<title>.md`. The `.md` makes it
   * a Markdown document, so no language server treats "Explanation of app.ts" as TypeScript.
   */
  create(title: string): vscode.Uri {
    const safe = title.replace(/[\\/:*?"<>|#%]/g, ' ').replace(/\s+/g, ' ').trim() || 'Aurelis';
    const uri = vscode.Uri.from({ scheme: MarkdownViews.scheme, path: `/${safe}.md`, query: String(this.next++) });
    this.texts.set(uri.toString(), '');
    while (this.texts.size > MAX_DOCUMENTS) {
      const oldest = this.texts.keys().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest);
    }
    return uri;
  }

  text(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  textOf(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  /** Replaces the document's text; `immediate` pushes it now instead of with the next batch. */
  set(uri: vscode.Uri, text: string, immediate = false): void {
    const key = uri.toString();
    this.texts.set(key, text);
    if (immediate) {
      this.flush(uri);
      return;
    }
    if (this.timers.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => this.flush(uri), FLUSH_MS),
    );
  }

  append(uri: vscode.Uri, text: string): void {
    this.set(uri, this.text(uri) + text);
  }

  /** Opens the document as a Markdown preview beside the active editor, keeping focus where it is. */
  async show(uri: vscode.Uri): Promise<void> {
    await vscode.workspace.openTextDocument(uri);
    const beside = { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true };
    try {
      // The Markdown preview as an editor, opened without taking the focus: what the user types
      // still goes into their code ("markdown.showPreviewToSide" would move the focus there).
      await vscode.commands.executeCommand('vscode.openWith', uri, 'vscode.markdown.preview.editor', beside);
    } catch {
      // Without the built-in Markdown extension the raw Markdown is still readable.
      await vscode.window.showTextDocument(uri, beside);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.registration.dispose();
    this.changed.dispose();
  }

  private flush(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.changed.fire(uri);
  }
}
