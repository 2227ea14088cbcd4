/** The executable's entry point (bundled to dist/cli.js with a `#!/usr/bin/env node` line). */
import { main } from './main';

void main(process.argv).then((code) => process.exit(code));
