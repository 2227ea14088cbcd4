// Every API key the host tests use carries this mark, so the last test (zeroLeaks.test.ts) can
// look for it in everything the extension wrote: finding it anywhere but secret storage is a leak.
import { randomBytes } from 'node:crypto';

export const CANARY_MARK = 'aurelis-canary';

/** A key-shaped value no one else uses: `sk-aurelis-canary-<label>-<random>`. */
export function canaryKey(label = 'key'): string {
  return `sk-${CANARY_MARK}-${label}-${randomBytes(12).toString('hex')}`;
}
