import { BulwarkError } from '../../errors/bulwark-error.ts';
import type { Gateway } from '../../proxy/gateway.ts';
import type { GatewayMetrics } from '../../telemetry/metrics.ts';
import { isLoopback } from '../auth.ts';
import type { RouteContext, RouteDefinition } from './types.ts';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Who may scrape: with `metrics.token`, whoever sends it as a bearer token; otherwise loopback callers (unless `loopbackOnly: false`). Never an API key. */
function checkScraper(context: RouteContext, metrics: GatewayMetrics): void {
  if (metrics.requiresToken) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(context.request.headers.authorization ?? '');
    if (!match) throw new BulwarkError('BULWARK_AUTH_MISSING', 'The metrics endpoint needs its scrape token: send "Authorization: Bearer <metrics.token>".');
    if (!metrics.tokenMatches(match[1]!)) throw new BulwarkError('BULWARK_AUTH_INVALID', 'The metrics scrape token is not valid.');
    return;
  }
  if (context.gateway.config.metrics.loopbackOnly && !isLoopback(context.request.socket.remoteAddress)) {
    throw new BulwarkError('BULWARK_FORBIDDEN_SCOPE', 'Metrics are served to callers on this machine only; set metrics.token (or metrics.loopbackOnly: false) to scrape from elsewhere.');
  }
}

/** GET /metrics (path from `metrics.path`): Prometheus text exposition 0.0.4. */
export const metricsRoute: RouteDefinition = {
  method: 'GET',
  path: '/metrics',
  name: 'metrics',
  format: 'openai',
  handle: (context) => {
    const metrics = context.gateway.metrics;
    if (!metrics) throw new BulwarkError('BULWARK_NOT_FOUND', 'Metrics are disabled (metrics.enabled: false).');
    checkScraper(context, metrics);
    context.sink.json(200, metrics.render(), { 'content-type': CONTENT_TYPE, 'cache-control': 'no-store' });
  },
};

/** The route table with the metrics route at `metrics.path`, or without it when metrics are disabled. */
export function withMetricsRoute(routes: readonly RouteDefinition[], gateway: Gateway): RouteDefinition[] {
  const { enabled, path } = gateway.config.metrics;
  return routes.flatMap((route) => (route.name !== 'metrics' ? [route] : enabled ? [{ ...route, path }] : []));
}
