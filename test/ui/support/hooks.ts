// Mocha root hooks for the UI layer (loaded through test/ui/.mocharc.json): a failing test leaves a
// screenshot of every open workbench window in test-results/screenshots/failed-*.png.
import type { Context } from 'mocha';
import { openWorkbenches } from './workbench';

export const mochaHooks = {
  async afterEach(this: Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    let n = 0;
    for (const workbench of openWorkbenches) {
      const file = await workbench.screenshot(`failed-${test.fullTitle()}${n++ ? `-${n}` : ''}`);
      console.log(`      screenshot: ${file}`);
    }
  },
};
