/**
 * Debian's redis-server for tests and benchmarks: started on 127.0.0.1 on a free port, without
 * persistence (`--save '' --appendonly no`), in a throwaway folder, and stopped (or killed, to
 * play an outage, and started again on the same port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type RedisClientType } from 'redis';

export const REDIS_SERVER = process.env.AURELIS_REDIS_SERVER ?? '/usr/bin/redis-server';

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly password: string | undefined,
  ) {}

  /** `password`: started with `--requirepass`, as a team's server would be. */
  static async start(options: { password?: string } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(path.join(tmpdir(), 'aurelis-redis-')), options.password);
    await server.launch();
    return server;
  }

  /** The URL members use (never with the password: that comes from secret storage). */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A client of the test's own, to look into Redis or play another member (call close() after). */
  async client(): Promise<RedisClientType> {
    const client: RedisClientType = createClient({ url: this.url, ...(this.password ? { password: this.password } : {}) });
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
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no', '--loglevel', 'warning', '--enable-debug-command', 'local'];
    if (this.password) args.push('--requirepass', this.password);
    // Warnings go to the log file, so "ready" is read by polling the port rather than parsing output.
    args.push('--logfile', path.join(this.dir, 'redis.log'));
    const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    this.process = child;
    const failed = new Promise<never>((_, reject) => {
      // Without this listener a missing binary would be an uncaught 'error' event.
      child.once('error', (e) => reject(new Error(`Cannot start ${REDIS_SERVER} (${e.message}): install Debian's redis-server (\`node scripts/host/system-packages.mjs\` does, as root) or set AURELIS_REDIS_SERVER.`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}; see ${this.dir}/redis.log`)));
    });
    failed.catch(() => undefined);
    await Promise.race([waitForPort(this.port), failed]);
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

/** Resolves when the port accepts a connection and answers PING with PONG or NOAUTH. */
async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let attempt = 0; attempt < 200; attempt++) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(/PONG|NOAUTH/.test(data.toString()));
      });
      socket.once('error', () => resolve(false));
    });
    if (answered) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}
