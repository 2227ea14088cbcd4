/**
 * A Lua script Redis runs atomically: sent once by its SHA-1 (EVALSHA), and in full only when
 * the server does not know it yet (a fresh or restarted Redis answers NOSCRIPT).
 */
import { createHash } from 'node:crypto';
import type { TeamClient } from './teamLink';

export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: TeamClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await client.evalSha(this.sha, options);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.eval(this.source, options);
    }
  }
}

/** Redis keys of one team: `aurelis:<team>:<part>:…`, so several teams can share a server. */
export function teamKey(team: string, ...parts: string[]): string {
  return ['aurelis', team, ...parts].join(':');
}
