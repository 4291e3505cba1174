/**
 * Where pseudonym mappings live between turns: SQLite (`<dataDir>/vault.db`), one row per
 * (tenant, conversation, placeholder). Values are sealed with AES-256-GCM bound to the tenant and
 * conversation; the value index is a keyed digest; conversation ids are stored as digests. Rows
 * expire (TTL) and expired rows are deleted on access and by `purgeExpired`.
 *
 * Writes are synchronous on the calling thread: a handful of small rows per request, in WAL mode
 * with synchronous=NORMAL (tens of microseconds). A cluster needs a shared implementation of
 * `VaultStore` (PostgreSQL or Redis); this one serves a single node.
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
}

export interface VaultScope {
  tenant: string;
  conversation: string;
}

export interface VaultStore {
  /** Entries of one tenant's conversation that have not expired. */
  load(scope: VaultScope, now?: number): VaultEntry[];
  /** Adds entries (existing placeholders are kept) and extends the conversation's expiry. */
  save(scope: VaultScope, entries: readonly VaultEntry[], expiresAt: number): void;
  purgeExpired(now?: number): number;
  close(): void;
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

export function createSqliteVaultStore(path: string, keyring: MasterKeyring): VaultStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  db.exec(SCHEMA);
  const selectRows = db.prepare<[string, string, number], { placeholder: string; type: string; value: string }>('SELECT placeholder, type, value FROM vault_entries WHERE tenant = ? AND conversation = ? AND expires_at > ?');
  const insert = db.prepare('INSERT INTO vault_entries (tenant, conversation, placeholder, type, lookup, value, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const extend = db.prepare('UPDATE vault_entries SET expires_at = ? WHERE tenant = ? AND conversation = ?');
  const purge = db.prepare('DELETE FROM vault_entries WHERE expires_at <= ?');
  const conversationKey = (scope: VaultScope) => lookupDigest(keyring, 'vault-conversation', `${scope.tenant}\u0000${scope.conversation}`);
  const aad = (scope: VaultScope, placeholder: string) => `vault|${scope.tenant}|${scope.conversation}|${placeholder}`;
  const saveAll = db.transaction((scope: VaultScope, entries: readonly VaultEntry[], expiresAt: number) => {
    const conversation = conversationKey(scope);
    for (const entry of entries) {
      const lookup = lookupDigest(keyring, 'vault-value', `${scope.tenant}\u0000${scope.conversation}\u0000${entry.type}\u0000${entry.value}`);
      insert.run(scope.tenant, conversation, entry.placeholder, entry.type, lookup, seal(keyring, entry.value, aad(scope, entry.placeholder)), expiresAt);
    }
    extend.run(expiresAt, scope.tenant, conversation);
  });
  return {
    load(scope, now = Date.now()) {
      return selectRows.all(scope.tenant, conversationKey(scope), now).map((row) => ({ placeholder: row.placeholder, type: row.type, value: open(keyring, row.value, aad(scope, row.placeholder)) }));
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
