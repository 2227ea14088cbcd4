// The Debian packages code-server's native modules, the UI tests and the team-mode tests (redis-server, and openssl for the TLS test's certificates) need. As root on Debian they
// are installed with apt-get; anywhere else the run stops and says exactly what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromiumPath } from './paths.mjs';

export const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'build-essential', 'python3', 'redis-server', 'openssl'];

function missingDebianPackages() {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...DEBIAN_PACKAGES], { encoding: 'utf8' });
  const installed = new Set(
    `${r.stdout ?? ''}`
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name.split(':')[0]),
  );
  return DEBIAN_PACKAGES.filter((p) => !installed.has(p));
}

function run(command, args) {
  console.log(`[system] $ ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}).`);
}

/** Throws with an install instruction when something is missing and cannot be installed here. */
export function ensureSystemPackages() {
  const isDebian = existsSync('/etc/debian_version') && spawnSync('dpkg-query', ['--version']).status === 0;
  if (!isDebian) {
    if (existsSync(chromiumPath()) && existsSync('/usr/bin/rg') && existsSync(process.env.AURELIS_REDIS_SERVER ?? '/usr/bin/redis-server') && spawnSync('openssl', ['version']).status === 0) return;
    throw new Error(
      'Host and UI tests need, besides Node 20: Chromium (at /usr/bin/chromium, or set AURELIS_CHROMIUM to its path), ' +
        'ripgrep at /usr/bin/rg, the Kerberos, X11, xkbfile and libsecret development headers, pkg-config, a C/C++ ' +
        'toolchain, python3, redis-server (at /usr/bin/redis-server, or set AURELIS_REDIS_SERVER) and openssl (on Debian/Ubuntu: apt-get install ' + DEBIAN_PACKAGES.join(' ') + ').',
    );
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages for host and UI tests. Install them, then run again:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  console.log(`[system] installing missing Debian packages: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing]);
  const still = missingDebianPackages();
  if (still.length > 0) throw new Error(`apt-get did not install: ${still.join(' ')}`);
}

// `node scripts/host/system-packages.mjs`: install (or name) what is missing, before the unit tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensureSystemPackages();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
