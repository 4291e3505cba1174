import { z } from 'zod';
import { BulwarkError } from '../../../errors/bulwark-error.ts';
import type { GatewayEvent } from '../../../store/types.ts';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, notFound } from './route.ts';

/** A store that can open `full` content (the gateway's ContentSealingStore). */
interface RevealingStore {
  revealContent(event: GatewayEvent): Promise<{ request?: string; response?: string } | null>;
}

function canReveal(store: unknown): store is RevealingStore {
  return typeof (store as Partial<RevealingStore>).revealContent === 'function';
}

/** Newest events the store returns per read; a tenant's page is filtered from them (the store query has no tenant filter yet). */
export const EVENT_SCAN_WINDOW = 10_000;

const Query = z
  .object({
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
    since: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO time').optional(),
    decision: z.enum(['allow', 'flag', 'redact', 'block', 'error']).optional(),
    tenant: z.string().min(1).max(128).optional(),
  })
  .strict();

/** Stored events, newest first, confined to the caller's tenant (platform-wide owners: every tenant, or `?tenant=`). */
export const eventRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/events',
    name: 'admin.events.list',
    async handle(context) {
      const { principal } = context;
      const url = new URL(context.route.request.url ?? '/', 'http://gateway');
      const parsed = Query.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.') || 'query';
        throw new BulwarkError('BULWARK_INVALID_REQUEST', `${field}: ${issue.message}`, { param: field });
      }
      const query = parsed.data;
      let tenantId: string | null = principal.tenant;
      if (query.tenant !== undefined) {
        const tenant = context.keys.findTenant(query.tenant);
        const visible = tenant !== null && (principal.tenant === null || principal.tenant === tenant.id);
        if (!tenant || !visible) throw notFound('tenant', query.tenant);
        tenantId = tenant.id;
      }
      context.target.tenant = tenantId;
      context.target.description = `events${tenantId ? ` of ${tenantId}` : ''}`;
      context.require('events:read', tenantId);
      const filter = { ...(query.since !== undefined ? { since: query.since } : {}), ...(query.decision ? { decision: query.decision } : {}) };
      let events: GatewayEvent[];
      try {
        if (tenantId === null) events = await context.route.gateway.store.list({ ...filter, limit: query.limit });
        else events = (await context.route.gateway.store.list({ ...filter, limit: EVENT_SCAN_WINDOW })).filter((event) => event.tenant === tenantId).slice(0, query.limit);
      } catch (error) {
        // The store is stricter about `since` than Date.parse; its RangeError is the caller's mistake, not a 500.
        if (error instanceof RangeError) throw new BulwarkError('BULWARK_INVALID_REQUEST', 'since: expected an ISO time such as 2026-01-31T00:00:00Z', { param: 'since' });
        throw error;
      }
      return { status: 200, body: { data: events } };
    },
  }),
  adminRoute({
    method: 'GET',
    path: '/events/{event}/content',
    name: 'admin.events.content',
    async handle(context) {
      const id = context.route.params.event ?? '';
      const event = await context.route.gateway.store.get(id);
      // An event of another tenant is "not found", like a missing one.
      if (event === null || (context.principal.tenant !== null && context.principal.tenant !== (event.tenant ?? null))) throw notFound('event', id);
      const tenantId = event.tenant ?? null;
      context.target.tenant = tenantId;
      context.target.description = `content of event ${event.id}`;
      context.require('events:content', tenantId);
      const store = context.route.gateway.store;
      let content: { request?: string; response?: string } | null;
      try {
        content = canReveal(store) ? await store.revealContent(event) : (event.content ?? null);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (/was destroyed/.test(reason)) throw new BulwarkError('BULWARK_CONTENT_SHREDDED', `The content of event ${event.id} is no longer readable: its data key was destroyed by retention.`);
        throw error;
      }
      return { status: 200, body: { data: { eventId: event.id, contentMode: event.contentMode ?? null, content } } };
    },
  }),
];
