/**
 * Where pseudonym mappings live between turns: one row per (tenant, conversation, placeholder).
 * Values are sealed with AES-256-GCM bound to the tenant, conversation and placeholder; the value
 * index is a keyed digest; conversation ids are stored as digests. Rows expire (TTL) and expired
 * rows are deleted by `purgeExpired` (the pseudonymizer runs it periodically).
 *
 * Two implementations share these derivations and the same unique constraints: SQLite
 * (`<dataDir>/vault.db`, below: synchronous, one node) and PostgreSQL
 * (`postgres-vault-store.ts`: asynchronous, shared by every gateway on the database).
 *
 * SQLite writes are synchronous on the calling thread: a handful of small rows per request, in WAL
 * mode with synchronous=NORMAL (tens of microseconds), so the embedded mode never awaits.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { lookupDigest, open, seal } from '../crypto/envelope.ts';
import type { MasterKeyring } from '../crypto/master-key.ts';

export interface VaultEntry {
  placeholder: string;
  type: string;
  value: string;
  /** When the row expires (ms since epoch); set on loaded entries. */
  expiresAt?: number;
}

export interface VaultScope {
  tenant: string;
  conversation: string;
}

/**
 * A vault backend. Methods may answer synchronously (SQLite) or with a promise (PostgreSQL);
 * callers await only when they get a promise, so the embedded path adds no tick.
 */
export interface VaultStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Entries of one tenant's conversation that have not expired. */
  load(scope: VaultScope, now?: number): VaultEntry[] | Promise<VaultEntry[]>;
  /**
   * Adds entries and extends the conversation's expiry to at least `expiresAt`. A value or a
   * placeholder the conversation already holds is kept as stored (the first writer wins, also when
   * two gateways insert at once): the vault never maps one value to two placeholders or one
   * placeholder to two values.
   */
  save(scope: VaultScope, entries: readonly VaultEntry[], expiresAt: number): void | Promise<void>;
  purgeExpired(now?: number): number | Promise<number>;
  close(): void | Promise<void>;
}

/** The SQLite store's methods answer synchronously. */
export interface SqliteVaultStore extends VaultStore {
  readonly kind: 'sqlite';
  load(scope: VaultScope, now?: number): VaultEntry[];
  save(scope: VaultScope, entries: readonly VaultEntry[], expiresAt: number): void;
  purgeExpired(now?: number): number;
  close(): void;
}

/** The stored conversation id: a keyed digest bound to the tenant. */
export function vaultConversationKey(keyring: MasterKeyring, scope: VaultScope): string {
  return lookupDigest(keyring, 'vault-conversation', `${scope.tenant}\u0000${scope.conversation}`);
}

/** The value index: a keyed digest of tenant, conversation, type and value (never the plaintext). */
export function vaultValueLookup(keyring: MasterKeyring, scope: VaultScope, entry: VaultEntry): string {
  return lookupDigest(keyring, 'vault-value', `${scope.tenant}\u0000${scope.conversation}\u0000${entry.type}\u0000${entry.value}`);
}

/** Associated data of a sealed value: a ciphertext moved to another tenant, conversation or placeholder does not open. */
export function vaultAad(scope: VaultScope, placeholder: string): string {
  return `vault|${scope.tenant}|${scope.conversation}|${placeholder}`;
}

/** Seals an entry for storage: placeholder, type, lookup digest, sealed value. */
export function sealVaultEntry(keyring: MasterKeyring, scope: VaultScope, entry: VaultEntry): { placeholder: string; type: string; lookup: string; value: string } {
  return { placeholder: entry.placeholder, type: entry.type, lookup: vaultValueLookup(keyring, scope, entry), value: seal(keyring, entry.value, vaultAad(scope, entry.placeholder)) };
}

/** Opens a stored row (throws when it was tampered with or moved). */
export function openVaultRow(keyring: MasterKeyring, scope: VaultScope, row: { placeholder: string; type: string; value: string; expires_at: number | string }): VaultEntry {
  return { placeholder: row.placeholder, type: row.type, value: open(keyring, row.value, vaultAad(scope, row.placeholder)), expiresAt: Number(row.expires_at) };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS vault_entries (
  tenant TEXT NOT NULL,
  conversation TEXT NOT NULL,
  placeholder TEXT NOT NULL,
  type TEXT NOT NULL,
  lookup TEXT NOT NULL,
  value TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, conversation, placeholder),
  UNIQUE (tenant, conversation, lookup)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vault_expiry ON vault_entries (expires_at);
`;

export function createSqliteVaultStore(path: string, keyring: MasterKeyring): SqliteVaultStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  db.exec(SCHEMA);
  const selectRows = db.prepare<[string, string, number], { placeholder: string; type: string; value: string; expires_at: number }>('SELECT placeholder, type, value, expires_at FROM vault_entries WHERE tenant = ? AND conversation = ? AND expires_at > ?');
  const insert = db.prepare('INSERT INTO vault_entries (tenant, conversation, placeholder, type, lookup, value, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const extend = db.prepare('UPDATE vault_entries SET expires_at = max(expires_at, ?) WHERE tenant = ? AND conversation = ?');
  const purge = db.prepare('DELETE FROM vault_entries WHERE expires_at <= ?');
  const saveAll = db.transaction((scope: VaultScope, entries: readonly VaultEntry[], expiresAt: number) => {
    const conversation = vaultConversationKey(keyring, scope);
    for (const entry of entries) {
      const row = sealVaultEntry(keyring, scope, entry);
      insert.run(scope.tenant, conversation, row.placeholder, row.type, row.lookup, row.value, expiresAt);
    }
    extend.run(expiresAt, scope.tenant, conversation);
  });
  return {
    kind: 'sqlite',
    load(scope, now = Date.now()) {
      return selectRows.all(scope.tenant, vaultConversationKey(keyring, scope), now).map((row) => openVaultRow(keyring, scope, row));
    },
    save(scope, entries, expiresAt) {
      saveAll(scope, entries, expiresAt);
    },
    purgeExpired(now = Date.now()) {
      return purge.run(now).changes;
    },
    close() {
      db.close();
    },
  };
}
