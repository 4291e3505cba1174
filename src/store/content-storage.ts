import { setImmediate as yieldToLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { StoredContentKey } from '../crypto/content-keys.ts';

/**
 * Where content data keys live and how retention reaches stored content (ADR 0008, update
 * 2026-11-26). Keys sit beside the events (table `content_keys`, wrapped under the master key),
 * so gateways sharing a PostgreSQL database share them. Clearing content touches only the
 * `content` column of format-2 rows: the chain commits to `content_digest`, so they still verify.
 */
export interface ContentStorage {
  /** The partition's key for a period, live or destroyed; null when it never had one. */
  getKey(partition: string, period: string): Promise<StoredContentKey | null>;
  findKey(keyId: string): Promise<StoredContentKey | null>;
  /** Stores a new key unless the partition already has one for the period (then returns that one: another gateway won). */
  putKey(key: StoredContentKey): Promise<StoredContentKey>;
  listKeys(partition?: string): Promise<StoredContentKey[]>;
  /** Destroys live keys (wrapped set to NULL, destroyed_at set); returns how many. */
  destroyKeys(keyIds: readonly string[], at: string): Promise<number>;
  /**
   * Content of the partition's events older than `beforeMs`: how many format-2 rows hold content
   * (cleared unless `dryRun`), and how many format-1 rows hold content that cannot be cleared
   * without breaking their hash (chained before format 2; kept and reported).
   */
  clearContent(partition: string, beforeMs: number, dryRun: boolean): Promise<{ cleared: number; legacy: number }>;
  /** Partitions holding events. */
  partitions(): Promise<string[]>;
  close(): Promise<void>;
}

interface KeyRow {
  partition: string;
  period: string;
  key_id: string;
  wrapped: string | null;
  created_at: string;
  destroyed_at: string | null;
}

export const toStoredKey = (row: KeyRow): StoredContentKey => ({ partition: row.partition, period: row.period, keyId: row.key_id, wrapped: row.wrapped, createdAt: row.created_at, destroyedAt: row.destroyed_at });

/** Rows cleared per statement, with a turn of the event loop between statements. */
export const CLEAR_BATCH = 500;

/**
 * The SQLite side: its own connection to the (already migrated) event database. Its writes are
 * rare and short (a key per tenant per period; retention in batches of 500 rows) and wait for
 * the writer thread's lock with a busy timeout. `secure_delete` overwrites cleared content in
 * the file instead of leaving it in free pages.
 */
export function openSqliteContentStorage(path: string): ContentStorage {
  const db = new Database(path, { fileMustExist: true, timeout: 5_000 });
  db.pragma('secure_delete = ON');
  const getKey = db.prepare('SELECT * FROM content_keys WHERE partition = ? AND period = ?');
  const findKey = db.prepare('SELECT * FROM content_keys WHERE key_id = ?');
  const insertKey = db.prepare('INSERT INTO content_keys (partition, period, key_id, wrapped, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (partition, period) DO NOTHING');
  const destroy = db.prepare('UPDATE content_keys SET wrapped = NULL, destroyed_at = ? WHERE key_id = ? AND wrapped IS NOT NULL');
  const countV2 = db.prepare('SELECT COUNT(*) FROM events WHERE partition = ? AND time_ms < ? AND content IS NOT NULL AND chain_format = 2').pluck();
  const countV1 = db.prepare('SELECT COUNT(*) FROM events WHERE partition = ? AND time_ms < ? AND content IS NOT NULL AND chain_format = 1 AND seq IS NOT NULL').pluck();
  const clear = db.prepare(`UPDATE events SET content = NULL WHERE rowid IN (SELECT rowid FROM events WHERE partition = ? AND time_ms < ? AND content IS NOT NULL AND chain_format = 2 LIMIT ${CLEAR_BATCH})`);
  const partitions = db.prepare('SELECT DISTINCT partition FROM events ORDER BY 1').pluck();
  return {
    getKey: async (partition, period) => {
      const row = getKey.get(partition, period) as KeyRow | undefined;
      return row ? toStoredKey(row) : null;
    },
    findKey: async (keyId) => {
      const row = findKey.get(keyId) as KeyRow | undefined;
      return row ? toStoredKey(row) : null;
    },
    putKey: async (key) => {
      insertKey.run(key.partition, key.period, key.keyId, key.wrapped, key.createdAt);
      return toStoredKey(getKey.get(key.partition, key.period) as KeyRow);
    },
    listKeys: async (partition) =>
      ((partition === undefined ? db.prepare('SELECT * FROM content_keys ORDER BY partition, period').all() : db.prepare('SELECT * FROM content_keys WHERE partition = ? ORDER BY period').all(partition)) as KeyRow[]).map(toStoredKey),
    destroyKeys: async (keyIds, at) => db.transaction(() => keyIds.reduce((n, id) => n + destroy.run(at, id).changes, 0)).immediate(),
    clearContent: async (partition, beforeMs, dryRun) => {
      const legacy = countV1.get(partition, beforeMs) as number;
      if (dryRun) return { cleared: countV2.get(partition, beforeMs) as number, legacy };
      let cleared = 0;
      for (;;) {
        const changes = clear.run(partition, beforeMs).changes;
        cleared += changes;
        if (changes < CLEAR_BATCH) break;
        await yieldToLoop();
      }
      return { cleared, legacy };
    },
    partitions: async () => partitions.all() as string[],
    close: async () => {
      db.close();
    },
  };
}
