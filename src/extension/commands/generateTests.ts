import * as vscode from 'vscode';
import path from 'node:path';
import { AurelisError } from '../../core/errors';
import { assertSendable } from '../../core/tasks/codeContext';
import type { SentRedactions } from '../../core/types';
import { answerOf, type ModelAnswer } from '../../core/tasks/answers/cutOff';
import { testFileFor } from '../../core/tasks/answers/proposedEdit';
import { testsRequest } from '../../core/tasks/requests';
import { BUILD_FILE_NAMES, planTests, type TestPlan, type TestProjectFacts } from '../../core/tasks/testFramework';
import { editorCode, relativePath, type EditorCode } from '../editorContext';
import type { EditorParts } from '../editorParts';
import { succeeds, type EditOutcome } from './edits';
import { rulesFor } from '../projectFileLookup';
import { readSmallFile } from '../projectFiles';
import { targetEditor } from './activeEditor';

/** Build files larger than this are not read (a lock file is no help in telling the framework). */
const MAX_BUILD_FILE_BYTES = 512 * 1024;

/**
 * Aurelis: Generate Tests — tests for the selection or the whole file, written with the test
 * framework the project already uses when that can be told: a new test file beside the source,
 * or new tests added to the one that exists (every existing test is kept). Shown as a diff to accept.
 */
export async function generateTests(parts: EditorParts): Promise<EditOutcome> {
  const editor = targetEditor('Aurelis: Generate Tests');
  const doc = editor.document;
  if (doc.isUntitled) throw new AurelisError('bad_request', 'Save the file first: the tests go in a new file beside it.', { nextSteps: [] });
  const code = await editorCode(editor, { fallback: 'file', maxKB: parts.settings.settings.security.maxFileKB });
  const found = planTests(await projectFacts(doc));
  // The team's declared framework (.aurelis.yaml standards.test_framework) wins over a detected one.
  const declared = vscode.workspace.isTrusted ? rulesFor(parts.settings.projectFileRules, doc.uri).standards.test_framework : undefined;
  const plan = declared === undefined ? found : { ...found, framework: declared, detected: true };
  const target = vscode.Uri.joinPath(doc.uri, '..', path.posix.basename(plan.testPath));
  const source = declared !== undefined ? 'declared in .aurelis.yaml' : plan.detected ? 'found in the project' : 'the usual default';
  parts.log.info(`Generate Tests: ${plan.framework} (${source}), into ${plan.testPath}.`);
  return proposeTests(parts, code, plan, target);
}

async function proposeTests(parts: EditorParts, code: EditorCode, plan: TestPlan, target: vscode.Uri): Promise<EditOutcome> {
  const existing = await openIfExists(target);
  const existingText = existing?.getText();
  // The existing tests are sent too (so the model adds to them): the same size limit applies.
  if (existingText !== undefined) assertSendable(existingText, relativePath(target), parts.settings.settings.security.maxFileKB);
  let redactions: SentRedactions | undefined;
  const merged = (answer: ModelAnswer) => testFileFor(answer, code.context.language, code.context.code, existingText, redactions);
  const result = await parts.runner.run(`Writing ${plan.framework} tests…`, testsRequest(code.context, plan, existingText), {
    onRedactions: (r) => (redactions = r),
    usable: (answer) => succeeds(() => merged(answer)),
  });
  const tests = merged(answerOf(result));
  if (existing) parts.log.info(`Generate Tests: ${tests.how === 'appended' ? 'the new tests follow' : 'the answer keeps'} the existing tests of ${plan.testPath}.`);
  const regenerate = () => proposeTests(parts, code, plan, target);
  const proposal = existing
    ? await parts.proposals.propose({ kind: 'edit', title: 'Generate Tests', document: existing, range: fullRange(existing), replacement: tests.text, regenerate })
    : await parts.proposals.propose({ kind: 'create', title: 'Generate Tests', target, content: tests.text, regenerate });
  return { kind: 'proposed', proposal };
}

async function projectFacts(doc: vscode.TextDocument): Promise<TestProjectFacts> {
  const dir = vscode.Uri.joinPath(doc.uri, '..');
  const siblings = await vscode.workspace.fs.readDirectory(dir).then(
    (entries) => entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name),
    () => [],
  );
  const root = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri;
  const buildFiles: TestProjectFacts['buildFiles'] = {};
  // Walk up from the source's folder to the workspace root; the nearest file of each name wins.
  let current: vscode.Uri | undefined = dir;
  while (current) {
    for (const name of BUILD_FILE_NAMES) {
      if (buildFiles[name] !== undefined) continue;
      const text = await readSmallFile(vscode.Uri.joinPath(current, name), MAX_BUILD_FILE_BYTES);
      if (text !== undefined) buildFiles[name] = text;
    }
    if (!root || current.toString() === root.toString() || !current.path.startsWith(root.path)) break;
    const parent = vscode.Uri.joinPath(current, '..');
    current = parent.path === current.path ? undefined : parent;
  }
  return { language: doc.languageId, sourcePath: relativePath(doc.uri), siblingFiles: siblings, buildFiles };
}

async function openIfExists(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
  return vscode.workspace.openTextDocument(uri);
}

function fullRange(doc: vscode.TextDocument): vscode.Range {
  return new vscode.Range(0, 0, doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).range.end.character);
}
