import { z } from 'zod';
import type { ApiKeyRecord, Tenant } from '../../../auth/types.ts';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, attempt, notFound, type AdminContext } from './route.ts';

const CreateKey = z
  .object({
    project: z.string().min(1).max(128).describe('Project id or name within the tenant.'),
    name: z.string().min(1).max(128).optional().describe('A label for the key.'),
    scopes: z.array(z.enum(['inference', 'scan'])).min(1).optional().describe('Default: inference and scan.'),
    models: z.array(z.string().min(1).max(256)).max(100).optional().describe('Model globs; empty or absent: every model.'),
    providers: z.array(z.string().min(1).max(64)).max(100).optional().describe('Provider ids; empty or absent: every provider.'),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional().describe('Expiry time; absent: never.'),
  })
  .strict();

const RotateKey = z.object({ overlapSeconds: z.number().int().min(0).max(30 * 86_400).default(3_600).describe('How long the old key keeps working.') }).strict();

/** The key `{key}` of the tenant; a key of another tenant is "not found", like a missing one. */
function keyOf(context: AdminContext, tenant: Tenant): ApiKeyRecord {
  const id = context.route.params.key ?? '';
  const key = context.keys.getKey(id);
  if (!key || key.tenantId !== tenant.id) throw notFound('key', id);
  context.target.project = key.projectId;
  return key;
}

/** API keys of a tenant: create (secret shown once), list, revoke, rotate. */
export const keyRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/tenants/{tenant}/keys',
    name: 'admin.keys.list',
    handle(context) {
      const tenant = context.tenant('keys:read');
      context.target.description = `keys of ${tenant.id}`;
      return { status: 200, body: { data: context.keys.listKeys({ tenantId: tenant.id }) } };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants/{tenant}/keys',
    name: 'admin.keys.create',
    async handle(context) {
      const tenant = context.tenant('keys:write');
      const body = await context.body(CreateKey);
      const project = context.keys.findProject(body.project, tenant.id);
      if (!project) throw notFound('project', body.project);
      const created = attempt(() =>
        context.keys.createKey({
          tenantId: tenant.id,
          projectId: project.id,
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.scopes ? { scopes: body.scopes } : {}),
          ...(body.models ? { models: body.models } : {}),
          ...(body.providers ? { providers: body.providers } : {}),
          ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
        }),
      );
      Object.assign(context.target, { project: project.id, description: `key ${created.record.id} in project ${project.id}` });
      return { status: 201, body: { key: created.key, ...created.record } };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants/{tenant}/keys/{key}/revoke',
    name: 'admin.keys.revoke',
    handle(context) {
      const tenant = context.tenant('keys:write');
      const key = keyOf(context, tenant);
      context.target.description = `key ${key.id}`;
      return { status: 200, body: attempt(() => context.keys.revokeKey(key.id)) };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants/{tenant}/keys/{key}/rotate',
    name: 'admin.keys.rotate',
    async handle(context) {
      const tenant = context.tenant('keys:write');
      const key = keyOf(context, tenant);
      const body = await context.body(RotateKey);
      context.target.description = `key ${key.id}`;
      const created = attempt(() => context.keys.rotateKey(key.id, body.overlapSeconds * 1000));
      context.target.description = `key ${key.id} rotated to ${created.record.id}`;
      return { status: 201, body: { key: created.key, ...created.record, replaces: key.id } };
    },
  }),
];
