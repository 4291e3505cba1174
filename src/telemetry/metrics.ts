import { createHash, timingSafeEqual } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { PriceEntry } from '../limits/budget-config.ts';
import { costMicros, createPriceList, type Price } from '../limits/pricing.ts';
import type { EventStore, GatewayEvent } from '../store/types.ts';
import { type Counter, type Histogram, Registry } from './registry.ts';

/** Every series the gateway exports; docs/metrics.md documents each one (a test keeps them in step). */
export const METRIC_NAMES = [
  'bulwark_requests_total',
  'bulwark_decisions_total',
  'bulwark_scanner_latency_seconds',
  'bulwark_upstream_latency_seconds',
  'bulwark_request_duration_seconds',
  'bulwark_tokens_total',
  'bulwark_cost_total',
  'bulwark_limit_refusals_total',
  'bulwark_store_queue_depth',
  'bulwark_store_dropped_events',
  'bulwark_store_spool_records',
  'bulwark_store_spool_bytes',
  'bulwark_trace_spans_dropped_total',
  'bulwark_alerts_sent_total',
  'bulwark_alerts_failed_total',
  'bulwark_process_heap_used_bytes',
  'bulwark_process_resident_memory_bytes',
  'bulwark_event_loop_lag_p99_seconds',
  'bulwark_process_uptime_seconds',
] as const;

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const upstreamBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const durationBuckets = [0.001, 0.005, ...upstreamBuckets];

/** Refusal error codes (set as `event.error` by admission) and the `reason` label each counts under. */
const refusalReasons: Record<string, string> = {
  BULWARK_RATE_LIMITED: 'rate-limit',
  BULWARK_BUDGET_EXCEEDED: 'budget',
  BULWARK_MODEL_UNPRICED: 'unpriced-model',
  BULWARK_KEY_SUSPENDED: 'key-suspended',
  BULWARK_LIMITS_UNAVAILABLE: 'limit-store-unavailable',
  BULWARK_FORBIDDEN_MODEL: 'forbidden-model',
  BULWARK_FORBIDDEN_PROVIDER: 'forbidden-provider',
};

const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** Counters other parts of the gateway own (tracing exporter drops, alert deliveries), read at scrape time. */
export interface MetricSources {
  store?: EventStore;
  /** Spans the OTLP exporter dropped (queue full or export failed). */
  traceDrops?: () => number;
  /** Alert deliveries by outcome. */
  alerts?: () => { sent: number; failed: number };
}

export interface GatewayMetricsOptions {
  pricing?: readonly PriceEntry[];
  sources?: MetricSources;
  /** Start the event-loop delay monitor (default true; benchmarks turn it off). */
  eventLoop?: boolean;
  /** The resolved `metrics.token` scrapers must present (absent: none). */
  scrapeToken?: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The gateway's metrics: `recordEvent` is called once per event from `gateway.record` and is
 * the only hot-path entry; everything read from elsewhere is sampled at scrape time.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter;
  readonly #decisions: Counter;
  readonly #scanner: Histogram;
  readonly #upstream: Histogram;
  readonly #duration: Histogram;
  readonly #tokens: Counter;
  readonly #cost: Counter;
  readonly #refusals: Counter;
  readonly #prices: (model: string) => Price | null;
  readonly #priceCache = new Map<string, Price | null>();
  readonly #loop: IntervalHistogram | null;
  readonly #started = Date.now();
  readonly #tokenDigest: Buffer | null;

  constructor(options: GatewayMetricsOptions = {}) {
    const r = this.registry;
    this.#requests = r.counter('bulwark_requests_total', 'Requests recorded as events, by route, decision and HTTP status class.', [{ name: 'route', maxValues: 32 }, { name: 'decision', maxValues: 8 }, { name: 'status_class', maxValues: 8 }]);
    this.#decisions = r.counter('bulwark_decisions_total', 'Findings by scanner instance, scanner, rule id and the action the policy took; rule ids past 200 per instance count as "other".', [{ name: 'instance', maxValues: 128 }, { name: 'scanner', maxValues: 64 }, { name: 'rule', maxValues: 200 }, { name: 'action', maxValues: 8 }]);
    this.#scanner = r.histogram('bulwark_scanner_latency_seconds', 'Time one scanner instance took in one phase of a request.', [{ name: 'instance', maxValues: 128 }, { name: 'scanner', maxValues: 64 }, { name: 'phase', maxValues: 4 }, { name: 'outcome', maxValues: 8 }], latencyBuckets);
    this.#upstream = r.histogram('bulwark_upstream_latency_seconds', 'Time until the upstream answered (response headers), successful calls only.', [{ name: 'provider', maxValues: 64 }, { name: 'route', maxValues: 32 }], upstreamBuckets);
    this.#duration = r.histogram('bulwark_request_duration_seconds', 'Whole request time inside the gateway, by route.', [{ name: 'route', maxValues: 32 }], durationBuckets);
    this.#tokens = r.counter('bulwark_tokens_total', 'Tokens the upstream reported, by direction (input, output) and requested model; models past 100 count as "other".', [{ name: 'direction', maxValues: 2 }, { name: 'model', maxValues: 100 }]);
    this.#cost = r.counter('bulwark_cost_total', 'Spend of answered calls in currency units, from the reported usage and the `pricing` table (unpriced models add 0).', [{ name: 'currency', maxValues: 8 }, { name: 'model', maxValues: 100 }]);
    this.#refusals = r.counter('bulwark_limit_refusals_total', 'Requests refused by access control, limits or budgets, by reason.', [{ name: 'reason', maxValues: 16 }]);
    for (const reason of Object.values(refusalReasons)) this.#refusals.labels(reason);
    const queue = r.gauge('bulwark_store_queue_depth', 'Events accepted but not yet committed by the event store (in memory and in flight).');
    const dropped = r.gauge('bulwark_store_dropped_events', 'Events the store dropped since start because its queue was full (writes kept failing).');
    const spoolRecords = r.gauge('bulwark_store_spool_records', 'Events in the durability spool waiting to be replayed into the event store (0 without a spool).').labels();
    const spoolBytes = r.gauge('bulwark_store_spool_bytes', 'Bytes of unreplayed records in the durability spool (0 without a spool).').labels();
    const traceDrops = r.counter('bulwark_trace_spans_dropped_total', 'Spans the OTLP exporter dropped (queue full or export failed).').labels();
    const alertsSent = r.counter('bulwark_alerts_sent_total', 'Alert notifications delivered to a channel.').labels();
    const alertsFailed = r.counter('bulwark_alerts_failed_total', 'Alert notifications given up on after every retry.').labels();
    const heap = r.gauge('bulwark_process_heap_used_bytes', 'V8 heap in use.').labels();
    const rss = r.gauge('bulwark_process_resident_memory_bytes', 'Resident set size of the process.').labels();
    const lag = r.gauge('bulwark_event_loop_lag_p99_seconds', '99th percentile event-loop delay since the previous scrape.').labels();
    const uptime = r.gauge('bulwark_process_uptime_seconds', 'Seconds since the metrics were created.').labels();
    this.#tokenDigest = options.scrapeToken === undefined ? null : digest(options.scrapeToken);
    this.#prices = createPriceList(options.pricing ?? []);
    this.#loop = options.eventLoop === false ? null : monitorEventLoopDelay({ resolution: 10 });
    this.#loop?.enable();
    const sources = options.sources ?? {};
    r.onCollect(() => {
      const stats = sources.store?.stats?.();
      queue.labels().set(stats?.queued ?? 0);
      dropped.labels().set(stats?.dropped ?? 0);
      spoolRecords.set(stats?.spool?.records ?? 0);
      spoolBytes.set(stats?.spool?.bytes ?? 0);
      traceDrops.value = sources.traceDrops?.() ?? 0;
      const alerts = sources.alerts?.();
      alertsSent.value = alerts?.sent ?? 0;
      alertsFailed.value = alerts?.failed ?? 0;
      const memory = process.memoryUsage();
      heap.set(memory.heapUsed);
      rss.set(memory.rss);
      if (this.#loop) {
        lag.set(this.#loop.count > 0 ? this.#loop.percentile(99) / 1e9 : 0);
        this.#loop.reset();
      }
      uptime.set((Date.now() - this.#started) / 1000);
    });
  }

  /** Counts one event: request, findings, scanner and upstream latencies, tokens, spend, refusals. */
  recordEvent(event: GatewayEvent): void {
    const status = event.status;
    const statusClass = status >= 100 && status < 600 ? statusClasses[Math.floor(status / 100) - 1]! : 'other';
    this.#requests.labels(event.route, event.decision, statusClass).inc();
    this.#duration.labels(event.route).observe(event.totalLatencyMs / 1000);
    for (const finding of event.findings) this.#decisions.labels(finding.instance, finding.scanner, finding.ruleId, finding.action).inc();
    for (const run of event.scanners) this.#scanner.labels(run.instance, run.scanner, run.phase, run.outcome).observe(run.latencyMs / 1000);
    if (event.upstreamLatencyMs !== null && event.provider !== null) this.#upstream.labels(event.provider, event.route).observe(event.upstreamLatencyMs / 1000);
    const model = event.model ?? 'none';
    if (event.inputTokens !== null || event.outputTokens !== null) {
      const input = event.inputTokens ?? 0;
      const output = event.outputTokens ?? 0;
      if (input > 0) this.#tokens.labels('input', model).inc(input);
      if (output > 0) this.#tokens.labels('output', model).inc(output);
      const price = this.#priceOf(model);
      if (price) this.#cost.labels(price.currency, model).inc(costMicros(price, input, output) / 1_000_000);
    }
    if (event.error !== undefined && event.decision === 'block') {
      const reason = refusalReasons[event.error];
      if (reason !== undefined) this.#refusals.labels(reason).inc();
    }
  }

  /** Whether scrapers must present a token. */
  get requiresToken(): boolean {
    return this.#tokenDigest !== null;
  }

  /** Compares a presented scrape token in constant time (SHA-256 digests have equal length whatever was sent). */
  tokenMatches(presented: string): boolean {
    return this.#tokenDigest !== null && timingSafeEqual(digest(presented), this.#tokenDigest);
  }

  /** The exposition text. */
  render(): string {
    return this.registry.render();
  }

  close(): void {
    this.#loop?.disable();
  }

  #priceOf(model: string): Price | null {
    let price = this.#priceCache.get(model);
    if (price === undefined) {
      price = this.#prices(model);
      // Bounded: models come from requests.
      if (this.#priceCache.size < 1000) this.#priceCache.set(model, price);
    }
    return price;
  }
}
