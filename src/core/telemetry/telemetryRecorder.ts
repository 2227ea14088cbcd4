/**
 * Follows `aurelis.telemetry.otlpEndpoint` live: exports usage metrics while an endpoint is set,
 * starts exporting when one is set and stops (sending what is left) when it is cleared or
 * changed. Off by default: with no endpoint, nothing is built and nothing is sent.
 */
import type { Logger } from '../host';
import type { UsageRecord, UsageRecorder } from '../pipeline';
import type { Settings } from '../settings';
import { UsageMetrics } from './usageMetrics';

export interface TelemetryRecorderOptions {
  settings: () => Settings;
  logger: Logger;
  serviceName: string;
  serviceVersion?: string;
  /** The CLI's OTEL_EXPORTER_OTLP_ENDPOINT, which wins over the setting. */
  endpointOverride?: string;
}

export class TelemetryRecorder implements UsageRecorder {
  private metrics: UsageMetrics | undefined;
  private endpoint = '';

  constructor(private readonly options: TelemetryRecorderOptions) {}

  async record(record: UsageRecord): Promise<void> {
    await this.current()?.record(record);
  }

  /** Sends what was recorded so far. */
  async flush(): Promise<void> {
    await this.metrics?.flush();
  }

  async shutdown(): Promise<void> {
    const metrics = this.metrics;
    this.metrics = undefined;
    this.endpoint = '';
    await metrics?.shutdown();
  }

  private current(): UsageMetrics | undefined {
    const settings = this.options.settings();
    const endpoint = this.options.endpointOverride || settings.telemetry.otlpEndpoint;
    const team = settings.team.redisUrl === '' ? undefined : settings.team.name;
    if (endpoint !== this.endpoint) {
      void this.metrics?.shutdown();
      this.endpoint = endpoint;
      this.metrics =
        endpoint === ''
          ? undefined
          : new UsageMetrics({
              endpoint,
              serviceName: this.options.serviceName,
              ...(this.options.serviceVersion ? { serviceVersion: this.options.serviceVersion } : {}),
              ...(team ? { team } : {}),
              logger: this.options.logger,
            });
    }
    return this.metrics;
  }
}
