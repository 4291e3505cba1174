/** Roles of people and machines that administer the gateway, and the one function that decides what they may do. */

export const ROLES = ['owner', 'admin', 'policy-editor', 'reviewer', 'auditor', 'application'] as const;
export type Role = (typeof ROLES)[number];

/** Everything an administrator can be allowed to do; `inference` is the application role's only right. */
export const ACTIONS = [
  'tenants:read',
  'tenants:write',
  'projects:read',
  'projects:write',
  'keys:read',
  'keys:write',
  'policies:read',
  'policies:write',
  'credentials:read',
  'credentials:write',
  'users:read',
  'users:write',
  'events:read',
  /** Read the original text of events stored with content mode `full` (sealed at rest). */
  'events:content',
  'audit:export',
  'review:label',
  'inference',
] as const;
export type Action = (typeof ACTIONS)[number];

const reads: Action[] = ['tenants:read', 'projects:read', 'keys:read', 'policies:read', 'credentials:read', 'users:read', 'events:read'];

/** The permission table: role -> allowed actions. Tenant scope is applied separately by `can`. */
export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  owner: ACTIONS.filter((action) => action !== 'inference'),
  admin: [...reads, 'tenants:write', 'projects:write', 'keys:write', 'policies:write', 'credentials:write', 'users:write', 'audit:export', 'review:label', 'events:content'],
  'policy-editor': ['tenants:read', 'projects:read', 'policies:read', 'policies:write', 'events:read'],
  reviewer: ['tenants:read', 'projects:read', 'policies:read', 'events:read', 'review:label'],
  auditor: [...reads, 'audit:export', 'events:content'],
  application: ['inference'],
};

/** An authenticated administrator: an admin token's user or an OIDC subject. */
export interface AdminPrincipal {
  /** The admin user id (`adm_…`) or, for OIDC subjects without a user row, `oidc:<sub>`. */
  id: string;
  /** A display name: the token user's name or the OIDC `sub`; never a secret. */
  subject: string;
  role: Role;
  /** The tenant id the principal is confined to; null: platform-wide (owner only). */
  tenant: string | null;
  via: 'admin-token' | 'oidc';
  /** The admin token id, when authenticated by one. */
  tokenId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Whether `principal` may do `action` on a resource of `tenant` (null: a platform-level resource,
 * such as the tenant list itself). The role must allow the action, and the principal must be
 * platform-wide or confined to that very tenant. Only an owner can be platform-wide: any other
 * role without a tenant is refused everything (fails closed).
 */
export function can(principal: Pick<AdminPrincipal, 'role' | 'tenant'>, action: Action, tenant: string | null): boolean {
  if (!PERMISSIONS[principal.role].includes(action)) return false;
  if (principal.tenant === null) return principal.role === 'owner';
  return tenant !== null && tenant === principal.tenant;
}

/** Whether `principal` may give `role` (on `tenant`) to someone: it needs `users:write` there and every right of that role itself (and only owners make owners). */
export function canGrant(principal: Pick<AdminPrincipal, 'role' | 'tenant'>, role: Role, tenant: string | null): boolean {
  if (!can(principal, 'users:write', tenant)) return false;
  if (tenant === null && role !== 'owner') return false;
  // Owner is the top of the hierarchy even where its rights equal admin's: only an owner makes owners.
  if (role === 'owner' && principal.role !== 'owner') return false;
  return PERMISSIONS[role].every((action) => action === 'inference' || PERMISSIONS[principal.role].includes(action));
}

/** The most privileged of several roles (an OIDC subject whose claims map to more than one). */
export function strongestRole(roles: readonly Role[]): Role | null {
  for (const role of ROLES) if (roles.includes(role)) return role;
  return null;
}
