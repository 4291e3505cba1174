import type { Logger } from 'pino';
import type { Otlp } from './config.ts';

/** A finished span, times in epoch milliseconds (fractional). */
export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: 1 | 2 | 3;
  start: number;
  end: number;
  attributes: Record<string, string | number | boolean>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: 0 | 1 | 2;
}

function nanos(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1_000_000))).toString();
}

function attribute(key: string, value: string | number | boolean): { key: string; value: Record<string, unknown> } {
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number') return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

/** The OTLP/JSON request body (trace and span ids hex-encoded, as the JSON mapping requires). */
export function otlpBody(spans: readonly SpanData[], serviceName: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', serviceName)] },
        scopeSpans: [
          {
            scope: { name: 'bulwark' },
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId !== undefined ? { parentSpanId: span.parentSpanId } : {}),
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: nanos(span.start),
              endTimeUnixNano: nanos(span.end),
              attributes: Object.entries(span.attributes).map(([key, value]) => attribute(key, value)),
              status: { code: span.status },
            })),
          },
        ],
      },
    ],
  });
}

/**
 * Batches spans and POSTs them to `{endpoint}/v1/traces`. `export` only queues (bounded: spans
 * past `maxQueue` are dropped and counted); one request is in flight at a time; a failed
 * request drops its batch (counted) rather than retrying into a growing queue.
 */
export class OtlpExporter {
  readonly #options: Otlp;
  readonly #headers: Record<string, string>;
  readonly #serviceName: string;
  readonly #logger: Logger;
  readonly #url: string;
  readonly #queue: SpanData[] = [];
  readonly #timer: NodeJS.Timeout;
  #inFlight: Promise<void> | null = null;
  #dropped = 0;
  #exported = 0;
  #lastWarn = 0;

  constructor(options: { otlp: Otlp; headers: Record<string, string>; serviceName: string; logger: Logger }) {
    this.#options = options.otlp;
    this.#headers = { 'content-type': 'application/json', ...options.headers };
    this.#serviceName = options.serviceName;
    this.#logger = options.logger;
    this.#url = `${options.otlp.endpoint.replace(/\/+$/, '')}/v1/traces`;
    this.#timer = setInterval(() => void this.flush(), options.otlp.flushIntervalMs);
    this.#timer.unref();
  }

  /** Spans dropped so far (queue full or export failed). */
  get dropped(): number {
    return this.#dropped;
  }

  get exported(): number {
    return this.#exported;
  }

  /** Queues finished spans; never blocks, never throws. */
  export(spans: readonly SpanData[]): void {
    const room = this.#options.maxQueue - this.#queue.length;
    if (room < spans.length) {
      this.#dropped += spans.length - Math.max(0, room);
      if (room > 0) this.#queue.push(...spans.slice(0, room));
      return;
    }
    this.#queue.push(...spans);
    if (this.#queue.length >= this.#options.batchSize && this.#inFlight === null) void this.flush();
  }

  /** Sends what is queued, batch by batch; resolves when the queue is empty (or a send failed). */
  async flush(): Promise<void> {
    while (this.#inFlight !== null) await this.#inFlight;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.batchSize);
      this.#inFlight = this.#send(batch);
      try {
        await this.#inFlight;
      } finally {
        this.#inFlight = null;
      }
    }
  }

  /** Exports what is queued, for at most `graceMs` (a collector that is down must not hold up shutdown); the rest is dropped and counted. */
  async close(graceMs = 2_000): Promise<void> {
    clearInterval(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.#dropped += this.#queue.length;
    this.#queue.length = 0;
  }

  async #send(batch: SpanData[]): Promise<void> {
    try {
      const response = await fetch(this.#url, { method: 'POST', headers: this.#headers, body: otlpBody(batch, this.#serviceName), signal: AbortSignal.timeout(this.#options.timeoutMs) });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`status ${response.status}`);
      this.#exported += batch.length;
    } catch (error) {
      this.#dropped += batch.length;
      // Throttled: a collector that is down must not flood the log.
      if (Date.now() - this.#lastWarn > 60_000) {
        this.#lastWarn = Date.now();
        this.#logger.warn({ err: { message: error instanceof Error ? error.message : String(error) }, spans: batch.length, dropped: this.#dropped }, 'OTLP trace export failed; spans dropped');
      }
    }
  }
}
