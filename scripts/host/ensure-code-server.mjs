// Installs code-server 4.100.3 (= VS Code 1.100.3) once into a cache folder outside the repository,
// the offline way described in shared/design/host-testing.md. Idempotent (a marker file) and
// safe when several test runs start at once (a lock folder). Usage: node scripts/host/ensure-code-server.mjs
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, VSCODE_VERSION, codeServerDir, codeServerEntry } from './paths.mjs';
import { ensureSystemPackages } from './system-packages.mjs';
import { withLock } from './lock.mjs';

const MARKER = '.aurelis-installed.json';

/** Native modules of VS Code's server that ship sources only and must be built for this Node. */
const VSCODE_NATIVE = ['@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty', '@vscode/deviceid'];

function log(message) {
  console.log(`[code-server] ${message}`);
}

function sh(cwd, command, args, env = {}) {
  const started = Date.now();
  log(`${path.relative(path.dirname(codeServerDir()), cwd) || '.'}$ ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env },
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout.slice(-6000));
    process.stderr.write(r.stderr.slice(-6000));
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed (exit ${r.status ?? r.signal}); see the output above.`);
  }
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.stdout;
}

/** node-gyp would download Node's headers; use the ones installed with Node when they are there. */
function nativeBuildEnv() {
  const env = { npm_config_yes: 'true' };
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && existsSync(path.join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;
  return env;
}

/** `4.100.3 <commit> with Code 1.100.3`, or '' when code-server does not start. */
function versionLine(dir) {
  // CODE_SERVER_CONFIG keeps code-server from writing a default config into ~/.config.
  const r = spawnSync(process.execPath, [codeServerEntry(dir), '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CODE_SERVER_CONFIG: path.join(dir, 'config.yaml') },
  });
  return `${r.stdout ?? ''}`.split('\n').find((line) => line.includes(' with Code ')) ?? '';
}

/** Loading each native module proves it was built for this Node (a failed rebuild can exit 0). */
function checkNativeModules(dir) {
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const probes = [
    [dir, 'argon2'],
    ...VSCODE_NATIVE.map((m) => [vscodeDir, m]),
  ];
  const script = `
    const { createRequire } = require('node:module');
    const failures = [];
    for (const [from, name] of JSON.parse(process.argv[1])) {
      try { createRequire(from + '/package.json')(name); } catch (e) { failures.push(name + ': ' + e.message.split('\\n')[0]); }
    }
    if (failures.length) { console.error(failures.join('\\n')); process.exit(1); }`;
  const r = spawnSync(process.execPath, ['-e', script, JSON.stringify(probes)], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`native modules of code-server do not load:\n${r.stderr}`);
}

function install(target) {
  const work = `${target}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'aurelis-code-server-cache', private: true }));
  const nativeEnv = nativeBuildEnv();

  // --ignore-scripts: code-server's postinstall refuses root and its ripgrep download cannot work
  // offline; the steps below do by hand what the scripts would have done.
  sh(work, 'npm', ['install', '--ignore-scripts', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`]);
  sh(work, 'npm', ['rebuild', 'argon2'], nativeEnv);

  const vscodeDir = path.join(work, 'node_modules', 'code-server', 'lib', 'vscode');
  sh(vscodeDir, 'npm', ['install', '--omit=dev', '--ignore-scripts']);
  sh(vscodeDir, 'npm', ['rebuild', ...VSCODE_NATIVE], nativeEnv);

  const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
  chmodSync(path.join(rgDir, 'rg'), 0o755);
  const link = (dir, name, to) => {
    rmSync(path.join(dir, name), { force: true });
    symlinkSync(to, path.join(dir, name));
  };
  link(vscodeDir, 'node_modules.asar', 'node_modules');
  link(path.join(vscodeDir, 'bin', 'remote-cli'), 'code-server', 'code-linux.sh');
  link(path.join(vscodeDir, 'bin', 'helpers'), 'browser.sh', 'browser-linux.sh');
  sh(path.join(vscodeDir, 'extensions'), 'npm', ['install', '--omit=dev', '--ignore-scripts']);

  checkNativeModules(work);
  const version = versionLine(work);
  if (!version.startsWith(CODE_SERVER_VERSION) || !version.includes(`Code ${VSCODE_VERSION}`)) {
    throw new Error(`code-server --version printed "${version}", expected ${CODE_SERVER_VERSION} with Code ${VSCODE_VERSION}.`);
  }
  writeFileSync(path.join(work, MARKER), JSON.stringify({ version, installedAt: new Date().toISOString(), node: process.version }, null, 2));
  rmSync(target, { recursive: true, force: true });
  renameSync(work, target);
  return version;
}

function installedVersion(dir) {
  const marker = path.join(dir, MARKER);
  if (!existsSync(marker)) return undefined;
  try {
    const { version, node } = JSON.parse(readFileSync(marker, 'utf8'));
    // Native modules are built for one Node ABI; a different Node needs a fresh install.
    return node === process.version ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the path of code-server's entry.js, installing it first when needed. */
export async function ensureCodeServer() {
  const started = Date.now();
  ensureSystemPackages();
  const dir = codeServerDir();
  const cached = installedVersion(dir);
  if (cached) {
    log(`cached: ${cached} in ${dir} (checked in ${Date.now() - started} ms)`);
    return codeServerEntry(dir);
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  await withLock(`${dir}.lock`, log, async () => {
    // Another run may have finished the install while this one waited for the lock.
    const done = installedVersion(dir);
    if (done) {
      log(`installed by another run: ${done}`);
      return;
    }
    log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about two minutes, once)`);
    const version = install(dir);
    log(`installed ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  return codeServerEntry(dir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await ensureCodeServer();
  } catch (e) {
    console.error(`✗ ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
