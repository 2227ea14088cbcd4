import type { ModelTarget } from '../../core/pipeline';
import { PROVIDER_PRESETS } from '../../core/providers/presets';
import { TASK_TYPES } from '../../shared/taskTypes';
import type { EditorParts } from '../editorParts';
import { withCancel } from '../progress';
import { errorMessage } from '../../shared/errorMessage';

interface Probe {
  target: ModelTarget;
  outcome: string;
  latency: string;
}

/**
 * Aurelis: Health Check — is there a key, does the endpoint answer, does each model of the
 * configured chains answer (and how fast), and what state each circuit breaker is in.
 * Written as a Markdown report beside the editor.
 */
export async function healthCheck(parts: EditorParts): Promise<{ uri: string; text: string; healthy: boolean }> {
  const settings = parts.settings.settings;
  const provider = settings.provider;
  const preset = PROVIDER_PRESETS[provider];
  const core = await parts.core();
  const lines = [`# Aurelis health check`, '', `Provider: **${preset.label}** (\`${provider}\`)`, ''];
  let healthy = true;

  const stored = (await parts.keys.get(provider)) !== undefined;
  const fromEnv = provider === 'github-models' && !!process.env.GITHUB_TOKEN;
  let keyLine = '➖ not needed';
  if (stored) keyLine = '✅ stored in VS Code secret storage';
  else if (fromEnv) keyLine = '✅ from the GITHUB_TOKEN environment variable';
  else if (preset.key === 'required') {
    healthy = false;
    keyLine = '❌ missing — run **Aurelis: Set API Key**';
  }
  const endpoint = settings.endpoints[provider] ?? preset.baseUrl;
  lines.push('| Check | Result |', '|---|---|', `| API key | ${keyLine} |`, `| Endpoint | ${endpoint ? `\`${endpoint}\`` : `❌ not set — add it in \`aurelis.endpoints.${provider}\``} |`);

  const report = await withCancel('checking providers and models…', async (signal, progress) => {
    progress.report({ message: 'endpoint' });
    const started = Date.now();
    let reach: string;
    try {
      const catalog = await core.models.listModels(provider, { refresh: true, signal });
      reach = `✅ answered in ${Date.now() - started} ms, ${catalog.length} model${catalog.length === 1 ? '' : 's'} listed`;
    } catch (e) {
      if (signal.aborted) throw e;
      healthy = false;
      reach = `❌ ${describe(e)}`;
    }
    const targets = uniqueTargets(TASK_TYPES.flatMap((t) => core.models.chainFor(t)));
    const probes: Probe[] = [];
    for (const target of targets) {
      progress.report({ message: target.model });
      try {
        const { latencyMs } = await core.models.probe(target, signal);
        probes.push({ target, outcome: '✅ answers', latency: `${latencyMs} ms` });
      } catch (e) {
        if (signal.aborted) throw e;
        healthy = false;
        probes.push({ target, outcome: `❌ ${describe(e)}`, latency: '—' });
      }
    }
    return { reach, probes };
  });
  lines.push(`| Reachable | ${report.reach} |`, '');

  const breakers = core.models.breakerStates();
  lines.push('## Models in the configured chains', '', '| Model | Provider | Answer | Latency | Breaker |', '|---|---|---|---:|---|');
  for (const p of report.probes) {
    const b = breakers.find((s) => s.target.provider === p.target.provider && s.target.model === p.target.model);
    const breaker = !b ? 'closed' : b.state === 'closed' ? `closed${b.failures > 0 ? ` (${b.failures} recent failure${b.failures === 1 ? '' : 's'})` : ''}` : `**${b.state}** since ${b.openedAt ? new Date(b.openedAt).toLocaleTimeString() : '—'}`;
    lines.push(`| \`${p.target.model}\` | ${p.target.provider} | ${p.outcome} | ${p.latency} | ${breaker} |`);
  }
  if (report.probes.length === 0) lines.push('| — | — | no models configured | — | — |');
  lines.push('', healthy ? '**All checks passed.**' : '**Some checks failed** — the messages above say what to do.', '', `*Checked ${new Date().toLocaleString()}.*`, '');

  const text = lines.join('\n');
  const uri = parts.views.create('Aurelis Health Check');
  parts.views.set(uri, text, true);
  await parts.views.show(uri);
  return { uri: uri.toString(), text, healthy };
}

function uniqueTargets(targets: ModelTarget[]): ModelTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.provider}\u0000${t.model}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(e: unknown): string {
  const message = errorMessage(e);
  return message.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
