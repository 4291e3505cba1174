/** Identities: tenants own projects, projects own API keys; a verified key becomes a principal. */

/** What a key may do. A list of names so later slices can add scopes without a migration. */
export const KEY_SCOPES = ['inference', 'scan', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export interface Project {
  id: string;
  tenantId: string;
  name: string;
  createdAt: string;
  /** Model globs every key of the project is limited to (empty: no project-wide limit). */
  models: string[];
  /** Provider ids every key of the project is limited to (empty: no project-wide limit). */
  providers: string[];
  /** Scopes (routes) every key of the project is limited to (empty: no project-wide limit). */
  scopes: string[];
}

/** A stored key: everything except the secret, which is kept only as a SHA-256 hash. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  /** The public 8-character part of `bwk_<prefix>_<secret>`; the lookup index. */
  prefix: string;
  scopes: string[];
  /** Model globs (`*` wildcard) the key may call; empty means every model. */
  models: string[];
  /** Provider ids the key may reach; empty means every provider. */
  providers: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  rotatedAt: string | null;
  /** The key that replaced this one. */
  rotatedTo: string | null;
  /** After a rotation: the old key works until this time. */
  overlapUntil: string | null;
}

/** A key as read for verification: the record plus its hash. */
export interface StoredKey extends ApiKeyRecord {
  hash: string;
}

/** The authenticated caller, handed to the proxy and recorded on events. */
export interface Principal {
  tenant: string;
  project: string;
  keyId: string;
  scopes: readonly string[];
  models: readonly string[];
  providers: readonly string[];
  /** The project's own allow-lists; a model or provider must pass both the key's and the project's. */
  projectModels: readonly string[];
  projectProviders: readonly string[];
  projectScopes: readonly string[];
}

/** Why a presented key was refused; each maps to one error code. */
export type KeyRejection = 'invalid' | 'expired' | 'revoked' | 'rotated';

export type VerifyResult = { ok: true; principal: Principal; key: ApiKeyRecord } | { ok: false; reason: KeyRejection };

/** Limits stored per key, project or tenant; null fields fall back to the config defaults. */
export interface LimitOverride {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  concurrent: number | null;
}

export type LimitScope = 'key' | 'project' | 'tenant';

export type BudgetPeriodName = 'day' | 'week' | 'month' | 'total';

/** A spending budget of a key, project or tenant; one per scope id and period. */
export interface StoredBudget {
  scope: LimitScope;
  scopeId: string;
  period: BudgetPeriodName;
  /** Hard limit in whole currency units. */
  amount: number;
  currency: string;
  /** Fraction of `amount` that raises one alert per period; null: none. */
  soft: number | null;
  updatedAt: string;
}

/** Why a key is suspended (set by abuse detection or an administrator; cleared with `bulwark keys unsuspend`). */
export interface KeySuspension {
  keyId: string;
  reason: string;
  suspendedAt: string;
}

export interface CreateKeyInput {
  tenantId: string;
  projectId: string;
  name?: string;
  scopes?: readonly string[];
  models?: readonly string[];
  providers?: readonly string[];
  expiresAt?: string | null;
}

/** A newly made key: the full secret is returned exactly once, here. */
export interface CreatedKey {
  key: string;
  record: ApiKeyRecord;
}

/** The control store; SQLite now (`sqlite-key-store.ts`), PostgreSQL later behind the same interface. */
export interface KeyStore {
  createTenant(name: string): Tenant;
  listTenants(): Tenant[];
  /** By id or by name. */
  findTenant(idOrName: string): Tenant | null;
  createProject(tenantId: string, name: string): Project;
  listProjects(tenantId?: string): Project[];
  /** By id, or by name within the tenant. */
  findProject(idOrName: string, tenantId?: string): Project | null;
  /** Sets a project's model and provider allow-lists (given fields only). */
  setProjectAllowLists(projectId: string, lists: { models?: string[]; providers?: string[]; scopes?: string[] }): Project;
  createKey(input: CreateKeyInput): CreatedKey;
  listKeys(filter?: { tenantId?: string }): ApiKeyRecord[];
  getKey(id: string): ApiKeyRecord | null;
  revokeKey(id: string): ApiKeyRecord;
  /** Issues a successor with the same grants; the old key stays valid for `overlapMs`. */
  rotateKey(id: string, overlapMs: number): CreatedKey;
  /** Checks a presented key (constant-time hash comparison). */
  verify(presented: string): VerifyResult;
  /** Whether any key was ever created (revoked ones count: the gateway stays locked once keys exist). */
  hasKeys(): boolean;
  setLimitOverride(scope: LimitScope, id: string, override: LimitOverride): void;
  limitOverride(scope: LimitScope, id: string): LimitOverride | null;
  /** Creates or replaces the budget of one scope id for one period. */
  setBudget(budget: Omit<StoredBudget, 'updatedAt'>): StoredBudget;
  /** Removes a budget; false when there was none. */
  deleteBudget(scope: LimitScope, id: string, period: BudgetPeriodName): boolean;
  /** The budgets of one scope id (cached like limit overrides, for `auth.cacheTtlMs`). */
  budgets(scope: LimitScope, id: string): StoredBudget[];
  listBudgets(filter?: { scope?: LimitScope; scopeIds?: readonly string[] }): StoredBudget[];
  /** Suspends a key (idempotent: an existing suspension keeps its first reason and time). */
  suspendKey(keyId: string, reason: string): KeySuspension;
  /** Lifts a suspension; false when the key was not suspended. */
  unsuspendKey(keyId: string): boolean;
  /** The key's suspension, or null (cached for `auth.cacheTtlMs`, so every process honours a suspension within that time). */
  suspension(keyId: string): KeySuspension | null;
  close(): void;
}
