/** The admin side of control.db: administrators and their tokens, policy documents, provider credentials. */
import type { Role } from './roles.ts';

/** A person or machine allowed into the admin API: signed in with admin tokens or as an OIDC subject. */
export interface AdminUser {
  id: string;
  /** `token`: authenticates with admin tokens; `oidc`: an OIDC `sub` whose role is assigned here. */
  kind: 'token' | 'oidc';
  /** A label for token users, the OIDC `sub` for oidc users. */
  subject: string;
  role: Role;
  /** Null: platform-wide (owners only). */
  tenantId: string | null;
  createdAt: string;
  disabledAt: string | null;
}

/** An admin token as stored: everything except the secret, kept only as a SHA-256 hash. */
export interface AdminTokenRecord {
  id: string;
  userId: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A newly made admin token: the full secret is returned exactly once, here. */
export interface CreatedAdminToken {
  token: string;
  record: AdminTokenRecord;
  user: AdminUser;
}

export type AdminTokenCheck = { ok: true; user: AdminUser; token: AdminTokenRecord } | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

/** A policy document stored for a tenant (projectId null) or one of its projects. Not yet applied to traffic. */
export interface PolicyDocument {
  tenantId: string;
  projectId: string | null;
  policy: Record<string, unknown>;
  updatedAt: string;
  /** Admin principal id that stored it. */
  updatedBy: string;
}

/** A provider credential as shown to anyone: never the secret, only a keyed fingerprint of it. */
export interface CredentialRecord {
  id: string;
  tenantId: string;
  provider: string;
  name: string;
  /** First 16 characters of an HMAC of the secret under a key derived from the master key: equal secrets, equal fingerprints. */
  fingerprint: string;
  createdAt: string;
  rotatedAt: string | null;
}

export interface AdminStore {
  createUser(input: { kind: AdminUser['kind']; subject: string; role: Role; tenantId: string | null }): AdminUser;
  listUsers(filter?: { tenantId?: string }): AdminUser[];
  getUser(id: string): AdminUser | null;
  findUser(kind: AdminUser['kind'], subject: string): AdminUser | null;
  /** Disables the user and revokes its tokens (rows stay for the audit trail). */
  disableUser(id: string): AdminUser;
  /** Issues a `bwa_…` token for an existing, enabled token user. */
  createToken(userId: string, options?: { expiresAt?: string | null }): CreatedAdminToken;
  listTokens(userId: string): AdminTokenRecord[];
  revokeToken(id: string): AdminTokenRecord;
  /** Checks a presented admin token (constant-time hash comparison; no cache, so a revocation applies at once). */
  verifyToken(presented: string): AdminTokenCheck;
  putPolicy(input: { tenantId: string; projectId: string | null; policy: Record<string, unknown>; updatedBy: string }): PolicyDocument;
  listPolicies(tenantId: string): PolicyDocument[];
  /** Seals `secret` with the master keyring, bound to the tenant and credential id. */
  createCredential(input: { tenantId: string; provider: string; name: string; secret: string }): CredentialRecord;
  rotateCredential(id: string, secret: string): CredentialRecord;
  deleteCredential(id: string): boolean;
  getCredential(id: string): CredentialRecord | null;
  listCredentials(tenantId: string): CredentialRecord[];
  /** The plaintext secret, for the provider layer (a later step); never for API responses. */
  openCredential(id: string): string;
  close(): void;
}
