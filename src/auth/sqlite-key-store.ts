import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { generateKey, globMatch, hashKey, parseKey, sameHash } from './key-format.ts';
import { openControlDatabase } from './migrations.ts';
import { SqliteBudgets } from './sqlite-budgets.ts';
import { KEY_SCOPES, type ApiKeyRecord, type BudgetPeriodName, type CreateKeyInput, type CreatedKey, type KeyStore, type LimitOverride, type KeySuspension, type LimitScope, type Project, type StoredBudget, type StoredKey, type Tenant, type VerifyResult } from './types.ts';

export interface SqliteKeyStoreOptions {
  /** File path of control.db, or ':memory:' for tests. */
  path: string;
  /** How long a cached key (or a cached "no such prefix") is trusted; bounds how late another process's revocation applies. */
  cacheTtlMs?: number;
  /** Injected clock (epoch ms) for tests. */
  now?: () => number;
}

interface KeyRow {
  id: string;
  tenant_id: string;
  project_id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string;
  models: string;
  providers: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_at: string | null;
  rotated_to: string | null;
  overlap_until: string | null;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// Compared against when a prefix is unknown, so a miss costs the same hash-and-compare as a hit.
const dummyHash = hashKey('bwk_00000000_unknown-prefix-placeholder-value');

function newId(kind: string): string {
  return `${kind}_${randomBytes(8).toString('hex')}`;
}

function checkName(value: string, field: string): void {
  if (!namePattern.test(value)) throw new Error(`${field}: expected 1-64 letters, digits, ".", "-" or "_" starting with a letter or digit, got "${value.slice(0, 80)}"`);
}

function toRecord(row: KeyRow): StoredKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    projectId: row.project_id,
    name: row.name,
    prefix: row.prefix,
    hash: row.hash,
    scopes: JSON.parse(row.scopes) as string[],
    models: JSON.parse(row.models) as string[],
    providers: JSON.parse(row.providers) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rotatedAt: row.rotated_at,
    rotatedTo: row.rotated_to,
    overlapUntil: row.overlap_until,
  };
}

function publicRecord(key: StoredKey): ApiKeyRecord {
  const { hash: _hash, ...record } = key;
  return record;
}

/** Opens (creating and migrating) control.db and returns the SQLite key store. */
export function createSqliteKeyStore(options: SqliteKeyStoreOptions): KeyStore {
  const db = openControlDatabase(options.path);
  return new SqliteKeyStore(db, options.cacheTtlMs ?? 5000, options.now ?? Date.now);
}

class SqliteKeyStore implements KeyStore {
  readonly #cache = new Map<string, { key: StoredKey | null; at: number }>();
  #hasKeys: { value: boolean; at: number } | null = null;
  readonly #projectLists = new Map<string, { at: number; lists: { models: string[]; providers: string[]; scopes: string[] } }>();
  readonly #budgets: SqliteBudgets;

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    this.#budgets = new SqliteBudgets(db, ttlMs, now);
  }

  #iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  createTenant(name: string): Tenant {
    checkName(name, 'tenant name');
    if (this.findTenant(name)) throw new Error(`tenant "${name}" already exists`);
    const tenant: Tenant = { id: newId('ten'), name, createdAt: this.#iso() };
    this.db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run(tenant.id, tenant.name, tenant.createdAt);
    return tenant;
  }

  listTenants(): Tenant[] {
    return (this.db.prepare('SELECT id, name, created_at FROM tenants ORDER BY created_at, name').all() as { id: string; name: string; created_at: string }[]).map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }

  findTenant(idOrName: string): Tenant | null {
    const row = this.db.prepare('SELECT id, name, created_at FROM tenants WHERE id = ? OR name = ? LIMIT 1').get(idOrName, idOrName) as { id: string; name: string; created_at: string } | undefined;
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
  }

  createProject(tenantId: string, name: string): Project {
    checkName(name, 'project name');
    if (!this.findTenant(tenantId)) throw new Error(`tenant "${tenantId}" does not exist`);
    if (this.findProject(name, tenantId)) throw new Error(`project "${name}" already exists in tenant ${tenantId}`);
    const project: Project = { id: newId('prj'), tenantId, name, createdAt: this.#iso(), models: [], providers: [], scopes: [] };
    this.db.prepare('INSERT INTO projects (id, tenant_id, name, created_at) VALUES (?, ?, ?, ?)').run(project.id, tenantId, name, project.createdAt);
    return project;
  }

  listProjects(tenantId?: string): Project[] {
    const rows = (tenantId === undefined
      ? this.db.prepare('SELECT id, tenant_id, name, created_at, models, providers, scopes FROM projects ORDER BY created_at, name').all()
      : this.db.prepare('SELECT id, tenant_id, name, created_at, models, providers, scopes FROM projects WHERE tenant_id = ? ORDER BY created_at, name').all(tenantId)) as ProjectRow[];
    return rows.map(projectOfRow);
  }

  findProject(idOrName: string, tenantId?: string): Project | null {
    const row = (tenantId === undefined
      ? this.db.prepare('SELECT id, tenant_id, name, created_at, models, providers, scopes FROM projects WHERE id = ? LIMIT 1').get(idOrName)
      : this.db.prepare('SELECT id, tenant_id, name, created_at, models, providers, scopes FROM projects WHERE tenant_id = ? AND (id = ? OR name = ?) LIMIT 1').get(tenantId, idOrName, idOrName)) as ProjectRow | undefined;
    return row ? projectOfRow(row) : null;
  }

  setProjectAllowLists(projectId: string, lists: { models?: string[]; providers?: string[]; scopes?: string[] }): Project {
    const project = this.findProject(projectId);
    if (!project) throw new Error(`project "${projectId}" does not exist`);
    const models = lists.models ?? project.models;
    const providers = lists.providers ?? project.providers;
    const scopes = lists.scopes ?? project.scopes;
    for (const scope of scopes) if (!(KEY_SCOPES as readonly string[]).includes(scope)) throw new Error(`scopes: expected any of ${KEY_SCOPES.join(', ')}, got "${scope}"`);
    this.db.prepare('UPDATE projects SET models = ?, providers = ?, scopes = ? WHERE id = ?').run(JSON.stringify(models), JSON.stringify(providers), JSON.stringify(scopes), project.id);
    this.#projectLists.delete(project.id);
    return { ...project, models, providers, scopes };
  }

  /** A project's allow-lists, cached like keys (another process's change applies within the TTL). */
  #projectAllowLists(projectId: string): { models: string[]; providers: string[]; scopes: string[] } {
    const now = this.now();
    const cached = this.#projectLists.get(projectId);
    if (cached && now - cached.at < this.ttlMs) return cached.lists;
    const project = this.findProject(projectId);
    const lists = { models: project?.models ?? [], providers: project?.providers ?? [], scopes: project?.scopes ?? [] };
    if (this.#projectLists.size >= 10_000) this.#projectLists.clear();
    this.#projectLists.set(projectId, { at: now, lists });
    return lists;
  }

  createKey(input: CreateKeyInput): CreatedKey {
    const project = this.findProject(input.projectId, input.tenantId);
    if (!project || project.id !== input.projectId) throw new Error(`project "${input.projectId}" does not exist in tenant "${input.tenantId}"`);
    const scopes = [...(input.scopes ?? ['inference', 'scan'])];
    for (const scope of scopes) if (!/^[a-z][a-z0-9:_-]{0,31}$/.test(scope)) throw new Error(`scopes: expected names like ${KEY_SCOPES.join(', ')}, got "${scope}"`);
    const name = input.name ?? 'default';
    if (name.length > 128) throw new Error('name: expected at most 128 characters');
    for (const pattern of input.models ?? []) if (pattern.length === 0 || pattern.length > 256) throw new Error('models: expected non-empty globs of at most 256 characters');
    if (input.expiresAt && Number.isNaN(Date.parse(input.expiresAt))) throw new Error(`expiresAt: expected an ISO time, got "${input.expiresAt}"`);
    const { key, prefix } = generateKey();
    const stored: StoredKey = {
      id: newId('key'),
      tenantId: input.tenantId,
      projectId: input.projectId,
      name,
      prefix,
      hash: hashKey(key),
      scopes,
      models: [...(input.models ?? [])],
      providers: [...(input.providers ?? [])],
      createdAt: this.#iso(),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      rotatedAt: null,
      rotatedTo: null,
      overlapUntil: null,
    };
    this.#insert(stored);
    this.#cache.delete(prefix);
    this.#hasKeys = { value: true, at: this.now() };
    return { key, record: publicRecord(stored) };
  }

  #insert(key: StoredKey): void {
    this.db
      .prepare(`INSERT INTO api_keys (id, tenant_id, project_id, name, prefix, hash, scopes, models, providers, created_at, expires_at, revoked_at, rotated_at, rotated_to, overlap_until)
        VALUES (@id, @tenantId, @projectId, @name, @prefix, @hash, @scopes, @models, @providers, @createdAt, @expiresAt, @revokedAt, @rotatedAt, @rotatedTo, @overlapUntil)`)
      .run({ ...key, scopes: JSON.stringify(key.scopes), models: JSON.stringify(key.models), providers: JSON.stringify(key.providers) });
  }

  listKeys(filter: { tenantId?: string } = {}): ApiKeyRecord[] {
    const rows = (filter.tenantId === undefined
      ? this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all()
      : this.db.prepare('SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id').all(filter.tenantId)) as KeyRow[];
    return rows.map((row) => publicRecord(toRecord(row)));
  }

  getKey(id: string): ApiKeyRecord | null {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return row ? publicRecord(toRecord(row)) : null;
  }

  revokeKey(id: string): ApiKeyRecord {
    const key = this.getKey(id);
    if (!key) throw new Error(`key "${id}" does not exist`);
    if (!key.revokedAt) this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(this.#iso(), id);
    this.#cache.delete(key.prefix);
    return this.getKey(id)!;
  }

  rotateKey(id: string, overlapMs: number): CreatedKey {
    if (!Number.isFinite(overlapMs) || overlapMs < 0) throw new Error(`overlap: expected a duration >= 0, got ${overlapMs}`);
    const rotate = this.db.transaction((): CreatedKey => {
      const old = this.getKey(id);
      if (!old) throw new Error(`key "${id}" does not exist`);
      if (old.revokedAt) throw new Error(`key "${id}" is revoked; create a new key instead`);
      if (old.rotatedTo) throw new Error(`key "${id}" was already rotated to ${old.rotatedTo}; rotate that key instead`);
      const created = this.createKey({ tenantId: old.tenantId, projectId: old.projectId, name: old.name, scopes: old.scopes, models: old.models, providers: old.providers, expiresAt: old.expiresAt });
      const now = this.now();
      this.db.prepare('UPDATE api_keys SET rotated_at = ?, rotated_to = ?, overlap_until = ? WHERE id = ?').run(this.#iso(now), created.record.id, this.#iso(now + overlapMs), id);
      this.#cache.delete(old.prefix);
      return created;
    });
    return rotate.immediate();
  }

  verify(presented: string): VerifyResult {
    const parsed = parseKey(presented);
    if (!parsed) return { ok: false, reason: 'invalid' };
    const key = this.#lookup(parsed.prefix);
    const matches = sameHash(hashKey(presented), key?.hash ?? dummyHash);
    if (!key || !matches) return { ok: false, reason: 'invalid' };
    const now = this.now();
    if (key.revokedAt) return { ok: false, reason: 'revoked' };
    if (key.overlapUntil && now >= Date.parse(key.overlapUntil)) return { ok: false, reason: 'rotated' };
    if (key.expiresAt && now >= Date.parse(key.expiresAt)) return { ok: false, reason: 'expired' };
    const projectLists = this.#projectAllowLists(key.projectId);
    return {
      ok: true,
      key: publicRecord(key),
      principal: { tenant: key.tenantId, project: key.projectId, keyId: key.id, scopes: key.scopes, models: key.models, providers: key.providers, projectModels: projectLists.models, projectProviders: projectLists.providers, projectScopes: projectLists.scopes },
    };
  }

  /** The key with this prefix, from the cache while fresh (misses are cached too, so guessing prefixes stays cheap). */
  #lookup(prefix: string): StoredKey | null {
    const now = this.now();
    const cached = this.#cache.get(prefix);
    if (cached && now - cached.at < this.ttlMs) return cached.key;
    const row = this.db.prepare('SELECT * FROM api_keys WHERE prefix = ?').get(prefix) as KeyRow | undefined;
    const key = row ? toRecord(row) : null;
    // Bounded: misses for random prefixes must not grow the map without limit.
    if (this.#cache.size >= 10_000) this.#cache.clear();
    this.#cache.set(prefix, { key, at: now });
    return key;
  }

  hasKeys(): boolean {
    const now = this.now();
    // Keys are never deleted, so "true" never goes stale; "false" is re-read after the TTL.
    if (this.#hasKeys && (this.#hasKeys.value || now - this.#hasKeys.at < this.ttlMs)) return this.#hasKeys.value;
    const row = this.db.prepare('SELECT EXISTS (SELECT 1 FROM api_keys) AS present').get() as { present: number };
    this.#hasKeys = { value: row.present === 1, at: now };
    return this.#hasKeys.value;
  }

  setLimitOverride(scope: LimitScope, id: string, override: LimitOverride): void {
    this.db
      .prepare(`INSERT INTO limit_overrides (scope, scope_id, requests_per_minute, tokens_per_minute, concurrent) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (scope, scope_id) DO UPDATE SET requests_per_minute = excluded.requests_per_minute, tokens_per_minute = excluded.tokens_per_minute, concurrent = excluded.concurrent`)
      .run(scope, id, override.requestsPerMinute, override.tokensPerMinute, override.concurrent);
    this.#overrides.delete(`${scope}:${id}`);
  }

  readonly #overrides = new Map<string, { value: LimitOverride | null; at: number }>();

  limitOverride(scope: LimitScope, id: string): LimitOverride | null {
    const now = this.now();
    const cacheKey = `${scope}:${id}`;
    const cached = this.#overrides.get(cacheKey);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const row = this.db.prepare('SELECT requests_per_minute, tokens_per_minute, concurrent FROM limit_overrides WHERE scope = ? AND scope_id = ?').get(scope, id) as { requests_per_minute: number | null; tokens_per_minute: number | null; concurrent: number | null } | undefined;
    const value = row ? { requestsPerMinute: row.requests_per_minute, tokensPerMinute: row.tokens_per_minute, concurrent: row.concurrent } : null;
    if (this.#overrides.size >= 10_000) this.#overrides.clear();
    this.#overrides.set(cacheKey, { value, at: now });
    return value;
  }

  setBudget(budget: Omit<StoredBudget, 'updatedAt'>): StoredBudget {
    return this.#budgets.setBudget(budget);
  }

  deleteBudget(scope: LimitScope, id: string, period: BudgetPeriodName): boolean {
    return this.#budgets.deleteBudget(scope, id, period);
  }

  budgets(scope: LimitScope, id: string): StoredBudget[] {
    return this.#budgets.budgets(scope, id);
  }

  listBudgets(filter?: { scope?: LimitScope; scopeIds?: readonly string[] }): StoredBudget[] {
    return this.#budgets.listBudgets(filter);
  }

  suspendKey(keyId: string, reason: string): KeySuspension {
    if (!this.getKey(keyId)) throw new Error(`key "${keyId}" does not exist`);
    return this.#budgets.suspendKey(keyId, reason);
  }

  unsuspendKey(keyId: string): boolean {
    return this.#budgets.unsuspendKey(keyId);
  }

  suspension(keyId: string): KeySuspension | null {
    return this.#budgets.suspension(keyId);
  }

  close(): void {
    this.db.close();
  }
}

interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: string;
  models: string;
  providers: string;
  scopes: string;
}

function projectOfRow(row: ProjectRow): Project {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, createdAt: row.created_at, models: JSON.parse(row.models) as string[], providers: JSON.parse(row.providers) as string[], scopes: JSON.parse(row.scopes) as string[] };
}
