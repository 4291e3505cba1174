import { effectivePolicy } from '../../../policy/precedence.ts';
import { forgetTenantPolicies } from '../../../proxy/policy-views.ts';
import { z } from 'zod';
import { Policy } from '../../../config/schema.ts';
import { BulwarkError } from '../../../errors/bulwark-error.ts';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, notFound } from './route.ts';

const PutPolicy = z
  .object({
    project: z.string().min(1).max(128).nullable().default(null).describe('Project id or name; null or absent: the tenant\'s own policy.'),
    key: z.string().min(1).max(128).nullable().default(null).describe('API key id: a policy for one key, applied after its project\'s (not with `project`).'),
    policy: z.record(z.string(), z.unknown()).describe('A policy document, validated by the Policy schema of the config file.'),
  })
  .strict();

/**
 * Policy documents per tenant and project, validated by the config's `Policy` schema and stored in
 * control.db, and applied to the tenant's traffic by precedence (`src/policy/precedence.ts`: the
 * global policy, tightened by the tenant's, then the project's; see `src/proxy/policy-views.ts`).
 */
export const policyRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/tenants/{tenant}/policies',
    name: 'admin.policies.list',
    handle(context) {
      const tenant = context.tenant('policies:read');
      context.target.description = `policies of ${tenant.id}`;
      return { status: 200, body: { data: context.admin.store.listPolicies(tenant.id), applied: true } };
    },
  }),
  adminRoute({
    method: 'PUT',
    path: '/tenants/{tenant}/policies',
    name: 'admin.policies.put',
    async handle(context) {
      const tenant = context.tenant('policies:write');
      const body = await context.body(PutPolicy);
      let projectId: string | null = null;
      if (body.key !== null) {
        if (body.project !== null) throw new BulwarkError('BULWARK_INVALID_REQUEST', 'key: give either project or key, not both.', { param: 'key' });
        const key = context.keys.getKey(body.key);
        if (!key || key.tenantId !== tenant.id) throw notFound('key', body.key);
        // Stored beside project documents; the key level applies after the project's.
        projectId = `key:${key.id}`;
      } else if (body.project !== null) {
        const project = context.keys.findProject(body.project, tenant.id);
        if (!project) throw notFound('project', body.project);
        projectId = project.id;
        context.target.project = project.id;
      }
      const checked = Policy.safeParse(body.policy);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        const field = ['policy', ...issue.path].join('.');
        throw new BulwarkError('BULWARK_INVALID_REQUEST', `${field}: ${issue.message}`, { param: field });
      }
      context.target.description = `policy of ${projectId ?? tenant.id} (${checked.data.name.slice(0, 64)})`;
      // The document must compile as it will apply: the global policy, then the tenant's, then the project's.
      const gateway = context.route.gateway;
      const tenantDocument = projectId === null ? [] : context.admin.store.listPolicies(tenant.id).filter((doc) => doc.projectId === null).map((doc) => ({ level: 'tenant', document: doc.policy }));
      try {
        gateway.compile({ ...gateway.config, policy: effectivePolicy(gateway.config.policy, [...tenantDocument, { level: projectId ? 'project' : 'tenant', document: body.policy }]) });
      } catch (error) {
        throw new BulwarkError('BULWARK_INVALID_REQUEST', `policy: does not compile with the policies above it: ${error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ') : String(error)}`, { param: 'policy' });
      }
      const stored = context.admin.store.putPolicy({ tenantId: tenant.id, projectId, policy: body.policy, updatedBy: context.principal.id });
      forgetTenantPolicies(gateway, tenant.id);
      return { status: 200, body: { ...stored, applied: true } };
    },
  }),
];
