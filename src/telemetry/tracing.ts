import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { resolveSecretRef } from '../config/secret-ref.ts';
import type { GatewayEvent } from '../store/types.ts';
import type { Telemetry } from './config.ts';
import { OtlpExporter, type SpanData } from './otlp-exporter.ts';

/**
 * Request traces following the OpenTelemetry GenAI semantic conventions: a server span per
 * request (`bulwark.decision`, `bulwark.policy`), a client span per upstream call
 * (`chat {model}` with `gen_ai.*` attributes) whose id travels upstream in `traceparent`, and
 * a child span per scanner instance run. Spans of a request are exported together when its
 * event is recorded.
 */

const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const MAX_ACTIVE = 10_000;

/** A parsed W3C `traceparent`, or null when absent or malformed (then a new trace starts). */
export function parseTraceparent(header: string | string[] | undefined): { traceId: string; parentId: string; sampled: boolean } | null {
  if (typeof header !== 'string') return null;
  const match = traceparentPattern.exec(header.trim().toLowerCase());
  if (!match) return null;
  const [, version, traceId, parentId, flags] = match;
  if (version === 'ff' || (version === '00' && header.trim().length !== 55)) return null;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return null;
  return { traceId: traceId!, parentId: parentId!, sampled: (Number.parseInt(flags!, 16) & 1) === 1 };
}

const now = (): number => performance.timeOrigin + performance.now();
const spanId = (): string => randomBytes(8).toString('hex');

/** `gen_ai.provider.name` for each provider type (OpenTelemetry GenAI registry values). */
const providerNames: Record<string, string> = { openai: 'openai', 'azure-openai': 'azure.ai.openai', anthropic: 'anthropic', 'openai-compatible': 'openai' };

/** A span still being built. */
export class OpenSpan {
  readonly data: SpanData;
  constructor(data: SpanData) {
    this.data = data;
  }
  /** The `traceparent` naming this span as the parent (sampled). */
  get traceparent(): string {
    return `00-${this.data.traceId}-${this.data.spanId}-01`;
  }
  set(attributes: Record<string, string | number | boolean | null | undefined>): void {
    for (const [key, value] of Object.entries(attributes)) if (value !== null && value !== undefined) this.data.attributes[key] = value;
  }
  end(status: 0 | 1 | 2 = 0): void {
    if (this.data.end === 0) this.data.end = now();
    if (status !== 0) this.data.status = status;
  }
}

/** One request's spans. */
export class RequestTrace {
  readonly root: OpenSpan;
  readonly spans: OpenSpan[] = [];
  upstream: OpenSpan | null = null;

  constructor(traceId: string, parentId: string | undefined, name: string, attributes: SpanData['attributes']) {
    this.root = new OpenSpan({ traceId, spanId: spanId(), ...(parentId !== undefined ? { parentSpanId: parentId } : {}), name, kind: 2, start: now(), end: 0, attributes, status: 0 });
  }

  /** Starts the upstream client span (`chat {model}`); its traceparent goes upstream. */
  startUpstream(operation: string, model: string): OpenSpan {
    const span = new OpenSpan({ traceId: this.root.data.traceId, spanId: spanId(), parentSpanId: this.root.data.spanId, name: `${operation} ${model}`, kind: 3, start: now(), end: 0, attributes: { 'gen_ai.operation.name': operation, 'gen_ai.request.model': model }, status: 0 });
    this.upstream = span;
    this.spans.push(span);
    return span;
  }

  /** Adds the provider the call went to (`gen_ai.provider.name`, and the older `gen_ai.system`). */
  setProvider(span: OpenSpan, provider: { id: string; type: string }): void {
    const name = providerNames[provider.type] ?? provider.type;
    span.set({ 'gen_ai.provider.name': name, 'gen_ai.system': name, 'bulwark.provider': provider.id });
  }

  /** One child span per scanner instance run of a phase; they all start with the phase (the runner runs them concurrently). */
  addScannerRuns(phase: string, startedAt: number, runs: readonly ScannerRunSummary[]): void {
    for (const run of runs) this.#addScannerSpan(run, phase, startedAt, startedAt + run.latencyMs, {});
  }

  /**
   * One child span per scanner instance of the response-stream phase, for the whole stream: it
   * spans the first scan window's start to the last one's end, with the number of windows and the
   * instance's total scanning time (`bulwark.scan.busy_ms`; windows run while the answer streams).
   */
  addStreamScanRuns(window: { firstStart: number; lastEnd: number; windows: number }, runs: readonly ScannerRunSummary[]): void {
    for (const run of runs) {
      const extra = { 'bulwark.scan.windows': window.windows, 'bulwark.scan.busy_ms': Math.round(run.latencyMs * 1000) / 1000 };
      this.#addScannerSpan(run, 'response-stream', window.firstStart, Math.max(window.lastEnd, window.firstStart + run.latencyMs), extra);
    }
  }

  #addScannerSpan(run: ScannerRunSummary, phase: string, start: number, end: number, extra: Record<string, number>): void {
    this.spans.push(
      new OpenSpan({
        traceId: this.root.data.traceId,
        spanId: spanId(),
        parentSpanId: this.root.data.spanId,
        name: `scan ${run.instance}`,
        kind: 1,
        start,
        end,
        attributes: {
          'bulwark.scanner.instance': run.instance,
          'bulwark.scanner.id': run.scanner,
          'bulwark.scan.phase': phase,
          'bulwark.scan.outcome': run.outcome,
          ...extra,
          ...(run.score !== null ? { 'bulwark.scan.score': run.score } : {}),
        },
        status: run.outcome === 'error' || run.outcome === 'timeout' ? 2 : 0,
      }),
    );
  }
}

/** What a span records of one scanner instance's run. */
interface ScannerRunSummary {
  instance: string;
  scanner: string;
  outcome: string;
  latencyMs: number;
  score: number | null;
}

/** The tracer of a gateway; null (no tracing at all) unless `telemetry.otlp` is configured. */
export class Tracer {
  readonly #ratio: number;
  readonly #exporter: OtlpExporter;
  readonly #active = new Map<string, RequestTrace>();

  constructor(telemetry: Telemetry & { otlp: NonNullable<Telemetry['otlp']> }, logger: Logger, env: NodeJS.ProcessEnv) {
    const headers: Record<string, string> = {};
    for (const [name, ref] of Object.entries(telemetry.otlp.headers)) headers[name.toLowerCase()] = resolveSecretRef(ref, `telemetry.otlp.headers.${name}`, env);
    this.#ratio = telemetry.otlp.sampleRatio;
    this.#exporter = new OtlpExporter({ otlp: telemetry.otlp, headers, serviceName: telemetry.serviceName, logger });
  }

  /** Spans dropped by the exporter (metrics read it). */
  get dropped(): number {
    return this.#exporter.dropped;
  }

  /**
   * Starts the trace of the request whose event id is `eventId`, continuing the client's
   * `traceparent` (and its sampling decision); null when the request is not sampled.
   */
  start(eventId: string, incoming: string | string[] | undefined, name: string, attributes: SpanData['attributes']): RequestTrace | null {
    const parent = parseTraceparent(incoming);
    const sampled = parent ? parent.sampled : this.#ratio >= 1 || Math.random() < this.#ratio;
    if (!sampled) return null;
    const trace = new RequestTrace(parent?.traceId ?? randomBytes(16).toString('hex'), parent?.parentId, name, attributes);
    // Traces whose event never gets recorded (a thrown bug) must not pile up.
    if (this.#active.size >= MAX_ACTIVE) this.#active.delete(this.#active.keys().next().value!);
    this.#active.set(eventId, trace);
    return trace;
  }

  /** The open trace of an event, if it is sampled. */
  get(eventId: string): RequestTrace | undefined {
    return this.#active.get(eventId);
  }

  /** Completes a request's spans from its event and queues them for export. */
  finish(event: GatewayEvent): void {
    const trace = this.#active.get(event.id);
    if (trace === undefined) return;
    this.#active.delete(event.id);
    const failed = event.decision === 'error' || event.status >= 500;
    trace.root.set({ 'bulwark.decision': event.decision, 'bulwark.policy': event.policy, 'bulwark.event_id': event.id, 'http.response.status_code': event.status, 'bulwark.findings': event.findings.length, 'bulwark.tenant': event.tenant, 'bulwark.key_id': event.keyId, 'gen_ai.request.model': event.model });
    if (trace.upstream) {
      trace.upstream.set({ 'gen_ai.usage.input_tokens': event.inputTokens, 'gen_ai.usage.output_tokens': event.outputTokens });
      trace.upstream.end(event.provider === null || event.error !== undefined ? 2 : 0);
    }
    trace.root.end(failed ? 2 : 0);
    this.#exporter.export([trace.root.data, ...trace.spans.map((span) => span.data)]);
  }

  async close(): Promise<void> {
    await this.#exporter.close();
  }
}

/** Builds the tracer when `telemetry.otlp` is configured. */
export function createTracer(telemetry: Telemetry, logger: Logger, env: NodeJS.ProcessEnv): Tracer | null {
  return telemetry.otlp === undefined ? null : new Tracer({ ...telemetry, otlp: telemetry.otlp }, logger, env);
}
