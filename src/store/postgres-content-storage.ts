import pg from 'pg';
import { CLEAR_BATCH, toStoredKey } from './content-storage.ts';
import type { ContentStorage } from './content-storage.ts';
import { quoteSchema } from './postgres-migrations.ts';

/**
 * The PostgreSQL side of ContentStorage (content-storage.ts): a small pool of its own on the
 * store's (already migrated) schema. Cleared content stays in dead row versions until VACUUM;
 * destroying the data keys makes `full` content unreadable regardless (ADR 0008, update 2026-11-26).
 */
export function openPostgresContentStorage(connectionString: string, schema: string): ContentStorage {
  const q = quoteSchema(schema);
  const pool = new pg.Pool({ connectionString, max: 2, allowExitOnIdle: true, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  const one = async (sql: string, values: unknown[]) => {
    const { rows } = await pool.query(sql, values);
    return rows[0] ? toStoredKey(rows[0]) : null;
  };
  return {
    getKey: (partition, period) => one(`SELECT * FROM ${q}.content_keys WHERE partition = $1 AND period = $2`, [partition, period]),
    findKey: (keyId) => one(`SELECT * FROM ${q}.content_keys WHERE key_id = $1`, [keyId]),
    async putKey(key) {
      await pool.query(`INSERT INTO ${q}.content_keys (partition, period, key_id, wrapped, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partition, period) DO NOTHING`, [key.partition, key.period, key.keyId, key.wrapped, key.createdAt]);
      return (await one(`SELECT * FROM ${q}.content_keys WHERE partition = $1 AND period = $2`, [key.partition, key.period]))!;
    },
    async listKeys(partition) {
      const { rows } = partition === undefined
        ? await pool.query(`SELECT * FROM ${q}.content_keys ORDER BY partition COLLATE "C", period`)
        : await pool.query(`SELECT * FROM ${q}.content_keys WHERE partition = $1 ORDER BY period`, [partition]);
      return rows.map(toStoredKey);
    },
    async destroyKeys(keyIds, at) {
      if (keyIds.length === 0) return 0;
      const result = await pool.query(`UPDATE ${q}.content_keys SET wrapped = NULL, destroyed_at = $1 WHERE key_id = ANY($2::text[]) AND wrapped IS NOT NULL`, [at, keyIds]);
      return result.rowCount ?? 0;
    },
    async clearContent(partition, beforeMs, dryRun) {
      const count = async (format: number) => {
        const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM ${q}.events WHERE partition = $1 AND time_ms < $2 AND content IS NOT NULL AND chain_format = $3`, [partition, beforeMs, format]);
        return rows[0]?.n ?? 0;
      };
      const legacy = await count(1);
      if (dryRun) return { cleared: await count(2), legacy };
      let cleared = 0;
      for (;;) {
        const result = await pool.query(
          `UPDATE ${q}.events SET content = NULL WHERE id IN (SELECT id FROM ${q}.events WHERE partition = $1 AND time_ms < $2 AND content IS NOT NULL AND chain_format = 2 LIMIT ${CLEAR_BATCH})`,
          [partition, beforeMs],
        );
        cleared += result.rowCount ?? 0;
        if ((result.rowCount ?? 0) < CLEAR_BATCH) break;
      }
      return { cleared, legacy };
    },
    async partitions() {
      const { rows } = await pool.query<{ partition: string }>(`SELECT partition FROM (SELECT DISTINCT partition FROM ${q}.events) p ORDER BY partition COLLATE "C"`);
      return rows.map((r) => r.partition);
    },
    close: () => pool.end(),
  };
}
