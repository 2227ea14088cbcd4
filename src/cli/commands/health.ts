/**
 * `aurelis health`: the key, and one tiny request to each model of the task chains (paced and
 * counted like any other), with its latency or the reason it failed.
 */
import { isAurelisError } from '../../core/errors';
import type { ModelTarget } from '../../core/pipeline';
import { keyFromEnvironment } from '../../core/providers/connection';
import { PROVIDER_PRESETS } from '../../core/providers/presets';
import { targetKey } from '../../core/routing/modelRef';
import { TASK_TYPES } from '../../core/types';
import { EXIT, exitCodeFor, type ExitCode } from '../exitCodes';
import type { Session } from '../session';
import { emit } from '../terminal';

interface Check {
  model: string;
  provider: string;
  ok: boolean;
  latencyMs?: number;
  error?: { kind: string; message: string };
}

export async function health(session: Session, options: { format?: 'text' | 'json' }, signal: AbortSignal): Promise<ExitCode> {
  const targets = new Map<string, ModelTarget>();
  for (const task of TASK_TYPES) for (const t of session.core.orchestrator.chainFor(task)) targets.set(targetKey(t), t);
  const checks: Check[] = [];
  for (const target of targets.values()) {
    try {
      const { latencyMs } = await session.core.orchestrator.probe(target, signal);
      checks.push({ model: target.model, provider: target.provider, ok: true, latencyMs });
    } catch (e) {
      checks.push({ model: target.model, provider: target.provider, ok: false, error: isAurelisError(e) ? { kind: e.kind, message: e.message } : { kind: 'unavailable', message: String(e) } });
    }
  }
  const provider = session.settings.provider;
  const key = keyFromEnvironment(provider, session.env);
  const keyText = key ? `from ${key.variable}` : PROVIDER_PRESETS[provider].key === 'required' ? 'not set' : 'not needed';
  if (options.format === 'json') await emit(`${JSON.stringify({ provider, key: key ? key.variable : null, models: checks }, null, 2)}\n`);
  else {
    const lines = [`${PROVIDER_PRESETS[provider].label}: API key ${keyText}`];
    for (const c of checks) lines.push(c.ok ? `✓ ${c.model} (${c.provider}) answered in ${c.latencyMs} ms` : `✗ ${c.model} (${c.provider}): ${c.error?.message ?? 'failed'}`);
    await emit(`${lines.join('\n')}\n`);
  }
  const failed = checks.find((c) => !c.ok);
  if (!failed) return EXIT.ok;
  return exitCodeFor(failed.error?.kind as Parameters<typeof exitCodeFor>[0]);
}
