import { z } from 'zod';
import type { AdminUser } from '../../../auth/admin-types.ts';
import { canGrant, ROLES } from '../../../auth/roles.ts';
import { BulwarkError } from '../../../errors/bulwark-error.ts';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, attempt, notFound, type AdminContext } from './route.ts';

const CreateUser = z
  .object({
    kind: z.enum(['token', 'oidc']).describe('token: signs in with admin tokens; oidc: an OIDC subject (`sub`).'),
    subject: z.string().min(1).max(256).describe('A label for token users; the OIDC `sub` for oidc users.'),
    role: z.enum(ROLES),
    tenant: z.string().min(1).max(128).nullable().optional().describe('Tenant id or name; null only for platform-wide owners; absent: the caller\'s tenant.'),
  })
  .strict();

/** The user `{user}`, if the caller may see it (its tenant, or platform-wide callers); otherwise "not found". */
function userOf(context: AdminContext): AdminUser {
  const id = context.route.params.user ?? '';
  const user = context.admin.store.getUser(id);
  const { principal } = context;
  const visible = user !== null && (principal.tenant === null ? principal.role === 'owner' : user.tenantId === principal.tenant);
  if (!user || !visible) throw notFound('user', id);
  context.target.tenant = user.tenantId;
  return user;
}

function refuseGrant(context: AdminContext, role: string): never {
  throw new BulwarkError('BULWARK_FORBIDDEN_ROLE', `The ${context.principal.role} role may not grant the ${role} role (it would gain rights the caller lacks).`);
}

/** Administrators: admin-token users and OIDC subjects with their role and tenant; tokens for token users (shown once). */
export const userRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/users',
    name: 'admin.users.list',
    handle(context) {
      const { principal } = context;
      context.require('users:read', principal.tenant);
      context.target.description = 'user list';
      const users = context.admin.store.listUsers(principal.tenant === null ? {} : { tenantId: principal.tenant });
      return { status: 200, body: { data: users } };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/users',
    name: 'admin.users.create',
    async handle(context) {
      const { principal } = context;
      const body = await context.body(CreateUser);
      let tenantId: string | null = principal.tenant;
      if (body.tenant === null) tenantId = null;
      else if (body.tenant !== undefined) {
        const tenant = context.keys.findTenant(body.tenant);
        const visible = tenant !== null && (principal.tenant === null || principal.tenant === tenant.id);
        if (!tenant || !visible) throw notFound('tenant', body.tenant);
        tenantId = tenant.id;
      }
      context.target.tenant = tenantId;
      context.require('users:write', tenantId);
      if (!canGrant(principal, body.role, tenantId)) refuseGrant(context, body.role);
      const user = attempt(() => context.admin.store.createUser({ kind: body.kind, subject: body.subject, role: body.role, tenantId }));
      context.target.description = `user ${user.id} (${user.kind}, ${user.role})`;
      return { status: 201, body: user };
    },
  }),
  adminRoute({
    method: 'DELETE',
    path: '/users/{user}',
    name: 'admin.users.disable',
    handle(context) {
      const user = userOf(context);
      context.target.description = `user ${user.id}`;
      context.require('users:write', user.tenantId);
      if (!canGrant(context.principal, user.role, user.tenantId)) refuseGrant(context, user.role);
      if (user.id === context.principal.id) throw new BulwarkError('BULWARK_CONFLICT', 'An administrator cannot disable itself.');
      return { status: 200, body: attempt(() => context.admin.store.disableUser(user.id)) };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/users/{user}/tokens',
    name: 'admin.users.token',
    async handle(context) {
      const user = userOf(context);
      context.target.description = `user ${user.id}`;
      context.require('users:write', user.tenantId);
      // Minting a token for a user is acting as that user: only for roles the caller could grant.
      if (!canGrant(context.principal, user.role, user.tenantId)) refuseGrant(context, user.role);
      const body = await context.body(z.object({ expiresAt: z.iso.datetime({ offset: true }).nullable().optional().describe('Expiry; absent: never.') }).strict());
      const created = attempt(() => context.admin.store.createToken(user.id, body.expiresAt ? { expiresAt: body.expiresAt } : {}));
      context.target.description = `admin token ${created.record.id} of user ${user.id}`;
      return { status: 201, body: { token: created.token, ...created.record, role: user.role, tenantId: user.tenantId } };
    },
  }),
];
