import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { lookupDigest, open, seal } from '../crypto/envelope.ts';
import type { MasterKeyring } from '../crypto/master-key.ts';
import type { AdminStore, AdminTokenCheck, AdminTokenRecord, AdminUser, CreatedAdminToken, CredentialRecord, PolicyDocument } from './admin-types.ts';
import { generateKey, hashKey, sameHash } from './key-format.ts';
import { openControlDatabase } from './migrations.ts';
import { isRole, type Role } from './roles.ts';

export interface SqliteAdminStoreOptions {
  /** control.db (the same file as the key store), or ':memory:' for tests. */
  path: string;
  /** The master keyring, loaded on first use (creating `master.key` only when a credential is stored). */
  keyring: () => MasterKeyring;
  now?: () => number;
}

const tokenPattern = /^bwa_([A-Za-z0-9]{8})_([A-Za-z0-9]{32,128})$/;
const subjectPattern = /^[\x21-\x7e]{1,256}$/;
const providerPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const dummyHash = hashKey('bwa_00000000_unknown-prefix-placeholder-value');

interface UserRow { id: string; kind: string; subject: string; role: string; tenant_id: string | null; created_at: string; disabled_at: string | null }
interface TokenRow { id: string; user_id: string; prefix: string; hash: string; created_at: string; expires_at: string | null; revoked_at: string | null }
interface CredentialRow { id: string; tenant_id: string; provider: string; name: string; sealed: string; fingerprint: string; created_at: string; rotated_at: string | null }

const newId = (kind: string): string => `${kind}_${randomBytes(8).toString('hex')}`;

function toUser(row: UserRow): AdminUser {
  // A row with an unknown role (written by a newer build) must not grant anything: treat it as disabled.
  const role: Role = isRole(row.role) ? row.role : 'application';
  return { id: row.id, kind: row.kind === 'oidc' ? 'oidc' : 'token', subject: row.subject, role, tenantId: row.tenant_id, createdAt: row.created_at, disabledAt: isRole(row.role) ? row.disabled_at : (row.disabled_at ?? row.created_at) };
}

const toToken = (row: TokenRow): AdminTokenRecord => ({ id: row.id, userId: row.user_id, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at });
const toCredential = (row: CredentialRow): CredentialRecord => ({ id: row.id, tenantId: row.tenant_id, provider: row.provider, name: row.name, fingerprint: row.fingerprint, createdAt: row.created_at, rotatedAt: row.rotated_at });

/** Opens (creating and migrating) control.db and returns the admin store. */
export function createSqliteAdminStore(options: SqliteAdminStoreOptions): AdminStore {
  const db = openControlDatabase(options.path);
  return new SqliteAdminStore(db, options.keyring, options.now ?? Date.now);
}

class SqliteAdminStore implements AdminStore {
  constructor(
    private readonly db: Database,
    private readonly keyring: () => MasterKeyring,
    private readonly now: () => number,
  ) {}

  #iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  createUser(input: { kind: AdminUser['kind']; subject: string; role: Role; tenantId: string | null }): AdminUser {
    if (input.kind !== 'token' && input.kind !== 'oidc') throw new Error(`kind: expected token or oidc, got "${String(input.kind)}"`);
    if (!subjectPattern.test(input.subject)) throw new Error('subject: expected 1-256 printable ASCII characters without spaces');
    if (!isRole(input.role)) throw new Error(`role: expected one of owner, admin, policy-editor, reviewer, auditor, application, got "${String(input.role)}"`);
    if (input.tenantId === null && input.role !== 'owner') throw new Error(`tenant: the ${input.role} role needs a tenant (only owners may be platform-wide)`);
    if (input.tenantId !== null && !this.db.prepare('SELECT 1 FROM tenants WHERE id = ?').get(input.tenantId)) throw new Error(`tenant "${input.tenantId}" does not exist`);
    if (this.findUser(input.kind, input.subject)) throw new Error(`an admin user of kind ${input.kind} with subject "${input.subject}" already exists`);
    const user: AdminUser = { id: newId('adm'), kind: input.kind, subject: input.subject, role: input.role, tenantId: input.tenantId, createdAt: this.#iso(), disabledAt: null };
    this.db.prepare('INSERT INTO admin_users (id, kind, subject, role, tenant_id, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(user.id, user.kind, user.subject, user.role, user.tenantId, user.createdAt);
    return user;
  }

  listUsers(filter: { tenantId?: string } = {}): AdminUser[] {
    const rows = (filter.tenantId === undefined ? this.db.prepare('SELECT * FROM admin_users ORDER BY created_at, id').all() : this.db.prepare('SELECT * FROM admin_users WHERE tenant_id = ? ORDER BY created_at, id').all(filter.tenantId)) as UserRow[];
    return rows.map(toUser);
  }

  getUser(id: string): AdminUser | null {
    const row = this.db.prepare('SELECT * FROM admin_users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  findUser(kind: AdminUser['kind'], subject: string): AdminUser | null {
    const row = this.db.prepare('SELECT * FROM admin_users WHERE kind = ? AND subject = ?').get(kind, subject) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  disableUser(id: string): AdminUser {
    const disable = this.db.transaction(() => {
      const user = this.getUser(id);
      if (!user) throw new Error(`admin user "${id}" does not exist`);
      const now = this.#iso();
      if (!user.disabledAt) this.db.prepare('UPDATE admin_users SET disabled_at = ? WHERE id = ?').run(now, id);
      this.db.prepare('UPDATE admin_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, id);
      return this.getUser(id)!;
    });
    return disable.immediate();
  }

  createToken(userId: string, options: { expiresAt?: string | null } = {}): CreatedAdminToken {
    const user = this.getUser(userId);
    if (!user) throw new Error(`admin user "${userId}" does not exist`);
    if (user.disabledAt) throw new Error(`admin user "${userId}" is disabled`);
    if (user.kind !== 'token') throw new Error(`admin user "${userId}" signs in with OIDC; tokens are for token users`);
    if (options.expiresAt && Number.isNaN(Date.parse(options.expiresAt))) throw new Error(`expiresAt: expected an ISO time, got "${options.expiresAt}"`);
    // Same alphabet, length and entropy as API keys; only the type prefix differs.
    const { key, prefix } = generateKey();
    const token = `bwa_${key.slice(4)}`;
    const record: AdminTokenRecord = { id: newId('atk'), userId, prefix, createdAt: this.#iso(), expiresAt: options.expiresAt ?? null, revokedAt: null };
    this.db.prepare('INSERT INTO admin_tokens (id, user_id, prefix, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(record.id, userId, prefix, hashKey(token), record.createdAt, record.expiresAt);
    return { token, record, user };
  }

  listTokens(userId: string): AdminTokenRecord[] {
    return (this.db.prepare('SELECT * FROM admin_tokens WHERE user_id = ? ORDER BY created_at, id').all(userId) as TokenRow[]).map(toToken);
  }

  revokeToken(id: string): AdminTokenRecord {
    const row = this.db.prepare('SELECT * FROM admin_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    if (!row) throw new Error(`admin token "${id}" does not exist`);
    if (!row.revoked_at) this.db.prepare('UPDATE admin_tokens SET revoked_at = ? WHERE id = ?').run(this.#iso(), id);
    return toToken(this.db.prepare('SELECT * FROM admin_tokens WHERE id = ?').get(id) as TokenRow);
  }

  verifyToken(presented: string): AdminTokenCheck {
    const match = tokenPattern.exec(presented);
    if (!match) return { ok: false, reason: 'invalid' };
    const row = this.db.prepare('SELECT * FROM admin_tokens WHERE prefix = ?').get(match[1]) as TokenRow | undefined;
    const matches = sameHash(hashKey(presented), row?.hash ?? dummyHash);
    if (!row || !matches) return { ok: false, reason: 'invalid' };
    const user = this.getUser(row.user_id);
    if (!user || row.revoked_at || user.disabledAt) return { ok: false, reason: 'revoked' };
    if (row.expires_at && this.now() >= Date.parse(row.expires_at)) return { ok: false, reason: 'expired' };
    return { ok: true, user, token: toToken(row) };
  }

  putPolicy(input: { tenantId: string; projectId: string | null; policy: Record<string, unknown>; updatedBy: string }): PolicyDocument {
    const document: PolicyDocument = { tenantId: input.tenantId, projectId: input.projectId, policy: input.policy, updatedAt: this.#iso(), updatedBy: input.updatedBy };
    this.db
      .prepare(`INSERT INTO policy_documents (tenant_id, project_id, document, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (tenant_id, project_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
      // '' stands for "the tenant itself": a NULL would defeat the primary key's uniqueness.
      .run(input.tenantId, input.projectId ?? '', JSON.stringify(input.policy), document.updatedAt, input.updatedBy);
    return document;
  }

  listPolicies(tenantId: string): PolicyDocument[] {
    const rows = this.db.prepare('SELECT * FROM policy_documents WHERE tenant_id = ? ORDER BY project_id').all(tenantId) as { tenant_id: string; project_id: string; document: string; updated_at: string; updated_by: string }[];
    return rows.map((row) => ({ tenantId: row.tenant_id, projectId: row.project_id === '' ? null : row.project_id, policy: JSON.parse(row.document) as Record<string, unknown>, updatedAt: row.updated_at, updatedBy: row.updated_by }));
  }

  #checkSecret(secret: string): void {
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > 8192) throw new Error('secret: expected a non-empty string of at most 8192 characters');
  }

  #fingerprint(secret: string): string {
    return lookupDigest(this.keyring(), 'provider-credential', secret).slice(0, 16);
  }

  createCredential(input: { tenantId: string; provider: string; name: string; secret: string }): CredentialRecord {
    if (!providerPattern.test(input.provider)) throw new Error('provider: expected a provider id (lowercase letters, digits, - or _)');
    if (!namePattern.test(input.name)) throw new Error('name: expected 1-64 letters, digits, ".", "-" or "_" starting with a letter or digit');
    this.#checkSecret(input.secret);
    if (this.db.prepare('SELECT 1 FROM provider_credentials WHERE tenant_id = ? AND name = ?').get(input.tenantId, input.name)) throw new Error(`a credential named "${input.name}" already exists in this tenant`);
    const id = newId('cred');
    const record: CredentialRecord = { id, tenantId: input.tenantId, provider: input.provider, name: input.name, fingerprint: this.#fingerprint(input.secret), createdAt: this.#iso(), rotatedAt: null };
    const sealed = seal(this.keyring(), input.secret, credentialContext(input.tenantId, id));
    this.db.prepare('INSERT INTO provider_credentials (id, tenant_id, provider, name, sealed, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, input.tenantId, input.provider, input.name, sealed, record.fingerprint, record.createdAt);
    return record;
  }

  rotateCredential(id: string, secret: string): CredentialRecord {
    const current = this.getCredential(id);
    if (!current) throw new Error(`credential "${id}" does not exist`);
    this.#checkSecret(secret);
    const sealed = seal(this.keyring(), secret, credentialContext(current.tenantId, id));
    this.db.prepare('UPDATE provider_credentials SET sealed = ?, fingerprint = ?, rotated_at = ? WHERE id = ?').run(sealed, this.#fingerprint(secret), this.#iso(), id);
    return this.getCredential(id)!;
  }

  deleteCredential(id: string): boolean {
    return this.db.prepare('DELETE FROM provider_credentials WHERE id = ?').run(id).changes > 0;
  }

  getCredential(id: string): CredentialRecord | null {
    const row = this.db.prepare('SELECT * FROM provider_credentials WHERE id = ?').get(id) as CredentialRow | undefined;
    return row ? toCredential(row) : null;
  }

  listCredentials(tenantId: string): CredentialRecord[] {
    return (this.db.prepare('SELECT * FROM provider_credentials WHERE tenant_id = ? ORDER BY created_at, id').all(tenantId) as CredentialRow[]).map(toCredential);
  }

  openCredential(id: string): string {
    const row = this.db.prepare('SELECT * FROM provider_credentials WHERE id = ?').get(id) as CredentialRow | undefined;
    if (!row) throw new Error(`credential "${id}" does not exist`);
    return open(this.keyring(), row.sealed, credentialContext(row.tenant_id, row.id));
  }

  close(): void {
    this.db.close();
  }
}

/** AAD of a sealed credential: a ciphertext copied to another tenant's or credential's row does not open. */
const credentialContext = (tenantId: string, id: string): string => `provider-credential|${tenantId}|${id}`;
