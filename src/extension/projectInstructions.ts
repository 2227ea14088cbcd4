import * as vscode from 'vscode';
import type { Logger } from '../core/host';
import type { FittedInstructions } from '../core/instructions/instructionAllowance';
import type { TaskRequest } from '../core/types';
import { relativePath } from './editorContext';
import type { SettingsReader } from './settingsReader';

/** A request with the team's standards applied, and the project instructions that may go with it. */
export interface PreparedRequest {
  request: TaskRequest;
  /** Undefined when instructions are off or the project has none. */
  instructions?: FittedInstructions;
}

/**
 * What the project adds to a request: its instruction files (AGENTS.md and GitHub's Copilot
 * files, found for the file the request is about) and its `.aurelis.yaml` standards. Restricted
 * Mode: the standards are not used (nothing of an untrusted workspace's configuration is), and the
 * instructions go only when the user says so (TaskRunner asks).
 */
export class ProjectInstructions {
  constructor(
    private readonly settings: SettingsReader,
    private readonly log: Logger,
  ) {}

  async prepare(request: TaskRequest, document: vscode.Uri | undefined): Promise<PreparedRequest> {
    // Finding, parsing and fitting instructions (YAML, glob matching) is loaded with the first request, not at start-up.
    const { prepareRequest } = await import('./requestPreparation');
    return prepareRequest(this.settings, this.log, request, document);
  }
}

/** The file a request is about, when it is the active editor's (request builders record it as `metadata.file`). */
export function documentOf(request: TaskRequest): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  const file = request.metadata?.file;
  if (!doc || file === undefined) return undefined;
  return relativePath(doc.uri) === file ? doc.uri : undefined;
}

/** How the footer and the Restricted Mode question name what went with a request. */
export function instructionNames(fitted: FittedInstructions | undefined): string[] {
  return (fitted?.files ?? []).map((f) => (f.path === fitted?.cut ? `${f.path} (cut to fit)` : f.path));
}

