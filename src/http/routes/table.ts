import { handleChat } from '../../proxy/chat.ts';
import { handleEmbeddings } from '../../proxy/embeddings.ts';
import { listModels } from '../../proxy/models.ts';
import { parseScanRequest, scanText } from '../../proxy/scan.ts';
import { adminRoutes } from './admin/index.ts';
import { metricsRoute } from './metrics.ts';
import type { RouteContext, RouteDefinition } from './types.ts';

/** The caller's tenant, for tenant-scoped state such as the pseudonym vault (absent: anonymous loopback caller). */
const tenantOf = (context: RouteContext): { tenant?: string } => (context.access.principal ? { tenant: context.access.principal.tenant } : {});

/** Every route the gateway serves; one explicit table, no registration by side effect. */
export const routeTable: readonly RouteDefinition[] = [
  {
    method: 'POST',
    path: '/v1/chat/completions',
    name: 'openai.chat',
    format: 'openai',
    handle: async (context) => handleChat(context.gateway, { format: 'openai', route: 'openai.chat', body: await context.readBody(), requestId: context.requestId, signal: context.signal, sink: context.sink, headers: context.request.headers, access: context.access, ...tenantOf(context) }),
  },
  {
    method: 'POST',
    path: '/v1/messages',
    name: 'anthropic.messages',
    format: 'anthropic',
    handle: async (context) => handleChat(context.gateway, { format: 'anthropic', route: 'anthropic.messages', body: await context.readBody(), requestId: context.requestId, signal: context.signal, sink: context.sink, headers: context.request.headers, access: context.access, ...tenantOf(context) }),
  },
  {
    method: 'POST',
    path: '/v1/embeddings',
    name: 'openai.embeddings',
    format: 'openai',
    handle: async (context) => handleEmbeddings(context.gateway, { body: await context.readBody(), requestId: context.requestId, signal: context.signal, sink: context.sink, access: context.access, headers: context.request.headers }),
  },
  {
    method: 'GET',
    path: '/v1/models',
    name: 'openai.models',
    format: 'openai',
    handle: (context) => context.sink.json(200, listModels(context.gateway)),
  },
  {
    method: 'POST',
    path: '/v1/scan',
    name: 'scan',
    format: 'openai',
    handle: async (context) => {
      const request = parseScanRequest(await context.readBody());
      context.sink.json(200, await scanText(context.gateway, request, { requestId: context.requestId, route: 'scan', access: context.access }));
    },
  },
  {
    method: 'GET',
    path: '/healthz',
    name: 'healthz',
    format: 'openai',
    handle: (context) => context.sink.json(200, { status: 'ok' }),
  },
  {
    method: 'GET',
    path: '/readyz',
    name: 'readyz',
    format: 'openai',
    // `rules`: the detection rules version in force (built-in `/` signed bundle) and why a newer bundle file was refused, if it was.
    handle: (context) => {
      const rules = context.gateway.rules?.status();
      const extra = rules ? { rules } : {};
      return context.isReady() ? context.sink.json(200, { status: 'ready', ...extra }) : context.sink.json(503, { status: 'draining', ...extra });
    },
  },
  // Prometheus metrics; the path comes from `metrics.path` (withMetricsRoute), no API key (docs/metrics.md).
  metricsRoute,
  // The admin API (/admin/v1): admin credentials, roles and tenant isolation (src/http/routes/admin/README.md).
  ...adminRoutes,
];
