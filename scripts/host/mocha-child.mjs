// Runs mocha in a child process with a mocha config, for the layers that drive a workbench from
// outside (UI and packaged-extension tests). Resolves to mocha's exit code, or 1 when it overran.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

export function runMocha(config, env, timeoutMs, args = []) {
  return new Promise((resolve) => {
    const mocha = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', config, ...args], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    const timer = setTimeout(() => {
      console.error(`\n✗ ${config}: the tests did not finish within ${(timeoutMs / 1000).toFixed(0)} s; stopping them.`);
      mocha.kill('SIGKILL');
    }, timeoutMs);
    mocha.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? 1 : (code ?? 1));
    });
  });
}
