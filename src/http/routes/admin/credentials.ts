import { z } from 'zod';
import type { CredentialRecord } from '../../../auth/admin-types.ts';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, attempt, notFound, type AdminContext } from './route.ts';

const secret = z.string().min(1).max(8192).describe('The upstream API key; sealed at once, never returned or logged.');
const CreateCredential = z
  .object({
    provider: z.string().min(1).max(64).describe('Provider id the credential is for (e.g. openai).'),
    name: z.string().min(1).max(64).describe('A label, unique in the tenant.'),
    secret,
  })
  .strict();

/** The credential `{credential}` of the caller's tenant; another tenant's is "not found". */
function credentialOf(context: AdminContext, tenantId: string): CredentialRecord {
  const id = context.route.params.credential ?? '';
  const found = context.admin.store.getCredential(id);
  if (!found || found.tenantId !== tenantId) throw notFound('credential', id);
  return found;
}

/**
 * Provider credentials of a tenant, sealed with the master keyring (AES-256-GCM bound to tenant and
 * id). Responses carry id, provider, name, a keyed fingerprint and timestamps: never the secret.
 */
export const credentialRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/tenants/{tenant}/credentials',
    name: 'admin.credentials.list',
    handle(context) {
      const tenant = context.tenant('credentials:read');
      context.target.description = `credentials of ${tenant.id}`;
      return { status: 200, body: { data: context.admin.store.listCredentials(tenant.id) } };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants/{tenant}/credentials',
    name: 'admin.credentials.create',
    async handle(context) {
      const tenant = context.tenant('credentials:write');
      const body = await context.body(CreateCredential);
      const created = attempt(() => context.admin.store.createCredential({ tenantId: tenant.id, provider: body.provider, name: body.name, secret: body.secret }));
      context.target.description = `credential ${created.id} (${created.provider})`;
      return { status: 201, body: created };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants/{tenant}/credentials/{credential}/rotate',
    name: 'admin.credentials.rotate',
    async handle(context) {
      const tenant = context.tenant('credentials:write');
      const current = credentialOf(context, tenant.id);
      context.target.description = `credential ${current.id} (${current.provider})`;
      const body = await context.body(z.object({ secret }).strict());
      return { status: 200, body: attempt(() => context.admin.store.rotateCredential(current.id, body.secret)) };
    },
  }),
  adminRoute({
    method: 'DELETE',
    path: '/tenants/{tenant}/credentials/{credential}',
    name: 'admin.credentials.delete',
    handle(context) {
      const tenant = context.tenant('credentials:write');
      const current = credentialOf(context, tenant.id);
      context.target.description = `credential ${current.id} (${current.provider})`;
      context.admin.store.deleteCredential(current.id);
      return { status: 200, body: { id: current.id, deleted: true } };
    },
  }),
];
