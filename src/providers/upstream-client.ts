import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { Provider, Route } from '../config/schema.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { WireFormat } from '../wire/types.ts';
import { compileProvider } from './adapters.ts';
import type { CompiledProvider, Env, Operation, RequestTarget } from './adapters.ts';
import { backoffDelay, sleep } from './backoff.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import type { CircuitBreaker, CircuitState } from './circuit-breaker.ts';
import { classifyError, flattenHeaders, isClientError, isRetryableStatus, readErrorBody, retryAfterMs } from './upstream-response.ts';
import type { CancelSignal } from '../runtime/cancel-signal.ts';

/** What the proxy asks of the upstream side for one client request. */
export interface UpstreamRequest {
  operation: Operation;
  /** Builds the body in the provider's wire format for the model to send (route.model ?? requested model); called once per provider tried; null for GET. A string or bytes are sent as they are. */
  body: (format: WireFormat, model: string, provider: Provider) => unknown;
  /** The model the client asked for. */
  model: string;
  stream: boolean;
  /** Aborts when the client disconnects; also aborts the upstream request and its body stream. */
  signal: CancelSignal;
  requestId: string;
  /** Extra headers for this request only (the trace context: `traceparent`); provider credentials still win. */
  headers?: Readonly<Record<string, string>>;
}

/** One try against one provider. */
export interface AttemptRecord {
  provider: string;
  attempt: number;
  outcome: 'ok' | 'http-error' | 'timeout' | 'network' | 'circuit-open' | 'unsupported' | 'aborted';
  status?: number;
  latencyMs: number;
}

/** The upstream answer (body still to be consumed by the caller), or why there is none. */
export type UpstreamResult =
  | { ok: true; provider: Provider; format: WireFormat; status: number; headers: Record<string, string>; body: Readable; latencyMs: number; attempts: AttemptRecord[] }
  | { ok: false; kind: 'http' | 'timeout' | 'network' | 'circuit-open' | 'unsupported' | 'aborted'; status?: number; errorBody?: unknown; message: string; provider?: string; attempts: AttemptRecord[] };

type Failure = Extract<UpstreamResult, { ok: false }>;

/** Options for {@link createUpstreamClient}. */
export interface UpstreamClientOptions {
  providers: Provider[];
  logger: Logger;
  /** Resolves `{ env }` secrets; default process.env. */
  env?: Env;
  /** Replaces the shared keep-alive Agent (tests, proxies); the caller then owns closing it. */
  dispatcher?: Dispatcher;
  /** Jitter source, injectable for tests. */
  random?: () => number;
}

/** Sends requests upstream with retries, fallback across a route's providers, and per-provider circuit breakers. */
export interface UpstreamClient {
  call(route: Route, request: UpstreamRequest): Promise<UpstreamResult>;
  /** Breaker state of a provider ('closed' before first use; 'unknown' for ids not in the config). */
  breakerState(providerId: string): CircuitState | 'unknown';
  /** Closes pooled connections (only those of the client's own Agent). */
  close(): Promise<void>;
}

/** Creates the upstream client; resolves every provider's secret now, so a missing env var fails at startup. */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  return new Client(options);
}

type AttemptOutcome =
  | { ok: true; result: Extract<UpstreamResult, { ok: true }> }
  | { ok: false; failure: Failure; retryable: boolean; countsAsFailure: boolean; waitMs: number | null };

function bodyBytes(body: unknown): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return JSON.stringify(body);
}

class Client implements UpstreamClient {
  private readonly log: Logger;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly random: () => number;
  private readonly compiled = new Map<string, CompiledProvider>();
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(options: UpstreamClientOptions) {
    this.log = options.logger;
    this.random = options.random ?? Math.random;
    const env = options.env ?? process.env;
    for (const provider of options.providers) this.compiled.set(provider.id, compileProvider(provider, env));
    this.ownsDispatcher = options.dispatcher === undefined;
    // One pooled keep-alive Agent for all upstreams; per-request timeouts come from the route.
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connect: { timeout: 10_000 } });
  }

  breakerState(providerId: string): CircuitState | 'unknown' {
    if (!this.compiled.has(providerId)) return 'unknown';
    return this.breakers.get(providerId)?.state ?? 'closed';
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  async call(route: Route, request: UpstreamRequest): Promise<UpstreamResult> {
    const attempts: AttemptRecord[] = [];
    const model = route.model ?? request.model;
    let last: Failure | null = null;
    let lastHttpStatus: number | undefined;
    for (let index = 0; index < route.providers.length; index++) {
      const providerId = route.providers[index]!;
      if (request.signal.aborted) return this.aborted(attempts, providerId);
      const compiled = this.compiled.get(providerId);
      if (compiled === undefined) {
        // Config validation should have caught this; treat it as one more failed provider.
        attempts.push({ provider: providerId, attempt: 0, outcome: 'unsupported', latencyMs: 0 });
        last = { ok: false, kind: 'unsupported', message: `provider "${providerId}" is not configured`, provider: providerId, attempts };
        continue;
      }
      const target = compiled.target(request.operation, model);
      if (target === null) {
        attempts.push({ provider: providerId, attempt: 0, outcome: 'unsupported', latencyMs: 0 });
        last = { ok: false, kind: 'unsupported', message: `provider "${providerId}" (${compiled.provider.type}) does not support ${request.operation}`, provider: providerId, attempts };
        continue;
      }
      const breaker = this.breakerFor(providerId, route);
      // Built lazily so a provider skipped by its breaker costs no serialization.
      let body: string | Uint8Array | undefined;
      let bodyBuilt = target.method === 'GET';
      const maxTries = 1 + route.retry.attempts;
      for (let attempt = 1; attempt <= maxTries; attempt++) {
        if (!breaker.canPass()) {
          attempts.push({ provider: providerId, attempt, outcome: 'circuit-open', latencyMs: 0 });
          last = { ok: false, kind: 'circuit-open', message: `provider "${providerId}" circuit is open`, provider: providerId, attempts };
          break;
        }
        if (!bodyBuilt) {
          try {
            body = bodyBytes(request.body(compiled.format, model, compiled.provider));
          } catch (err) {
            // The caller's bug, not the provider's: free a half-open trial slot and surface it.
            breaker.release();
            throw err;
          }
          bodyBuilt = true;
        }
        const outcome = await this.attempt(compiled, target, body, route, request, attempt, attempts);
        if (outcome.ok) {
          breaker.onSuccess();
          return outcome.result;
        }
        const failure = outcome.failure;
        if (failure.kind === 'aborted') {
          breaker.release();
          return failure;
        }
        if (failure.status !== undefined) lastHttpStatus = failure.status;
        if (outcome.countsAsFailure) this.recordFailure(breaker, providerId);
        else breaker.onSuccess();
        // The client's request is wrong: another provider would refuse it too.
        if (!outcome.retryable) {
          if (failure.kind === 'http' && isClientError(failure.status ?? 0)) return failure;
          last = failure;
          break;
        }
        last = failure;
        if (attempt < maxTries) {
          const backoff = backoffDelay(attempt, route.retry, this.random);
          const delay = outcome.waitMs === null ? backoff : Math.min(outcome.waitMs, route.retry.maxBackoffMs);
          try {
            await sleep(delay, request.signal);
          } catch {
            return this.aborted(attempts, providerId);
          }
        }
      }
      // Skips (open circuit, unsupported) are routine while a provider is down; only real tries are worth a line.
      if (index + 1 < route.providers.length && last?.kind !== 'circuit-open' && last?.kind !== 'unsupported') this.log.warn({ requestId: request.requestId, provider: providerId }, 'upstream provider failed; trying the next one');
    }
    if (last === null) return { ok: false, kind: 'unsupported', message: 'route lists no providers', attempts };
    return last.status === undefined && lastHttpStatus !== undefined ? { ...last, status: lastHttpStatus } : last;
  }

  private async attempt(
    compiled: CompiledProvider,
    target: RequestTarget,
    body: string | Uint8Array | undefined,
    route: Route,
    request: UpstreamRequest,
    attempt: number,
    attempts: AttemptRecord[],
  ): Promise<AttemptOutcome> {
    const providerId = compiled.provider.id;
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: target.origin,
        path: target.path,
        method: target.method,
        headers: request.headers === undefined ? target.headers : { ...request.headers, ...target.headers },
        body,
        signal: request.signal,
        headersTimeout: route.timeoutMs,
        bodyTimeout: route.timeoutMs,
      });
    } catch (err) {
      const latencyMs = performance.now() - started;
      if (request.signal.aborted) {
        attempts.push({ provider: providerId, attempt, outcome: 'aborted', latencyMs });
        return { ok: false, failure: this.aborted(attempts, providerId), retryable: false, countsAsFailure: false, waitMs: null };
      }
      const { kind, code } = classifyError(err);
      attempts.push({ provider: providerId, attempt, outcome: kind, latencyMs });
      this.log.warn({ requestId: request.requestId, provider: providerId, attempt, outcome: kind, code, latencyMs: Math.round(latencyMs) }, 'upstream attempt failed');
      const message = kind === 'timeout' ? `provider "${providerId}" timed out (${code})` : `provider "${providerId}" network error (${code})`;
      return { ok: false, failure: { ok: false, kind, message, provider: providerId, attempts }, retryable: true, countsAsFailure: true, waitMs: null };
    }
    const latencyMs = performance.now() - started;
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      attempts.push({ provider: providerId, attempt, outcome: 'ok', status, latencyMs });
      return {
        ok: true,
        result: { ok: true, provider: compiled.provider, format: compiled.format, status, headers: flattenHeaders(response.headers), body: response.body, latencyMs, attempts },
      };
    }
    // Reading the body (bounded) hands the socket back to the pool and gives the client a reason.
    const errorBody = await readErrorBody(response.body);
    if (request.signal.aborted) {
      attempts.push({ provider: providerId, attempt, outcome: 'aborted', status, latencyMs });
      return { ok: false, failure: this.aborted(attempts, providerId), retryable: false, countsAsFailure: false, waitMs: null };
    }
    attempts.push({ provider: providerId, attempt, outcome: 'http-error', status, latencyMs });
    const clientError = isClientError(status);
    this.log.warn({ requestId: request.requestId, provider: providerId, attempt, status, latencyMs: Math.round(latencyMs) }, 'upstream attempt failed');
    return {
      ok: false,
      failure: { ok: false, kind: 'http', status, errorBody, message: `provider "${providerId}" answered ${status}`, provider: providerId, attempts },
      retryable: isRetryableStatus(status),
      countsAsFailure: !clientError,
      waitMs: retryAfterMs(response.headers),
    };
  }

  private aborted(attempts: AttemptRecord[], providerId: string): Failure {
    return { ok: false, kind: 'aborted', message: 'client went away', provider: providerId, attempts };
  }

  private recordFailure(breaker: CircuitBreaker, providerId: string): void {
    const before = breaker.state;
    breaker.onFailure();
    if (before !== 'open' && breaker.state === 'open') this.log.warn({ provider: providerId }, 'upstream circuit opened');
  }

  /** One breaker per provider, configured by the first route that uses it. */
  private breakerFor(providerId: string, route: Route): CircuitBreaker {
    let breaker = this.breakers.get(providerId);
    if (breaker === undefined) {
      breaker = createCircuitBreaker({ failureThreshold: route.circuitBreaker.failureThreshold, cooldownMs: route.circuitBreaker.cooldownMs });
      this.breakers.set(providerId, breaker);
    }
    return breaker;
  }
}
