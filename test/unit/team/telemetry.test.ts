import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAurelisError } from '../../../src/core/errors';
import { MemoryKeyStore, silentLogger } from '../../../src/core/host';
import { Orchestrator } from '../../../src/core/orchestrator';
import { UsageMetrics } from '../../../src/core/telemetry/usageMetrics';
import { ModelPrices } from '../../../src/core/pricing/priceBook';
import { FakeOpenAIServer, githubErrors, reply } from '../../fake-server';
import { disposed, githubSettings } from '../orchestrator/harness';
import { attrs, ExportRequest, startReceiver, type Received } from '../../support/otlpReceiver';

describe('telemetry: usage metrics in the OpenTelemetry GenAI conventions over OTLP/HTTP', function () {
  const SECRET_PROMPT = 'Explain the function frobnicateWidgets';
  const SECRET_CODE = 'function frobnicateWidgets(zz_unique_identifier) {}';

  it('exports token usage, duration, time to first chunk, errors and cost with the expected names and values — never prompt or code', async () => {
    const receiver = await startReceiver();
    const server = await FakeOpenAIServer.start();
    const storageDir = mkdtempSync(path.join(tmpdir(), 'aurelis-otel-'));
    const metrics = new UsageMetrics({ endpoint: receiver.url, serviceName: 'aurelis-test', logger: silentLogger, exportIntervalMs: 3_600_000, team: 'acme' });
    try {
      const settings = githubSettings(server, { retry: { maxAttempts: 1 }, models: { explain: ['openai/gpt-4o-mini'] }, prices: { 'openai/gpt-4o-mini': { input: 1000, output: 2000 } } });
      const keys = new MemoryKeyStore();
      await keys.set('github-models', 'ghp_testtoken');
      const orchestrator = new Orchestrator({ settings: () => settings, keys, storageDir, env: {}, prices: new ModelPrices(() => settings), recorders: [metrics] });
      server.script(
        reply.text('A streamed explanation.', { usage: { prompt_tokens: 120, completion_tokens: 30 } }),
        reply.text('Another.', { usage: { prompt_tokens: 50, completion_tokens: 5 } }),
        githubErrors.unauthorized(),
      );
      await orchestrator.run({ task: 'explain', prompt: `${SECRET_PROMPT}\n\n${SECRET_CODE}`, stream: true });
      await orchestrator.run({ task: 'explain', prompt: `${SECRET_PROMPT} again\n\n${SECRET_CODE}` });
      const failed = await orchestrator.run({ task: 'explain', prompt: `${SECRET_PROMPT} third\n\n${SECRET_CODE}` }).catch((e: unknown) => e);
      assert.ok(isAurelisError(failed) && failed.kind === 'auth');
      await metrics.flush();
      await disposed(orchestrator);

      assert.equal(receiver.received.length, 1);
      const [sent] = receiver.received as [Received];
      assert.equal(sent.path, '/v1/metrics');
      assert.match(sent.contentType, /application\/json/);
      for (const secret of [SECRET_PROMPT, 'frobnicateWidgets', 'zz_unique_identifier', 'A streamed explanation', 'ghp_testtoken']) assert.ok(!sent.raw.includes(secret), `${secret} was exported`);

      const request = ExportRequest.parse(JSON.parse(sent.raw));
      const resource = request.resourceMetrics[0];
      assert.ok(resource?.resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === 'aurelis-test'));
      const byName = new Map((resource?.scopeMetrics.flatMap((s) => s.metrics) ?? []).map((m) => [m.name, m]));
      assert.deepEqual([...byName.keys()].sort(), ['aurelis.client.cost', 'gen_ai.client.operation.duration', 'gen_ai.client.operation.time_to_first_chunk', 'gen_ai.client.token.usage']);

      const tokens = byName.get('gen_ai.client.token.usage');
      assert.equal(tokens?.unit, '{token}');
      const tokenPoints: Array<Record<string, unknown>> = (tokens?.histogram?.dataPoints ?? []).map((p) => ({ ...attrs(p), sum: p.sum, count: Number(p.count) }));
      const common = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'github_models', 'gen_ai.request.model': 'openai/gpt-4o-mini', 'aurelis.task': 'explain', 'aurelis.cache_hit': false, 'aurelis.team': 'acme' };
      assert.deepEqual(
        tokenPoints.sort((a, b) => String(a['gen_ai.token.type']).localeCompare(String(b['gen_ai.token.type']))),
        [
          { ...common, 'gen_ai.token.type': 'input', sum: 170, count: 2 },
          { ...common, 'gen_ai.token.type': 'output', sum: 35, count: 2 },
        ],
      );

      const duration = byName.get('gen_ai.client.operation.duration');
      assert.equal(duration?.unit, 's');
      const durationPoints: Array<Record<string, unknown>> = (duration?.histogram?.dataPoints ?? []).map((p) => ({ ...attrs(p), count: Number(p.count) }));
      assert.deepEqual(durationPoints.find((p) => p['error.type'] === undefined), { ...common, count: 2 });
      assert.deepEqual(durationPoints.find((p) => p['error.type'] !== undefined), { ...common, 'error.type': 'auth', count: 1 });

      const ttfc = byName.get('gen_ai.client.operation.time_to_first_chunk');
      assert.equal(ttfc?.unit, 's');
      assert.deepEqual((ttfc?.histogram?.dataPoints ?? []).map((p) => Number(p.count)), [1]);

      const cost = byName.get('aurelis.client.cost');
      assert.equal(cost?.unit, 'USD');
      assert.equal(cost?.sum?.isMonotonic, true);
      // (170 × $1000 + 35 × $2000) per million tokens = $0.24
      assert.ok(Math.abs((cost?.sum?.dataPoints[0]?.asDouble ?? 0) - 0.24) < 1e-9, JSON.stringify(cost?.sum?.dataPoints));
    } finally {
      await metrics.shutdown();
      await server.stop();
      await receiver.close();
      rmSync(storageDir, { recursive: true, force: true });
    }
  });
});
