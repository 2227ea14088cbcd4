import type * as vscode from 'vscode';
import type { Logger } from '../core/host';
import { scrubSecrets } from '../core/errors';

/** The core's Logger over a LogOutputChannel; every line passes through the secret scrubber. */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  const clean = (m: string | Error) => scrubSecrets(typeof m === 'string' ? m : (m.stack ?? m.message));
  return {
    trace: (m, ...a) => channel.trace(clean(m), ...a),
    debug: (m, ...a) => channel.debug(clean(m), ...a),
    info: (m, ...a) => channel.info(clean(m), ...a),
    warn: (m, ...a) => channel.warn(clean(m), ...a),
    error: (m, ...a) => channel.error(clean(m), ...a),
  };
}
