// The user settings of the code-server the UI runner started (its user-data folder is fresh per
// run). VS Code watches the file, so changes apply to open windows too; changing them before
// `Workbench.open()` makes them certain to apply.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function settingsFile(): string {
  const dir = process.env.AURELIS_USER_DATA_DIR;
  if (!dir) throw new Error('AURELIS_USER_DATA_DIR is not set: run UI tests through scripts/host/run-ui-tests.mjs (npm run test:ui).');
  return path.join(dir, 'User', 'settings.json');
}

/** Sets (or with `undefined`, removes) user settings; returns a function that puts the old values back. */
export function changeUserSettings(changes: Record<string, unknown>): () => void {
  const file = settingsFile();
  // The runner writes this file as plain JSON, and VS Code keeps it so when it edits it.
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const after = { ...before };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete after[key];
    else after[key] = value;
  }
  writeFileSync(file, JSON.stringify(after, null, 2));
  return () => {
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(changes)) {
      if (key in before) current[key] = before[key];
      else delete current[key];
    }
    writeFileSync(file, JSON.stringify(current, null, 2));
  };
}
