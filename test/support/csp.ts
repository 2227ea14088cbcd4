/** Reading the Content-Security-Policy and script tags of a generated HTML document (unit and host tests). */

/** The policy of the document's CSP meta tag, directive → sources. Throws when there is not exactly one. */
export function parseCsp(html: string): Record<string, string[]> {
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)];
  if (metas.length !== 1) throw new Error(`expected one CSP meta tag, found ${metas.length}`);
  const content = (metas[0]?.[1] ?? '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const policy: Record<string, string[]> = {};
  for (const directive of content.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (!name) continue;
    if (name in policy) throw new Error(`directive ${name} appears twice`);
    policy[name] = sources;
  }
  return policy;
}

export interface ScriptTag {
  nonce: string | undefined;
  src: string | undefined;
  /** The tag has code between its opening and closing tags. */
  inline: boolean;
}

export function scriptTags(html: string): ScriptTag[] {
  return [...html.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/gi)].map((m) => {
    const attrs = m[1] ?? '';
    return {
      nonce: /\snonce="([^"]*)"/.exec(attrs)?.[1],
      src: /\ssrc="([^"]*)"/.exec(attrs)?.[1]?.replace(/&amp;/g, '&'),
      inline: (m[2] ?? '').trim().length > 0,
    };
  });
}
