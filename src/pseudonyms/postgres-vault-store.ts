/**
 * The pseudonym vault in PostgreSQL, shared by every gateway on the database (`storage.kind:
 * postgres`), so a conversation keeps its placeholders whichever instance serves a turn.
 *
 * Same rows and guarantees as the SQLite store (vault-store.ts): values are sealed in this process
 * before they are sent (the database never sees plaintext), the value index and the conversation
 * id are keyed digests under the master keyring, rows are scoped by tenant and conversation and
 * expire. Two instances inserting the same value (or the same placeholder) at once meet the unique
 * constraints; `ON CONFLICT DO NOTHING` keeps the first row, so the vault stays one-to-one.
 * Its schema history is its own (`vault_schema_migrations`), applied at startup under the same
 * advisory lock as the event store's.
 */
import pg from 'pg';
import type { MasterKeyring } from '../crypto/master-key.ts';
import { migratePostgres, quoteSchema, type PgMigration } from '../store/postgres-migrations.ts';
import { openVaultRow, sealVaultEntry, vaultConversationKey, type VaultEntry, type VaultScope, type VaultStore } from './vault-store.ts';

/** The vault's schema history; append, never edit an applied step. */
export const VAULT_PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'create-vault-entries',
    sql: `
      CREATE TABLE {schema}.vault_entries (
        tenant text NOT NULL,
        conversation text NOT NULL,
        placeholder text NOT NULL,
        type text NOT NULL,
        lookup text NOT NULL,
        value text NOT NULL,
        expires_at bigint NOT NULL,
        PRIMARY KEY (tenant, conversation, placeholder),
        UNIQUE (tenant, conversation, lookup)
      );
      CREATE INDEX vault_entries_expiry ON {schema}.vault_entries (expires_at);
      CREATE TABLE {schema}.vault_keyring (
        key_id text PRIMARY KEY,
        last_seen_ms bigint NOT NULL
      );
    `,
  },
];

export const VAULT_MIGRATION_TRACK = { table: 'vault_schema_migrations', label: 'pseudonym vault' } as const;

export interface PostgresVaultOptions {
  /** postgres://...; never logged. */
  connectionString: string;
  /** Schema holding the tables (storage.postgres.schema), created when missing. */
  schema: string;
  keyring: MasterKeyring;
  /** Most connections this process opens for the vault (default 4). */
  poolSize?: number;
  /** Called when an idle connection drops (no request is affected). */
  onIdleError?: (error: Error) => void;
}

export interface PostgresVaultStore extends VaultStore {
  readonly kind: 'postgres';
  load(scope: VaultScope, now?: number): Promise<VaultEntry[]>;
  save(scope: VaultScope, entries: readonly VaultEntry[], expiresAt: number): Promise<void>;
  purgeExpired(now?: number): Promise<number>;
  /**
   * Records this process's sealing key and returns the ids of keys other gateways used since
   * `sinceMs` that this keyring cannot open: those instances cannot share conversations with this one.
   */
  foreignKeys(sinceMs: number, now?: number): Promise<string[]>;
  close(): Promise<void>;
}

/** Connects, applies pending vault migrations and resolves with the store. */
export async function openPostgresVaultStore(options: PostgresVaultOptions): Promise<PostgresVaultStore> {
  const q = quoteSchema(options.schema);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: Math.max(1, options.poolSize ?? 4), allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await migratePostgres(pool, options.schema, VAULT_PG_MIGRATIONS, VAULT_MIGRATION_TRACK);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const { keyring } = options;
  const table = `${q}.vault_entries`;
  const select = `SELECT placeholder, type, value, expires_at FROM ${table} WHERE tenant = $1 AND conversation = $2 AND expires_at > $3`;
  // One round trip, one statement: take the conversation's advisory lock (held to the end of the
  // statement, so two writers of one conversation queue: inserts colliding on the two unique indexes
  // in opposite orders could otherwise deadlock), insert what is new (the first writer of a value or placeholder wins), then extend the
  // conversation's older rows. Both parts read `lock`, so neither touches a row before it is held;
  // the UPDATE does not see the rows inserted beside it, which already carry $4.
  const upsert = `
    WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext('bulwark-vault'), hashtext($1::text || '/' || $2::text)) AS held),
    added AS (
      INSERT INTO ${table} (tenant, conversation, placeholder, type, lookup, value, expires_at)
      SELECT $1, $2, e.placeholder, e.type, e.lookup, e.value, $4
      FROM lock, unnest($3::text[], $5::text[], $6::text[], $7::text[]) AS e(placeholder, type, lookup, value)
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    UPDATE ${table} SET expires_at = $4 FROM lock WHERE tenant = $1 AND conversation = $2 AND expires_at < $4`;
  return {
    kind: 'postgres',
    async load(scope, now = Date.now()) {
      const { rows } = await pool.query<{ placeholder: string; type: string; value: string; expires_at: string }>({ name: `vault-load-${q}`, text: select, values: [scope.tenant, vaultConversationKey(keyring, scope), now] });
      return rows.map((row) => openVaultRow(keyring, scope, row));
    },
    async save(scope, entries, expiresAt) {
      const rows = entries.map((entry) => sealVaultEntry(keyring, scope, entry));
      await pool.query({
        name: `vault-save-${q}`,
        text: upsert,
        values: [scope.tenant, vaultConversationKey(keyring, scope), rows.map((r) => r.placeholder), Math.trunc(expiresAt), rows.map((r) => r.type), rows.map((r) => r.lookup), rows.map((r) => r.value)],
      });
    },
    async purgeExpired(now = Date.now()) {
      const result = await pool.query(`DELETE FROM ${table} WHERE expires_at <= $1`, [now]);
      return result.rowCount ?? 0;
    },
    async foreignKeys(sinceMs, now = Date.now()) {
      await pool.query(`INSERT INTO ${q}.vault_keyring (key_id, last_seen_ms) VALUES ($1, $2) ON CONFLICT (key_id) DO UPDATE SET last_seen_ms = GREATEST(${q}.vault_keyring.last_seen_ms, EXCLUDED.last_seen_ms)`, [keyring.current.id, now]);
      const { rows } = await pool.query<{ key_id: string }>(`SELECT key_id FROM ${q}.vault_keyring WHERE last_seen_ms >= $1 ORDER BY key_id`, [sinceMs]);
      return rows.map((row) => row.key_id).filter((id) => !keyring.byId.has(id));
    },
    close: () => pool.end(),
  };
}
