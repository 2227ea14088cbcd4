/**
 * How provider requests reach the network behind a company proxy or a private certificate
 * authority. Inside VS Code the global `fetch` is already the editor's (it follows the system
 * proxy and certificates when `http.fetchAdditionalSupport` is on), so with nothing configured
 * it is used as it is. When the user set `http.proxy` in VS Code, or trusts a CA of their own
 * with `aurelis.network.caFile`, requests go through undici with a dispatcher built for exactly
 * that: a CONNECT tunnel through the proxy, and the system's CAs plus the user's for TLS. undici
 * (~0.5 MB of code) loads only then.
 */
import { readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher, fetch as UndiciFetch } from 'undici';
import { AurelisError } from '../errors';
import type { FetchLike } from './transport';

export interface NetworkOptions {
  /** VS Code's `http.proxy`: every request goes through this proxy. */
  proxy?: string;
  /** VS Code's `http.proxyStrictSSL`: false accepts certificates nobody vouches for. */
  strictSSL: boolean;
  /** `aurelis.network.caFile`: a PEM file of CAs to trust besides the system's. */
  caFile?: string;
}

/** undici's fetch with the dispatcher built for the options (loaded on first use). */
interface Route {
  fetch: typeof UndiciFetch;
  dispatcher: Dispatcher;
}

/** The global fetch, looked up at each call (a test or the editor may replace it). */
const globalFetch: FetchLike = (input, init) => fetch(input, init);

/** The fetch for the current network options; rebuilt only when they (or the CA file) change. */
export class NetworkFetch {
  private current: { key: string; fetch: FetchLike; route: Promise<Route> } | undefined;

  fetchFor(options: NetworkOptions | undefined): FetchLike {
    if (!options || (options.proxy === undefined && options.caFile === undefined && options.strictSSL)) return globalFetch;
    const key = JSON.stringify([options.proxy ?? '', options.strictSSL, options.caFile ?? '', options.caFile === undefined ? 0 : modifiedAt(options.caFile)]);
    if (this.current?.key === key) return this.current.fetch;
    this.closeDispatcher();
    // The CA file is read now, so an unusable one is a settings error of this request, not a network error.
    const tls = { rejectUnauthorized: options.strictSSL, ...(options.caFile === undefined ? {} : { ca: [...rootCertificates, readCa(options.caFile)] }) };
    const route = import('undici').then(({ Agent, ProxyAgent, fetch }) => ({
      fetch,
      dispatcher: options.proxy === undefined ? new Agent({ connect: tls }) : new ProxyAgent({ uri: options.proxy, requestTls: tls, proxyTls: tls }),
    }));
    const through: FetchLike = async (input, init) => {
      const { fetch: undiciFetch, dispatcher } = await route;
      return undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
    };
    this.current = { key, fetch: through, route };
    return through;
  }

  dispose(): void {
    this.closeDispatcher();
    this.current = undefined;
  }

  private closeDispatcher(): void {
    void this.current?.route.then((r) => r.dispatcher.close(), () => undefined);
  }
}

/** The PEM text of aurelis.network.caFile; a config error naming the setting when it is unusable. */
export function readCa(file: string): string {
  try {
    const pem = readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('it holds no PEM certificate');
    return pem;
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(file, 'the file') : String(err);
    throw new AurelisError('config', `Aurelis could not use aurelis.network.caFile (${why}). Point it at a PEM file with your certificate authority, or clear it.`, { nextSteps: ['openSettings'] });
  }
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
