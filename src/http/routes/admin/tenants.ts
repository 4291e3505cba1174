import { z } from 'zod';
import type { RouteDefinition } from '../types.ts';
import { adminRoute, attempt } from './route.ts';

const name = z.string().min(1).max(64).describe('Tenant or project name.');

/** Tenants (platform level: listing sees only the caller's own tenant unless platform-wide) and their projects. */
export const tenantRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/tenants',
    name: 'admin.tenants.list',
    handle(context) {
      const { principal, keys } = context;
      context.target.description = 'tenant list';
      if (principal.tenant === null) {
        context.require('tenants:read', null);
        return { status: 200, body: { data: keys.listTenants() } };
      }
      context.require('tenants:read', principal.tenant);
      const own = keys.findTenant(principal.tenant);
      return { status: 200, body: { data: own ? [own] : [] } };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants',
    name: 'admin.tenants.create',
    async handle(context) {
      context.require('tenants:write', null);
      const body = await context.body(z.object({ name }).strict());
      const tenant = attempt(() => context.keys.createTenant(body.name));
      Object.assign(context.target, { tenant: tenant.id, description: `tenant ${tenant.id} (${tenant.name})` });
      return { status: 201, body: tenant };
    },
  }),
  adminRoute({
    method: 'GET',
    path: '/tenants/{tenant}',
    name: 'admin.tenants.get',
    handle(context) {
      const tenant = context.tenant('tenants:read');
      context.target.description = `tenant ${tenant.id}`;
      return { status: 200, body: tenant };
    },
  }),
  adminRoute({
    method: 'GET',
    path: '/tenants/{tenant}/projects',
    name: 'admin.projects.list',
    handle(context) {
      const tenant = context.tenant('projects:read');
      context.target.description = `projects of ${tenant.id}`;
      return { status: 200, body: { data: context.keys.listProjects(tenant.id) } };
    },
  }),
  adminRoute({
    method: 'POST',
    path: '/tenants/{tenant}/projects',
    name: 'admin.projects.create',
    async handle(context) {
      const tenant = context.tenant('projects:write');
      const body = await context.body(z.object({ name }).strict());
      const project = attempt(() => context.keys.createProject(tenant.id, body.name));
      Object.assign(context.target, { project: project.id, description: `project ${project.id} (${project.name})` });
      return { status: 201, body: project };
    },
  }),
];
