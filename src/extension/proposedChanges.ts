import * as vscode from 'vscode';
import path from 'node:path';
import type { Logger } from '../core/host';
import type { Regenerations } from './regenerations';

/** What every proposal may carry besides the change itself. */
interface ProposalHooks {
  /** Produces the change again without the cache (the diff's Regenerate). */
  regenerate?: () => Promise<unknown>;
  /** Runs once the change has been applied (a review finding it fixed goes away). */
  onAccepted?: () => void;
}

/** A change Aurelis wants to make: new text for a range of an open document, or a new file. */
export type ProposalInput =
  | ({ kind: 'edit'; title: string; document: vscode.TextDocument; range: vscode.Range; replacement: string } & ProposalHooks)
  | ({ kind: 'create'; title: string; target: vscode.Uri; content: string } & ProposalHooks);

export interface ProposalSummary {
  id: string;
  kind: 'edit' | 'create';
  title: string;
  /** The file that changes (or is created), as a URI string. */
  target: string;
}

interface Proposal extends ProposalSummary {
  targetUri: vscode.Uri;
  originalUri: vscode.Uri;
  proposedUri: vscode.Uri;
  originalText: string;
  proposedText: string;
  /** For edits: the replaced range and its text when proposed, to check nothing moved since. */
  range?: vscode.Range;
  rangeText?: string;
  /** For an insertion (an empty range): the text of its line when proposed, to check nothing moved since. */
  lineText?: string;
  replacement?: string;
  onAccepted?: () => void;
}

/** The key a proposal's Regenerate is remembered under. */
export function proposalKey(id: string): string {
  return `proposal:${id}`;
}

/**
 * Every change to existing text is shown first in a diff editor (before | after) with Accept
 * and Reject in the editor title, in the notification, and as commands. Accept applies the
 * change as one undoable edit; Reject, or closing the diff, leaves the file untouched.
 */
export class ProposedChanges implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'aurelis-proposal';
  private readonly proposals = new Map<string, Proposal>();
  private readonly subscriptions: vscode.Disposable[];
  private next = 1;

  constructor(
    private readonly log: Logger,
    private readonly regenerations: Regenerations,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(ProposedChanges.scheme, this),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const p = this.byTab(tab);
          if (p) this.discard(p, 'the diff was closed');
        }
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, id, side] = uri.path.split('/');
    const p = id === undefined ? undefined : this.proposals.get(id);
    if (!p) return '';
    return side === 'original' ? p.originalText : p.proposedText;
  }

  /** Opens the diff and returns at once; the change waits for Accept or Reject. */
  async propose(input: ProposalInput): Promise<ProposalSummary> {
    const id = String(this.next++);
    const targetUri = input.kind === 'edit' ? input.document.uri : input.target;
    const name = path.posix.basename(targetUri.path) || 'untitled';
    const side = (s: string) => vscode.Uri.from({ scheme: ProposedChanges.scheme, path: `/${id}/${s}/${name}` });
    const p: Proposal = {
      id,
      kind: input.kind,
      title: input.title,
      target: targetUri.toString(),
      targetUri,
      originalUri: side('original'),
      proposedUri: side('proposed'),
      originalText: '',
      proposedText: '',
      ...(input.onAccepted ? { onAccepted: input.onAccepted } : {}),
    };
    if (input.kind === 'edit') {
      const doc = input.document;
      const text = doc.getText();
      const start = doc.offsetAt(input.range.start);
      const end = doc.offsetAt(input.range.end);
      p.originalText = text;
      p.proposedText = text.slice(0, start) + input.replacement + text.slice(end);
      p.range = input.range;
      p.rangeText = doc.getText(input.range);
      if (input.range.isEmpty) p.lineText = doc.lineAt(input.range.start.line).text;
      p.replacement = input.replacement;
    } else {
      p.proposedText = input.content;
    }
    this.proposals.set(id, p);
    const regenerate = input.regenerate;
    if (regenerate) {
      this.regenerations.remember(proposalKey(id), async () => {
        await this.reject(id);
        return regenerate();
      });
    }
    await this.updateContext();
    const label = input.kind === 'edit' ? `${name} ↔ proposed` : `${name} (new file)`;
    await vscode.commands.executeCommand('vscode.diff', p.originalUri, p.proposedUri, `Aurelis ${input.title}: ${label}`, { preview: false });
    this.log.info(`Proposed change ${id} to ${vscode.workspace.asRelativePath(targetUri)} (${input.title}).`);
    const what = input.kind === 'edit' ? `a change to ${name}` : `a new file ${name}`;
    const buttons = regenerate ? ['Accept', 'Reject', 'Regenerate'] : ['Accept', 'Reject'];
    void vscode.window.showInformationMessage(`Aurelis proposes ${what} (${input.title}). Review the diff, then accept or reject it.`, ...buttons).then((choice) => {
      if (choice === 'Accept') void this.accept(id);
      else if (choice === 'Reject') void this.reject(id);
      else if (choice === 'Regenerate') void vscode.commands.executeCommand('aurelis.regenerate', proposalKey(id));
    });
    return summary(p);
  }

  pending(): ProposalSummary[] {
    return [...this.proposals.values()].map(summary);
  }

  /**
   * Applies a proposal: the one named (id or either side's URI), else the one in the active
   * diff, else the latest. Returns false when there was nothing to accept or it no longer fits.
   */
  async accept(ref?: unknown): Promise<boolean> {
    const p = this.find(ref);
    if (!p) {
      void vscode.window.showInformationMessage('Aurelis: there is no proposed change to accept.');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    if (p.kind === 'create') {
      edit.createFile(p.targetUri, { overwrite: false, contents: new TextEncoder().encode(p.proposedText) });
    } else {
      const doc = await vscode.workspace.openTextDocument(p.targetUri);
      const range = this.currentRange(doc, p);
      if (!range) {
        void vscode.window.showWarningMessage(
          `Aurelis: ${path.posix.basename(p.targetUri.path)} changed where the proposal applies, so it was not applied. Run ${p.title} again.`,
        );
        await this.close(p);
        return false;
      }
      edit.replace(p.targetUri, range, p.replacement ?? '');
    }
    const applied = await vscode.workspace.applyEdit(edit);
    await this.close(p);
    if (!applied) {
      void vscode.window.showErrorMessage(`Aurelis: the change to ${path.posix.basename(p.targetUri.path)} could not be applied (is the file read-only, or does it already exist?).`);
      return false;
    }
    this.log.info(`Accepted proposed change ${p.id}.`);
    p.onAccepted?.();
    // Show the changed file, unless it is already in front (closing the diff usually uncovers it):
    // focusing it again would pull the keyboard away from whatever the user opened meanwhile.
    if (vscode.window.activeTextEditor?.document.uri.toString() !== p.targetUri.toString()) {
      const doc = await vscode.workspace.openTextDocument(p.targetUri);
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    return true;
  }

  /** Discards a proposal (same lookup as accept); the file stays as it was. */
  async reject(ref?: unknown): Promise<boolean> {
    const p = this.find(ref);
    if (!p) return false;
    this.discard(p, 'rejected');
    await this.close(p);
    return true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.proposals.clear();
  }

  /**
   * Where the replaced text is now: unchanged, or found exactly once after edits elsewhere. An
   * insertion applies only while the line it goes into reads as it did.
   */
  private currentRange(doc: vscode.TextDocument, p: Proposal): vscode.Range | undefined {
    if (!p.range || p.rangeText === undefined) return undefined;
    if (p.lineText !== undefined) {
      const line = p.range.start.line;
      return line < doc.lineCount && doc.lineAt(line).text === p.lineText ? p.range : undefined;
    }
    if (doc.getText(p.range) === p.rangeText) return p.range;
    const text = doc.getText();
    const at = text.indexOf(p.rangeText);
    if (at < 0 || p.rangeText.length === 0 || text.indexOf(p.rangeText, at + 1) >= 0) return undefined;
    return new vscode.Range(doc.positionAt(at), doc.positionAt(at + p.rangeText.length));
  }

  private discard(p: Proposal, why: string): void {
    if (!this.proposals.delete(p.id)) return;
    this.log.info(`Proposed change ${p.id} discarded: ${why}.`);
    void this.updateContext();
  }

  private async close(p: Proposal): Promise<void> {
    this.proposals.delete(p.id);
    await this.updateContext();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => isDiffOf(t, p));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  private find(ref: unknown): Proposal | undefined {
    if (typeof ref === 'string') return this.proposals.get(ref);
    if (ref instanceof vscode.Uri) return this.byUri(ref);
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    const fromTab = active ? this.byTab(active) : undefined;
    if (fromTab) return fromTab;
    return [...this.proposals.values()].pop();
  }

  private byUri(uri: vscode.Uri): Proposal | undefined {
    if (uri.scheme !== ProposedChanges.scheme) return undefined;
    return this.proposals.get(uri.path.split('/')[1] ?? '');
  }

  private byTab(tab: vscode.Tab): Proposal | undefined {
    return tab.input instanceof vscode.TabInputTextDiff ? this.byUri(tab.input.modified) : undefined;
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'aurelis.proposalPending', this.proposals.size > 0);
  }
}

function isDiffOf(tab: vscode.Tab, p: Proposal): boolean {
  return tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === p.proposedUri.toString();
}

function summary(p: Proposal): ProposalSummary {
  return { id: p.id, kind: p.kind, title: p.title, target: p.target };
}
