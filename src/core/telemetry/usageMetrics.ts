/**
 * Usage telemetry for a team's observability stack (`aurelis.telemetry.otlpEndpoint`; the CLI
 * reads OTEL_EXPORTER_OTLP_ENDPOINT): each finished request, as the usage ledger records it,
 * becomes OpenTelemetry metrics in the GenAI semantic conventions, exported over OTLP/HTTP by
 * the official OpenTelemetry JS SDK.
 *
 *   gen_ai.client.token.usage                    histogram, {token}, per gen_ai.token.type
 *   gen_ai.client.operation.duration             histogram, s (error.type on failures)
 *   gen_ai.client.operation.time_to_first_chunk  histogram, s (streamed answers)
 *   aurelis.client.cost                          counter, USD (requests with a known price)
 *
 * It is a usage recorder, so it sees exactly what the ledger sees: counts, durations, model
 * names and outcomes, never prompt, response or code.
 */
import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Logger } from '../host';
import type { UsageRecord, UsageRecorder } from '../pipeline';
import { errorMessage } from '../../shared/errorMessage';

/** The semantic conventions' advised buckets. */
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/** Aurelis's provider ids in the conventions' `gen_ai.provider.name` values, where one exists. */
const PROVIDER_NAMES: Record<string, string> = {
  openai: 'openai',
  'azure-ai-foundry': 'azure.ai.inference',
  'github-models': 'github_models',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  deepseek: 'deepseek',
  mistral: 'mistral_ai',
  groq: 'groq',
  xai: 'x_ai',
  openrouter: 'openrouter',
  ollama: 'ollama',
  lmstudio: 'lmstudio',
};

export interface UsageMetricsOptions {
  /** OTLP/HTTP base endpoint, e.g. `http://localhost:4318`; metrics go to `<endpoint>/v1/metrics`. */
  endpoint: string;
  /** How often metrics are sent. */
  exportIntervalMs?: number;
  /** `service.name` of the resource: `aurelis-vscode` or `aurelis-cli`. */
  serviceName: string;
  serviceVersion?: string;
  /** Team mode's team name, as `aurelis.team` on every point. */
  team?: string;
  logger: Logger;
}

export class UsageMetrics implements UsageRecorder {
  private readonly provider: MeterProvider;
  private readonly tokens: Histogram;
  private readonly duration: Histogram;
  private readonly firstChunk: Histogram;
  private readonly cost: Counter;

  constructor(private readonly options: UsageMetricsOptions) {
    const url = `${options.endpoint.replace(/\/+$/, '')}/v1/metrics`;
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName, ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}) }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url }),
          exportIntervalMillis: options.exportIntervalMs ?? 30_000,
        }),
      ],
    });
    const meter = this.provider.getMeter('aurelis');
    this.tokens = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}', description: 'Tokens used per request, by input and output.', advice: { explicitBucketBoundaries: TOKEN_BUCKETS } });
    this.duration = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's', description: 'How long each request took.', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
    this.firstChunk = meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', { unit: 's', description: 'Time until the first chunk of a streamed answer arrived.', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
    this.cost = meter.createCounter('aurelis.client.cost', { unit: 'USD', description: 'What requests cost, by the prices Aurelis knows.' });
    options.logger.info(`Telemetry: exporting usage metrics to ${safeOrigin(options.endpoint)} (OTLP/HTTP).`);
  }

  async record(record: UsageRecord): Promise<void> {
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': PROVIDER_NAMES[record.provider] ?? record.provider,
      'gen_ai.request.model': record.model,
      'aurelis.task': record.task,
      'aurelis.cache_hit': record.cacheHit,
      ...(this.options.team ? { 'aurelis.team': this.options.team } : {}),
    };
    const failed = record.outcome !== 'ok';
    this.duration.record(record.latencyMs / 1000, failed ? { ...attributes, 'error.type': record.outcome } : attributes);
    if (record.ttftMs !== undefined) this.firstChunk.record(record.ttftMs / 1000, attributes);
    // A cache hit sent nothing: its tokens were counted when the answer was first paid for.
    if (!record.cacheHit) {
      if (record.promptTokens > 0) this.tokens.record(record.promptTokens, { ...attributes, 'gen_ai.token.type': 'input' });
      if (record.completionTokens > 0) this.tokens.record(record.completionTokens, { ...attributes, 'gen_ai.token.type': 'output' });
    }
    if (record.costUsd !== null && record.costUsd > 0) this.cost.add(record.costUsd, attributes);
  }

  /** Sends what was recorded so far (a CLI run before it exits, a test). */
  async flush(): Promise<void> {
    try {
      await this.provider.forceFlush();
    } catch (err) {
      this.options.logger.warn(`Telemetry: could not export usage metrics to ${safeOrigin(this.options.endpoint)}: ${errorMessage(err)}`);
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.provider.shutdown();
    } catch (err) {
      this.options.logger.warn(`Telemetry: could not export the last usage metrics: ${errorMessage(err)}`);
    }
  }
}

/** Scheme, host and port of the endpoint, never credentials in its URL. */
function safeOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'the configured endpoint';
  }
}
