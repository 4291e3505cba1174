import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RouteDefinition } from '../types.ts';
import { adminRoute } from './route.ts';

/** docs/openapi/admin.yaml: the contract of every /admin/v1 route (checked against the table by a test). */
export const OPENAPI_PATH = resolve(import.meta.dirname, '..', '..', '..', '..', 'docs', 'openapi', 'admin.yaml');

let cached: string | null = null;

/** The OpenAPI document, to any authenticated administrator (it describes the API, not any tenant's data). */
export const openapiRoutes: RouteDefinition[] = [
  adminRoute({
    method: 'GET',
    path: '/openapi.yaml',
    name: 'admin.openapi.get',
    handle(context) {
      context.target.description = 'openapi document';
      cached ??= readFileSync(OPENAPI_PATH, 'utf8');
      return { status: 200, body: cached, contentType: 'application/yaml' };
    },
  }),
];
