/**
 * Mocha root hooks (listed under `require` in each .mocharc): the run gets a temp folder of its own
 * (TMPDIR, which os.tmpdir() and every child process read), so what the tests leave behind can be
 * told apart from what other processes on the machine write into the shared one. After the run,
 * any `aurelis-*` entry still in it fails the run with its name: a test that does not remove its
 * folder, or a background save that recreates one after the test removed it, is a leak.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const shared = tmpdir();
// Not named aurelis-*: the folder is the run's, not something a test made.
const own = mkdtempSync(path.join(shared, 'run-tmp-'));
process.env.TMPDIR = own;
process.env.TMP = own;
process.env.TEMP = own;

/** The `aurelis-*` entries in `dir` (what our tests and code name their temp folders and files). */
export function aurelisEntries(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.startsWith('aurelis-')).sort();
  } catch {
    return [];
  }
}

export const mochaHooks = {
  afterAll(): void {
    const left = aurelisEntries(own);
    if (left.length > 0) {
      // Kept for a look: the message says where.
      throw new Error(`The tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder (${own}): ${left.join(', ')}`);
    }
    rmSync(own, { recursive: true, force: true });
  },
};
