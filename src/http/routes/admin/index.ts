import type { RouteDefinition } from '../types.ts';
import { credentialRoutes } from './credentials.ts';
import { eventRoutes } from './events.ts';
import { keyRoutes } from './keys.ts';
import { openapiRoutes } from './openapi.ts';
import { policyRoutes } from './policies.ts';
import { tenantRoutes } from './tenants.ts';
import { userRoutes } from './users.ts';

/** Every /admin/v1 route, in the order the OpenAPI document lists them. */
export const adminRoutes: readonly RouteDefinition[] = [...tenantRoutes, ...keyRoutes, ...policyRoutes, ...credentialRoutes, ...userRoutes, ...eventRoutes, ...openapiRoutes];
