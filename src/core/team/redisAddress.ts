// Apart from teamLink.ts (and the Redis client it loads) so messages can name the server before connecting.

/** `host:port` of a Redis URL (TLS noted), never its user or password. */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    const tls = u.protocol === 'rediss:' ? ' (TLS)' : '';
    return `${u.hostname}:${u.port || '6379'}${tls}`;
  } catch {
    return 'the configured address';
  }
}
