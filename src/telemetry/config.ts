import { z } from 'zod';
import { SecretRef } from '../config/secret-ref.ts';

/** `metrics`: the Prometheus endpoint (docs/metrics.md). */
export const Metrics = z
  .object({
    enabled: z.boolean().default(true).describe('Serve Prometheus metrics and count them (off: no route, no counting).'),
    path: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'expected an absolute URL path such as /metrics').default('/metrics').describe('URL path of the metrics endpoint; it never needs an API key.'),
    token: SecretRef.optional().describe('Bearer token a scraper must send (`Authorization: Bearer ...`); when set, any address may scrape with it.'),
    loopbackOnly: z.boolean().default(true).describe('Without a token: serve only callers on this machine (403 otherwise); false serves anyone who can reach the port.'),
  })
  .strict();
export type Metrics = z.infer<typeof Metrics>;

export const Otlp = z
  .object({
    endpoint: z.url().describe('OTLP/HTTP base URL; spans are POSTed as JSON to `{endpoint}/v1/traces`.'),
    headers: z.record(z.string(), SecretRef).default({}).describe('Headers sent with every export (e.g. an API key as { env: NAME }); never logged.'),
    sampleRatio: z.number().min(0).max(1).default(1).describe('Share of requests traced when the client sent no sampled `traceparent` (a client\'s sampling decision is kept).'),
    batchSize: z.number().int().min(1).max(10_000).default(512).describe('Most spans in one export request.'),
    flushIntervalMs: z.number().int().min(10).max(60_000).default(1_000).describe('How often queued spans are exported.'),
    maxQueue: z.number().int().min(1).max(1_000_000).default(4_096).describe('Most spans waiting for export; further spans are dropped and counted (bulwark_trace_spans_dropped_total).'),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000).describe('Time one export request may take.'),
  })
  .strict();
export type Otlp = z.infer<typeof Otlp>;

/** `telemetry`: tracing (off unless `otlp` is set). */
export const Telemetry = z
  .object({
    otlp: Otlp.optional().describe('Export OpenTelemetry traces (GenAI semantic conventions) over OTLP/HTTP JSON; absent: no tracing, no cost.'),
    serviceName: z.string().min(1).max(200).default('bulwark').describe('`service.name` resource attribute of exported spans.'),
  })
  .strict();
export type Telemetry = z.infer<typeof Telemetry>;
