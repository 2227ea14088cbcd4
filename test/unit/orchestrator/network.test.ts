import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOpenAIServer } from '../../fake-server';
import { failure, settingsFrom, startHarness, type Harness } from './harness';

/**
 * A company network in miniature, all on 127.0.0.1: a certificate authority made for the test
 * (openssl), a TLS fake server whose certificate it signed, and an HTTP proxy that tunnels
 * HTTPS with CONNECT, as corporate proxies do.
 */
describe('orchestrator: behind a proxy, with a private certificate authority', function () {
  let dir: string;
  let caFile: string;
  let tlsServer: FakeOpenAIServer;
  let proxy: Server;
  let proxyUrl: string;
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  let h: Harness;
  let httpProxy: { proxy?: string; strictSSL: boolean };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'aurelis-ca-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Aurelis Test Company CA');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
    caFile = path.join(dir, 'ca.pem');
    tlsServer = await FakeOpenAIServer.start({ tls: { key: readFileSync(path.join(dir, 'server.key'), 'utf8'), cert: readFileSync(path.join(dir, 'server.pem'), 'utf8') } });

    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      sockets.add(client);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', close);
      client.on('error', close);
      client.on('close', () => sockets.delete(client));
      upstream.on('close', () => sockets.delete(upstream));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await tlsServer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    tunnels.length = 0;
    tlsServer.reset();
    httpProxy = { strictSSL: true };
    h = await startHarness({ githubKey: null, deps: { httpProxy: () => httpProxy } });
    await h.keys.set('custom', 'gw-key');
  });
  afterEach(() => h.close());

  const use = (extra: Record<string, unknown> = {}) => {
    h.settings = settingsFrom({ provider: 'custom', endpoints: { custom: tlsServer.v1Url }, models: { explain: ['company-model'] }, retry: { maxAttempts: 2 }, ...extra });
  };

  it('goes through VS Code’s http.proxy to a server signed by the CA in aurelis.network.caFile, streamed and not', async () => {
    httpProxy = { proxy: proxyUrl, strictSSL: true };
    use({ network: { caFile } });
    const plain = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
    const streamed = await h.orchestrator.run({ task: 'explain', prompt: 'q2', stream: true });
    assert.equal(plain.content, 'Answer from company-model.');
    assert.equal(streamed.content, 'Answer from company-model.');
    assert.ok(tunnels.length >= 1 && tunnels.every((t) => t === new URL(tlsServer.baseUrl).host), `tunnels: ${tunnels.join(', ')}`);
    assert.equal(tlsServer.chatRequests.length, 2);
    assert.equal(tlsServer.chatRequests[0]?.headers['authorization'], 'Bearer gw-key', 'the key travels inside the tunnel');
  });

  it('goes through a proxy nobody here wrote (the npm package `proxy`, the one undici tests against) the same way', async () => {
    // ESM-only package: loaded with import() (mocha runs with tsx's ESM hook).
    const { createProxy } = await import('proxy');
    const third = createProxy(createServer());
    const asked: string[] = [];
    const thirdTunnels = new Set<Socket>();
    third.on('connect', (req, client: Socket) => {
      asked.push(req.url ?? '');
      thirdTunnels.add(client);
    });
    await new Promise<void>((resolve) => third.listen(0, '127.0.0.1', resolve));
    try {
      httpProxy = { proxy: `http://127.0.0.1:${(third.address() as { port: number }).port}`, strictSSL: true };
      use({ network: { caFile } });
      const plain = await h.orchestrator.run({ task: 'explain', prompt: 'q' });
      const streamed = await h.orchestrator.run({ task: 'explain', prompt: 'q2', stream: true });
      assert.equal(plain.content, 'Answer from company-model.');
      assert.equal(streamed.content, 'Answer from company-model.');
      assert.ok(asked.length >= 1 && asked.every((t) => t === new URL(tlsServer.baseUrl).host), `tunnels: ${asked.join(', ')}`);
      assert.equal(tunnels.length, 0, 'our own proxy was not used');
      assert.equal(tlsServer.chatRequests.length, 2);
    } finally {
      // The dispatcher keeps its tunnel open for the next request: end it, or close() waits for it.
      for (const tunnel of thirdTunnels) tunnel.destroy();
      await new Promise<void>((resolve) => third.close(() => resolve()));
    }
  });

  it('without the CA, the certificate is refused with a message naming aurelis.network.caFile, and not retried', async () => {
    httpProxy = { proxy: proxyUrl, strictSSL: true };
    use();
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'q' }));
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /presented a certificate Aurelis does not trust \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\. .*aurelis\.network\.caFile/);
    assert.deepEqual(e.nextSteps, ['openSettings', 'viewLog']);
    assert.equal(tunnels.length, 1, 'asked once');
    assert.equal(tlsServer.chatRequests.length, 0);
  });

  it('the CA file works without a proxy too, and then nothing goes through the proxy', async () => {
    use({ network: { caFile } });
    assert.equal((await h.orchestrator.run({ task: 'explain', prompt: 'q' })).content, 'Answer from company-model.');
    assert.equal(tunnels.length, 0);
  });

  it('http.proxyStrictSSL off accepts the certificate without the CA (as VS Code does)', async () => {
    httpProxy = { proxy: proxyUrl, strictSSL: false };
    use();
    assert.equal((await h.orchestrator.run({ task: 'explain', prompt: 'q' })).content, 'Answer from company-model.');
  });

  it('an unreadable CA file is a settings error that says so', async () => {
    use({ network: { caFile: path.join(dir, 'missing.pem') } });
    const e = await failure(h.orchestrator.run({ task: 'explain', prompt: 'q' }));
    assert.equal(e.kind, 'config');
    assert.match(e.message, /could not use aurelis\.network\.caFile/);
    assert.doesNotMatch(e.message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the path is the user’s own setting, not repeated');
  });
});
