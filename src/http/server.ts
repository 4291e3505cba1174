import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BulwarkError } from '../errors/bulwark-error.ts';
import { renderError, renderStreamError, toBulwarkError } from '../errors/render.ts';
import type { Gateway } from '../proxy/gateway.ts';
import type { ResponseSink } from '../proxy/sink.ts';
import type { WireFormat } from '../wire/types.ts';
import { RequestAccess } from '../proxy/admission.ts';
import { randomHexId } from '../proxy/random-id.ts';
import { Cancellation } from '../runtime/cancel-signal.ts';
import { authenticate } from './auth.ts';
import { readJsonBody } from './body.ts';
import { createRouteMatcher } from './routes/match.ts';
import { withMetricsRoute } from './routes/metrics.ts';
import { routeTable } from './routes/table.ts';
import type { RouteContext, RouteDefinition } from './routes/types.ts';
import { createHttpSink } from './sink.ts';

/** The HTTP face of a gateway, with draining shutdown. */
export interface GatewayServer {
  server: Server;
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  /** Stops accepting, lets in-flight requests and streams finish (up to the grace period), then closes. */
  shutdown(graceMs: number): Promise<void>;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The server's state a route may ask about. */
interface ServerState {
  draining: boolean;
}

/**
 * What a route gets for one request. A class: its methods cost no closures per request, where an object
 * literal's `readBody`/`isReady` arrows cost two functions and, run through tsx, a name each (ADR 0001).
 */
class HttpRouteContext implements RouteContext {
  constructor(
    readonly gateway: Gateway,
    readonly access: RequestAccess,
    readonly request: IncomingMessage,
    readonly requestId: string,
    readonly signal: Cancellation,
    readonly sink: ResponseSink,
    readonly params: Readonly<Record<string, string>>,
    private readonly server: ServerState,
  ) {}

  readBody(): Promise<Record<string, unknown>> {
    return readJsonBody(this.request, this.gateway.config.server.bodyLimitBytes);
  }

  isReady(): boolean {
    return !this.server.draining;
  }
}

/** Path parameters of a route without any. */
const noParams: Readonly<Record<string, string>> = Object.freeze({});

/** Builds the server; routes come from the route table. */
export function createGatewayServer(gateway: Gateway, routes: readonly RouteDefinition[] = routeTable): GatewayServer {
  const matcher = createRouteMatcher(withMetricsRoute(routes, gateway));
  const inFlight = new Set<ServerResponse>();
  const state: ServerState = { draining: false };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const incoming = request.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : `req_${randomHexId()}`;
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const matched = matcher.find(request.method ?? '', path);
    const route = matched?.route;
    const format: WireFormat = route?.format ?? (path.startsWith('/v1/messages') ? 'anthropic' : 'openai');
    const sink = createHttpSink(response, { 'x-request-id': requestId });
    // A Cancellation, not an AbortController: a Node AbortSignal per request is costly to collect (src/runtime/cancel-signal.ts).
    const cancellation = new Cancellation();
    inFlight.add(response);
    response.on('close', () => {
      if (!response.writableFinished) cancellation.abort(new Error('client disconnected'));
      inFlight.delete(response);
    });
    let access: RequestAccess | undefined;
    try {
      if (!route) {
        if (matcher.pathKnown(path)) throw new BulwarkError('BULWARK_METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}.`);
        throw new BulwarkError('BULWARK_NOT_FOUND', `No route ${request.method} ${path.slice(0, 200)}.`);
      }
      if (state.draining && route.name !== 'healthz' && route.name !== 'readyz') throw new BulwarkError('BULWARK_SHUTTING_DOWN', 'The gateway is shutting down; retry on another instance.');
      // storage.spool.onFull: fail-closed, spool full: no request may run without its audit record (ADR 0015), admin calls included.
      if (gateway.store.isAccepting?.() === false && route.name !== 'healthz' && route.name !== 'readyz' && route.name !== 'metrics') throw new BulwarkError('BULWARK_AUDIT_UNAVAILABLE', 'The audit record cannot be written right now (event store down and spool full); retry shortly.');
      // Admin routes take admin credentials, checked by their handler (never anonymous, no loopback exemption).
      access = new RequestAccess(route.auth === 'admin' ? null : authenticate(gateway, request, route.name));
      await route.handle(new HttpRouteContext(gateway, access, request, requestId, cancellation, sink, matched?.params ?? noParams, state));
    } catch (error) {
      const known = toBulwarkError(error, requestId);
      if (!(error instanceof BulwarkError)) gateway.logger.error({ err: error, requestId, route: route?.name }, 'unhandled error');
      if (response.destroyed || response.writableEnded) return;
      if (response.headersSent) {
        response.end(renderStreamError(known, format, requestId));
        return;
      }
      const rendered = renderError(known, format, requestId);
      sink.json(rendered.status, rendered.body, { ...(known.status === 413 ? { connection: 'close' } : {}), ...authHeaders(known) });
    } finally {
      const closing = access?.close(gateway);
      if (closing) await closing;
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      gateway.logger.error({ err: error }, 'request handler failed');
      if (!response.headersSent) response.writeHead(500).end();
      else response.end();
    });
  });
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    gateway.logger.debug({ code: (error as NodeJS.ErrnoException).code }, 'client error');
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve({ host, port: typeof address === 'object' && address ? address.port : port });
        });
      });
    },
    async shutdown(graceMs) {
      state.draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** `www-authenticate` on 401s, `retry-after` on 429s and limit-store 503s. */
function authHeaders(error: BulwarkError): Record<string, string> {
  if (error.status === 401) return { 'www-authenticate': 'Bearer' };
  const retry = error.details?.retryAfterSeconds;
  return typeof retry === 'number' ? { 'retry-after': String(retry) } : {};
}
