import type { z } from 'zod';
import type { AdminAccess } from '../../../auth/admin-access.ts';
import { can, type Action, type AdminPrincipal } from '../../../auth/roles.ts';
import type { KeyStore, Tenant } from '../../../auth/types.ts';
import { BulwarkError } from '../../../errors/bulwark-error.ts';
import { authenticateAdmin } from '../../admin-auth.ts';
import type { RouteContext, RouteDefinition } from '../types.ts';
import { recordAdminEvent, type AdminAuditTarget } from './audit.ts';

/** What an admin handler gets: the route context plus the authenticated administrator and the stores. */
export interface AdminContext {
  route: RouteContext;
  principal: AdminPrincipal;
  admin: AdminAccess;
  keys: KeyStore;
  /** What the audit event names as the target (set by the handler as soon as it knows). */
  target: AdminAuditTarget;
  /** The `{tenant}` path parameter resolved to a tenant the caller may `action` on; 404 when it does not exist or is outside the caller's tenant, 403 when the role lacks the action. */
  tenant(action: Action): Tenant;
  /** Refuses (403) unless the caller may `action` on `tenantId` (null: platform level); outside the caller's tenant it is a 404. */
  require(action: Action, tenantId: string | null): void;
  /** The JSON body checked by `schema`; 400 naming the first bad field. */
  body<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
}

export interface AdminResult {
  status: number;
  body: unknown;
  /** Default application/json; a string body is sent as is. */
  contentType?: string;
}

export interface AdminRouteSpec {
  method: RouteDefinition['method'];
  /** Below /admin/v1, with `{name}` parameters. */
  path: string;
  /** Event route name, e.g. `admin.keys.create`. */
  name: string;
  handle(context: AdminContext): Promise<AdminResult> | AdminResult;
}

export const ADMIN_PREFIX = '/admin/v1';

/** A 404 that reads the same whether the resource does not exist or belongs to another tenant. */
export function notFound(what: string, id: string): BulwarkError {
  return new BulwarkError('BULWARK_NOT_FOUND', `No ${what} "${id.slice(0, 128)}".`);
}

/** Runs a store call; its validation errors become 400 (409 for conflicts), naming the field as the store does. */
export function attempt<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof BulwarkError || !(error instanceof Error)) throw error;
    const conflict = /already exists|already rotated|is revoked|is disabled/.test(error.message);
    throw new BulwarkError(conflict ? 'BULWARK_CONFLICT' : 'BULWARK_INVALID_REQUEST', error.message.slice(0, 300));
  }
}

/** Builds one admin route: admin authentication, tenant isolation helpers, the JSON answer, and one audit event per call (refusals included). */
export function adminRoute(spec: AdminRouteSpec): RouteDefinition {
  return {
    method: spec.method,
    path: `${ADMIN_PREFIX}${spec.path}`,
    name: spec.name,
    format: 'openai',
    auth: 'admin',
    async handle(route) {
      const { gateway } = route;
      const admin = gateway.access?.admin;
      const keys = gateway.access?.keys;
      if (!gateway.config.admin.enabled || !admin || !keys) throw new BulwarkError('BULWARK_NOT_FOUND', `No route ${spec.method} ${ADMIN_PREFIX}${spec.path} (the admin API is disabled: admin.enabled).`);
      const principal = await authenticateAdmin(gateway, admin, route.request);
      const target: AdminAuditTarget = { tenant: principal.tenant, description: '' };
      const require = (action: Action, tenantId: string | null): void => {
        if (can(principal, action, tenantId)) return;
        const inScope = principal.tenant === null ? principal.role === 'owner' : tenantId === principal.tenant;
        if (!inScope && tenantId !== null) throw notFound('tenant', tenantId);
        throw new BulwarkError('BULWARK_FORBIDDEN_ROLE', `The ${principal.role} role may not ${action.replace(':', ' ')}${tenantId === null ? ' at platform level' : ''}.`, { details: { action } });
      };
      const context: AdminContext = {
        route,
        principal,
        admin,
        keys,
        target,
        tenant(action) {
          const id = route.params.tenant ?? '';
          const tenant = keys.findTenant(id);
          const visible = tenant !== null && (principal.tenant === null ? principal.role === 'owner' : principal.tenant === tenant.id);
          if (!tenant || !visible) throw notFound('tenant', id);
          target.tenant = tenant.id;
          require(action, tenant.id);
          return tenant;
        },
        require,
        async body(schema) {
          // A bodiless POST (revoke, rotate with defaults) reads as {}.
          const headers = route.request.headers;
          const empty = headers['content-length'] === '0' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined);
          const parsed = schema.safeParse(empty ? {} : await route.readBody());
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            const field = issue.path.join('.') || 'body';
            throw new BulwarkError('BULWARK_INVALID_REQUEST', `${field}: ${issue.message}`, { param: field });
          }
          return parsed.data;
        },
      };
      try {
        const result = await spec.handle(context);
        recordAdminEvent(gateway, { route: spec.name, requestId: route.requestId, principal, target, status: result.status });
        route.sink.json(result.status, result.body, result.contentType ? { 'content-type': result.contentType } : {});
      } catch (error) {
        const status = error instanceof BulwarkError ? error.status : 500;
        recordAdminEvent(gateway, { route: spec.name, requestId: route.requestId, principal, target, status, error: error instanceof BulwarkError ? error.code : 'BULWARK_INTERNAL' });
        throw error;
      }
    },
  };
}
