// Starting and stopping a real VS Code for tests: code-server on 127.0.0.1 plus Debian Chromium
// through playwright-core. Shared by the host-test and UI-test runners, so both start, wait and
// clean up the same way. Everything started here is stopped by `HostSession.stop()`, and also
// when the runner is interrupted.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { chromiumPath, repoRoot } from './paths.mjs';

/** Chromium flags that keep it quiet on a machine whose only network is the loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Nothing but the loopback resolves, so the page cannot reach any other host even by mistake.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/**
 * User settings every session starts with: no start page, no telemetry, no update or
 * extension-gallery checks (the machine is offline and tests must not reach other hosts).
 */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

/** How long code-server may take to answer its first HTTP request. */
const START_TIMEOUT_MS = 60_000;

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Milliseconds from an env var, or the default. */
export function envMs(name, fallback) {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * One code-server + browser pair with its own temporary user-data, extensions and workspace
 * folders. Create with `HostSession.start(...)`; always `stop()` it (the runners do so in `finally`).
 */
export class HostSession {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  #server;
  /** @type {import('playwright-core').Browser | import('playwright-core').BrowserServer | undefined} */
  #browser;
  #exit = { code: undefined, signal: undefined };
  /** Extension host exits that code-server reported, e.g. `{ code: 'null', signal: 'SIGKILL' }`. */
  #hostExits = [];
  #output = [];
  #stopped = false;
  #onSignal = (signal) => {
    void this.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  #onExit = () => this.#killServer('SIGKILL');

  constructor(tmp, port) {
    this.tmp = tmp;
    this.port = port;
    this.origin = `http://127.0.0.1:${port}`;
    this.userDataDir = path.join(tmp, 'user-data');
    this.extensionsDir = path.join(tmp, 'extensions');
    this.workspace = path.join(tmp, 'workspace');
  }

  /**
   * Starts code-server and waits until it answers HTTP.
   * @param {{ entry: string, env?: Record<string, string>, trust?: boolean, label?: string,
   *           workspaceFixture?: string, port?: number, install?: string[] }} options
   *   `trust: false` keeps workspace trust on (Restricted Mode tests); `workspaceFixture` is a folder
   *   copied to a temporary workspace, so tests may change files freely; `install` lists `.vsix`
   *   files installed into the session's extensions folder first, as a user installs them.
   */
  static async start({ entry, env = {}, trust = true, label = 'host', workspaceFixture = path.join(repoRoot, 'test', 'fixtures', 'workspace'), port, install = [] }) {
    const session = new HostSession(mkdtempSync(path.join(tmpdir(), `aurelis-${label}-`)), port ?? (await freePort()));
    process.once('SIGINT', session.#onSignal);
    process.once('SIGTERM', session.#onSignal);
    process.once('exit', session.#onExit);
    try {
      if (existsSync(workspaceFixture)) cpSync(workspaceFixture, session.workspace, { recursive: true });
      else mkdirSync(session.workspace, { recursive: true });
      mkdirSync(path.join(session.userDataDir, 'User'), { recursive: true });
      writeFileSync(path.join(session.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
      for (const vsix of install) await session.#install(entry, vsix);
      await session.#startServer(entry, env, trust);
      return session;
    } catch (e) {
      await session.stop({ keepOnFailure: true });
      throw e;
    }
  }

  /** `code-server --install-extension <vsix>`, exactly as a user installs a downloaded package. */
  async #install(entry, vsix) {
    const child = spawn(
      process.execPath,
      [entry, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir, '--install-extension', vsix],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CODE_SERVER_CONFIG: path.join(this.tmp, 'config.yaml'), EXTENSIONS_GALLERY: '{}' } },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? signal)));
    if (code !== 0 || !/successfully installed/i.test(out)) throw new Error(`installing ${path.basename(vsix)} into code-server failed (${code}):\n${out.slice(-3000)}`);
  }

  async #startServer(entry, env, trust) {
    if (!existsSync(entry)) throw new Error(`code-server is not at ${entry}; run node scripts/host/ensure-code-server.mjs.`);
    const args = [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', this.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(trust ? ['--disable-workspace-trust'] : []),
      this.workspace,
    ];
    // detached: its own process group, so stopping it also stops the extension host and watchers.
    this.#server = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...env,
        // Read by host tests (settings.json, logs); code-server hands its environment to the extension host.
        AURELIS_USER_DATA_DIR: this.userDataDir,
        CODE_SERVER_CONFIG: path.join(this.tmp, 'config.yaml'),
        // An empty gallery: code-server would otherwise query open-vsx.org.
        EXTENSIONS_GALLERY: '{}',
      },
    });
    let partial = '';
    const keep = (chunk) => {
      this.#output.push(String(chunk));
      if (this.#output.length > 400) this.#output.splice(0, 100);
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const exit = /Extension Host Process exited with code: (\S+), signal: (\S+)\./.exec(line);
        if (exit) this.#hostExits.push({ code: exit[1], signal: exit[2] });
      }
    };
    this.#server.stdout.on('data', keep);
    this.#server.stderr.on('data', keep);
    this.#server.once('exit', (code, signal) => {
      this.#exit = { code, signal };
    });

    const deadline = Date.now() + envMs('AURELIS_HOST_START_TIMEOUT_MS', START_TIMEOUT_MS);
    for (;;) {
      this.assertServerRunning();
      try {
        const res = await fetch(`${this.origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`code-server did not answer on ${this.origin} within ${(START_TIMEOUT_MS / 1000).toFixed(0)} s.\n${this.serverOutput()}`);
      await sleep(250);
    }
  }

  /** Throws when code-server has exited: the host is gone and no result can come. */
  assertServerRunning() {
    const { code, signal } = this.#exit;
    if (code !== undefined || signal !== undefined) {
      throw new Error(`code-server exited (${code ?? signal}) before the tests finished.\n${this.serverOutput()}`);
    }
  }

  /** Throws when an extension host died abnormally (a crash, a kill, a non-zero exit). */
  assertExtensionHostAlive() {
    const crash = this.#hostExits.find((e) => e.code !== '0' || e.signal !== 'null');
    if (crash) {
      const how = crash.signal !== 'null' ? `was killed by ${crash.signal}` : `exited with code ${crash.code}`;
      throw new Error(`the extension host ${how} before the tests finished.\n${this.extensionHostLog()}`);
    }
  }

  /** How many times an extension host has exited so far (normally once, after the tests). */
  get extensionHostExits() {
    return this.#hostExits.length;
  }

  /** The last lines code-server printed, for error messages. */
  serverOutput() {
    return this.#output.join('').split('\n').slice(-40).join('\n');
  }

  /**
   * The workbench address with development options in the `payload` query parameter.
   * @param {{ extensionDevelopmentPath?: string, extensionTestsPath?: string }} dev
   */
  workbenchUrl({ extensionDevelopmentPath, extensionTestsPath } = {}) {
    const remote = (p) => `vscode-remote://127.0.0.1:${this.port}${p}`;
    const payload = [];
    if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
    if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    const query = new URLSearchParams({ folder: this.workspace });
    if (payload.length > 0) query.set('payload', JSON.stringify(payload));
    return `${this.origin}/?${query}`;
  }

  /** Launches Chromium; the runner that calls this drives it itself. */
  async launchBrowser() {
    this.#browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
    return this.#browser;
  }

  /** Launches Chromium as a server that test processes attach to with `chromium.connect(wsEndpoint)`. */
  async launchBrowserServer() {
    this.#browser = await chromium.launchServer({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
    return this.#browser.wsEndpoint();
  }

  /** The VS Code version line, e.g. `4.100.3 <commit> with Code 1.100.3`. */
  static async versionOf(entry) {
    // code-server writes a default config file where CODE_SERVER_CONFIG points: a folder of its own, removed after.
    const dir = mkdtempSync(path.join(tmpdir(), 'aurelis-code-server-version-'));
    try {
      return await new Promise((resolve) => {
        const child = spawn(process.execPath, [entry, '--version'], {
          stdio: ['ignore', 'pipe', 'ignore'],
          env: { ...process.env, CODE_SERVER_CONFIG: path.join(dir, 'config.yaml') },
        });
        let out = '';
        child.stdout.on('data', (c) => (out += c));
        child.once('error', () => resolve(''));
        child.once('exit', () => resolve(out.split('\n').find((l) => l.includes(' with Code ')) ?? ''));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Text of the extension host logs under the user-data folder (for diagnosing a failed run). */
  extensionHostLog() {
    const found = [];
    const walk = (dir) => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/^(exthost|remoteexthost)\.log$/.test(name)) found.push(p);
      }
    };
    walk(path.join(this.userDataDir, 'logs'));
    return found.map((f) => `── ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-60).join('\n')}`).join('\n');
  }

  #killServer(signal) {
    const pid = this.#server?.pid;
    if (pid === undefined || this.#exit.code !== undefined || this.#exit.signal !== undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  /**
   * Closes the browser, stops code-server's whole process group and removes the temporary
   * folders (kept when `keepOnFailure` and AURELIS_KEEP_TMP is set, to look at the logs).
   */
  async stop({ keepOnFailure = false } = {}) {
    if (this.#stopped) return;
    this.#stopped = true;
    process.removeListener('SIGINT', this.#onSignal);
    process.removeListener('SIGTERM', this.#onSignal);
    try {
      await this.#browser?.close();
    } catch {
      // The browser already went away.
    }
    if (this.#server && this.#exit.code === undefined && this.#exit.signal === undefined) {
      const exited = new Promise((resolve) => this.#server.once('exit', resolve));
      this.#killServer('SIGTERM');
      const grace = new AbortController();
      const stopped = await Promise.race([exited.then(() => true), sleep(5000, false, { signal: grace.signal }).catch(() => false)]);
      grace.abort();
      if (!stopped) this.#killServer('SIGKILL');
    }
    // Children that left the group's leader behind (extension host, watchers) go with the group.
    if (this.#server?.pid !== undefined) {
      try {
        process.kill(-this.#server.pid, 'SIGKILL');
      } catch {
        // The group is empty.
      }
    }
    process.removeListener('exit', this.#onExit);
    if (keepOnFailure && process.env.AURELIS_KEEP_TMP) console.log(`[host] kept ${this.tmp}`);
    else rmSync(this.tmp, { recursive: true, force: true });
  }
}
