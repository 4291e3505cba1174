import { z } from 'zod';
import { Policy } from '../../../config/schema.ts';
import { BulwarkError } from '../../../errors/bulwark-error.ts';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, notFound } from './route.ts';

const PutPolicy = z
  .object({
    project: z.string().min(1).max(128).nullable().default(null).describe('Project id or name; null or absent: the tenant\'s own policy.'),
    policy: z.record(z.string(), z.unknown()).describe('A policy document, validated by the Policy schema of the config file.'),
  })
  .strict();

/**
 * Policy documents per tenant and project, validated by the config's `Policy` schema and stored in
 * control.db. They are NOT applied to traffic yet (the gateway still runs the config's `policy`);
 * applying them per tenant/project is a later step.
 */
export const policyRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/tenants/{tenant}/policies',
    name: 'admin.policies.list',
    handle(context) {
      const tenant = context.tenant('policies:read');
      context.target.description = `policies of ${tenant.id}`;
      return { status: 200, body: { data: context.admin.store.listPolicies(tenant.id), applied: false } };
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
      if (body.project !== null) {
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
      const stored = context.admin.store.putPolicy({ tenantId: tenant.id, projectId, policy: body.policy, updatedBy: context.principal.id });
      return { status: 200, body: { ...stored, applied: false } };
    },
  }),
];
