/**
 * An OTLP/HTTP metrics receiver on 127.0.0.1 for tests: keeps every export as it arrived, and the
 * OTLP/JSON shape (ExportMetricsServiceRequest) the tests read, validated so a malformed export
 * fails the test instead of passing unread.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** OTLP/JSON (ExportMetricsServiceRequest), the parts the test reads; anything else fails to parse. */
export const AnyValue = z.object({ stringValue: z.string().optional(), boolValue: z.boolean().optional(), intValue: z.union([z.string(), z.number()]).optional(), doubleValue: z.number().optional() });
export const KeyValue = z.object({ key: z.string(), value: AnyValue });
export const Point = z.object({ attributes: z.array(KeyValue).default([]), count: z.union([z.string(), z.number()]).optional(), sum: z.number().optional(), asDouble: z.number().optional() });
export const Metric = z.object({
  name: z.string(),
  unit: z.string().optional(),
  histogram: z.object({ dataPoints: z.array(Point) }).optional(),
  sum: z.object({ dataPoints: z.array(Point), isMonotonic: z.boolean().optional() }).optional(),
});
export const ExportRequest = z.object({
  resourceMetrics: z.array(z.object({ resource: z.object({ attributes: z.array(KeyValue) }), scopeMetrics: z.array(z.object({ scope: z.object({ name: z.string() }), metrics: z.array(Metric) })) })),
});

export interface Received {
  path: string;
  contentType: string;
  raw: string;
}

/** An OTLP/HTTP receiver on 127.0.0.1: keeps every export, answers 200 with an empty response. */
export async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function attrs(p: z.infer<typeof Point>): Record<string, unknown> {
  return Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.boolValue ?? a.value.doubleValue ?? a.value.intValue]));
}
