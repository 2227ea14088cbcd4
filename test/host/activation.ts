import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../support/waitFor';

/** `2026-11-22 21:15:46.686` at the start of a VS Code log line, as local time in ms. */
function stampOf(line: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : undefined;
}

function logFiles(dir: string, test: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && test(path.join(d.parentPath, d.name)))
    .map((d) => path.join(d.parentPath, d.name));
}

function firstStamp(files: string[], match: (line: string) => boolean): number | undefined {
  for (const file of files) {
    const line = readFileSync(file, 'utf8').split('\n').find(match);
    if (line) return stampOf(line);
  }
  return undefined;
}

/**
 * How long activation took, read from the logs, so it is right whoever triggered it (an
 * activation event during start-up, or the harness): from the extension host's
 * `_doActivateExtension <id>` line (before the code is loaded) to the extension's own first
 * "… activated in …" line in its log channel (the end of `activate()`). Null when either is missing.
 */
export async function activationMsFromLogs(userDataDir: string, extensionId: string, channel: string, timeoutMs = 10_000): Promise<number | null> {
  const logs = path.join(userDataDir, 'logs');
  // Log lines reach their files asynchronously.
  return waitFor('the activation lines in the logs', () => {
    const hostLogs = logFiles(logs, (f) => /(^|[\\/])(remote)?exthost\.log$/.test(f));
    const channelLogs = logFiles(logs, (f) => f.includes(extensionId) && f.endsWith(`${channel}.log`));
    const started = firstStamp(hostLogs, (l) => l.includes(`_doActivateExtension ${extensionId},`));
    const activated = firstStamp(channelLogs, (l) => l.includes(' activated in '));
    return started !== undefined && activated !== undefined && Math.max(0, activated - started);
  }, { timeoutMs }).catch(() => null);
}

/** VS Code's own performance marks in the extension host (vs/base/common/performance keeps them on globalThis). */
interface PerformanceMarks {
  getMarks(): Array<{ name: string; startTime: number }>;
}

/**
 * Activation as VS Code itself counts it (Developer: Show Running Extensions): loading the
 * extension's code plus the `activate()` call until its promise settles, from the marks the
 * extension host sets around each (`code/extHost/willLoadExtensionCode/<id>` …
 * `didActivateExtension/<id>`). What lies between them — VS Code building the extension's
 * context, other extensions starting at the same moment — is VS Code's time, not Aurelis's;
 * `activationMsFromLogs` gives that whole span. Null when the marks are not there.
 */
export function activationFromMarks(extensionId: string): { codeLoadingMs: number; activateCallMs: number } | null {
  const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks?.getMarks();
  if (!marks) return null;
  const at = (what: string): number | undefined => marks.find((m) => m.name === `code/extHost/${what}/${extensionId}`)?.startTime;
  const [willLoad, didLoad, willActivate, didActivate] = ['willLoadExtensionCode', 'didLoadExtensionCode', 'willActivateExtension', 'didActivateExtension'].map(at);
  if (willLoad === undefined || didLoad === undefined || willActivate === undefined || didActivate === undefined) return null;
  return { codeLoadingMs: didLoad - willLoad, activateCallMs: didActivate - willActivate };
}
