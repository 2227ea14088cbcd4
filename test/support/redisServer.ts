/**
 * Debian's redis-server for tests and benchmarks: started on 127.0.0.1 on a free port, without
 * persistence (`--save '' --appendonly no`), in a throwaway folder, and stopped (or killed, to
 * play an outage, and started again on the same port). With `tls`, it listens only for TLS
 * (`rediss://`), with a certificate for 127.0.0.1 signed by a throwaway CA made with openssl.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { createClient, type RedisClientType } from 'redis';

export const REDIS_SERVER = process.env.AURELIS_REDIS_SERVER ?? '/usr/bin/redis-server';
const OPENSSL = 'openssl';

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly password: string | undefined,
    private readonly tls: boolean,
  ) {}

  /**
   * `password`: started with `--requirepass`, as a team's server would be. `tls`: TLS only, with
   * a throwaway CA (`caFile`) that no system trusts.
   */
  static async start(options: { password?: string; tls?: boolean } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(path.join(tmpdir(), 'aurelis-redis-')), options.password, options.tls === true);
    if (server.tls) makeCertificates(server.dir);
    await server.launch();
    return server;
  }

  /** The URL members use (never with the password: that comes from secret storage). */
  get url(): string {
    return `${this.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  /** The PEM file of the CA that signed a TLS server's certificate. */
  get caFile(): string {
    return path.join(this.dir, 'ca.crt');
  }

  /** A client of the test's own, to look into Redis or play another member (call close() after). */
  async client(): Promise<RedisClientType> {
    const client: RedisClientType = createClient({
      url: this.url,
      ...(this.password ? { password: this.password } : {}),
      ...(this.tls ? { socket: { tls: true as const, ca: readFileSync(this.caFile, 'utf8') } } : {}),
    });
    // The server may be killed under it; that is the test's doing, not an error to throw.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Empties every database (between tests). */
  async flush(): Promise<void> {
    const client = await this.client();
    await client.flushAll();
    await client.close();
  }

  /** Kills the server at once (SIGKILL), as a crash or a network cut would look. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts it again on the same port (empty: nothing was persisted). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const listen = this.tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', path.join(this.dir, 'redis.crt'), '--tls-key-file', path.join(this.dir, 'redis.key'), '--tls-ca-cert-file', this.caFile, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no', '--loglevel', 'warning', '--enable-debug-command', 'local'];
    if (this.password) args.push('--requirepass', this.password);
    // Warnings go to the log file, so "ready" is read by polling the port rather than parsing output.
    args.push('--logfile', path.join(this.dir, 'redis.log'));
    // Configuration errors (an unknown --tls-port) go to stderr before the log file is opened.
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.process = child;
    const failed = new Promise<never>((_, reject) => {
      // Without this listener a missing binary would be an uncaught 'error' event.
      child.once('error', (e) => reject(new Error(`Cannot start ${REDIS_SERVER} (${e.message}): install Debian's redis-server (\`node scripts/host/system-packages.mjs\` does, as root) or set AURELIS_REDIS_SERVER.`)));
      child.once('exit', (code) => {
        const log = `${stderr}${readLog(path.join(this.dir, 'redis.log'))}`;
        if (this.tls && /tls/i.test(log)) {
          reject(new Error(`${REDIS_SERVER} cannot serve TLS (it was built without it?): ${log.trim().slice(0, 400)}. The rediss:// tests need a redis-server built with TLS, as Debian's is; set AURELIS_REDIS_SERVER to one.`));
        } else reject(new Error(`redis-server exited with ${code}: ${log.trim().slice(0, 400) || `see ${this.dir}/redis.log`}`));
      });
    });
    failed.catch(() => undefined);
    await Promise.race([waitForPort(this.port, this.tls ? readFileSync(this.caFile, 'utf8') : undefined), failed]);
  }
}

/** A CA and a certificate for 127.0.0.1 it signed, valid for a day, in `dir` (ca.crt, redis.crt, redis.key). */
function makeCertificates(dir: string): void {
  const run = (args: string[]): void => {
    const r = spawnSync(OPENSSL, args, { cwd: dir, encoding: 'utf8' });
    if (r.error) throw new Error(`Cannot run openssl (${r.error.message}) to make the TLS test's certificates: install Debian's openssl (\`node scripts/host/system-packages.mjs\` does, as root).`);
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed (exit ${r.status}): ${r.stderr.trim().slice(0, 400)}`);
  };
  writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=Aurelis test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'redis.key', '-out', 'redis.csr', '-subj', '/CN=127.0.0.1']);
  run(['x509', '-req', '-in', 'redis.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'redis.crt', '-days', '1', '-extfile', 'san.cnf']);
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Resolves when the port accepts a connection (with `ca`: completes a TLS handshake trusting it)
 * and answers PING with PONG or NOAUTH.
 */
async function waitForPort(port: number, ca?: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = ca === undefined ? netConnect(port, '127.0.0.1') : tlsConnect({ port, host: '127.0.0.1', ca });
      socket.once(ca === undefined ? 'connect' : 'secureConnect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(/PONG|NOAUTH/.test(data.toString()));
      });
      socket.once('error', () => resolve(false));
    });
    if (answered) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not answer${ca === undefined ? '' : ' TLS'} on port ${port}`);
}
