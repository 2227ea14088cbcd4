/**
 * Follows `aurelis.telemetry.otlpEndpoint` live: exports usage metrics while an endpoint is set,
 * starts exporting when one is set and stops (sending what is left) when it is cleared or
 * changed. Off by default: with no endpoint, nothing is built, nothing is sent, and the
 * OpenTelemetry SDK (~0.4 MB of code) is not even loaded.
 */
import type { Logger } from '../host';
import type { UsageRecord, UsageRecorder } from '../pipeline';
import type { Settings } from '../settings';
import type { UsageMetrics } from './usageMetrics';

export interface TelemetryRecorderOptions {
  settings: () => Settings;
  logger: Logger;
  serviceName: string;
  serviceVersion?: string;
  /** The CLI's OTEL_EXPORTER_OTLP_ENDPOINT, which wins over the setting. */
  endpointOverride?: string;
}

export class TelemetryRecorder implements UsageRecorder {
  /** The exporter for `endpoint` while one is set; a promise because its module loads with the first. */
  private metrics: Promise<UsageMetrics> | undefined;
  private endpoint = '';

  constructor(private readonly options: TelemetryRecorderOptions) {}

  async record(record: UsageRecord): Promise<void> {
    await (await this.current())?.record(record);
  }

  /** Sends what was recorded so far. */
  async flush(): Promise<void> {
    await (await this.metrics)?.flush();
  }

  async shutdown(): Promise<void> {
    const metrics = this.metrics;
    this.metrics = undefined;
    this.endpoint = '';
    await (await metrics)?.shutdown();
  }

  private current(): Promise<UsageMetrics> | undefined {
    const settings = this.options.settings();
    const endpoint = this.options.endpointOverride || settings.telemetry.otlpEndpoint;
    const team = settings.team.redisUrl === '' ? undefined : settings.team.name;
    if (endpoint !== this.endpoint) {
      // A module that failed to load was reported by the record that waited for it.
      void this.metrics?.then((m) => m.shutdown(), () => undefined);
      this.endpoint = endpoint;
      this.metrics =
        endpoint === ''
          ? undefined
          : import('./usageMetrics').then(
              ({ UsageMetrics }) =>
                new UsageMetrics({
                  endpoint,
                  serviceName: this.options.serviceName,
                  ...(this.options.serviceVersion ? { serviceVersion: this.options.serviceVersion } : {}),
                  ...(team ? { team } : {}),
                  logger: this.options.logger,
                }),
            );
    }
    return this.metrics;
  }
}
