/**
 * A Redis URL as a CI job's secret gives it (`AURELIS_REDIS_URL`, password included) split into
 * what may be shown and kept in settings (scheme, host, port, database) and the password, which
 * goes to the connection only.
 */
export function splitRedisUrl(raw: string): { url: string; password?: string } {
  const u = new URL(raw);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  u.password = '';
  // `redis://default:@host` is the same as `redis://host`: the default user needs no name.
  if (u.username === 'default' || u.username === '') u.username = '';
  return { url: u.toString().replace(/\/$/, ''), ...(password === undefined ? {} : { password }) };
}
