import type pg from 'pg';

/** One schema step for the PostgreSQL store; `version` numbers are dense, ascending and never reused. */
export interface PgMigration {
  version: number;
  name: string;
  /** SQL with `{schema}` standing for the quoted schema name. */
  sql: string;
}

/**
 * The ordered schema history of the PostgreSQL store. Append new migrations; never edit
 * an applied one. Numbers are kept as double precision so any finite JS number round-trips
 * and a stored row hashes exactly as written; JSON stays text for the same reason (jsonb
 * would re-serialise it).
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'create-events-with-audit-chain',
    sql: `
      CREATE TABLE {schema}.events (
        id text PRIMARY KEY,
        request_id text NOT NULL,
        time text NOT NULL,
        time_ms bigint,
        route text NOT NULL,
        model text,
        provider text,
        policy text NOT NULL,
        decision text NOT NULL,
        status double precision NOT NULL,
        input_tokens double precision,
        output_tokens double precision,
        upstream_latency_ms double precision,
        total_latency_ms double precision NOT NULL,
        streamed smallint NOT NULL,
        error text,
        findings text NOT NULL,
        scanners text NOT NULL,
        content text,
        partition text NOT NULL,
        seq bigint NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        -- Breaks ties between equal times in list(): newest append first.
        append_order bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE UNIQUE INDEX events_partition_seq ON {schema}.events (partition, seq);
      CREATE INDEX events_time ON {schema}.events (time_ms, append_order);
      CREATE INDEX events_request_id ON {schema}.events (request_id);
      CREATE INDEX events_decision_time ON {schema}.events (decision, time_ms, append_order);
      CREATE TABLE {schema}.audit_checkpoints (
        partition text NOT NULL,
        seq bigint NOT NULL,
        hash text NOT NULL,
        time text NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        PRIMARY KEY (partition, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'audit-chain-v2-content',
    // As SQLite migration 3: rows chained before stay format 1; new rows are format 2 (content by digest).
    sql: `
      ALTER TABLE {schema}.events ADD COLUMN chain_format smallint NOT NULL DEFAULT 1;
      ALTER TABLE {schema}.events ADD COLUMN project text;
      ALTER TABLE {schema}.events ADD COLUMN key_id text;
      ALTER TABLE {schema}.events ADD COLUMN content_mode text;
      ALTER TABLE {schema}.events ADD COLUMN content_digest text;
      CREATE TABLE {schema}.content_keys (
        partition text NOT NULL,
        period text NOT NULL,
        key_id text NOT NULL UNIQUE,
        wrapped text,
        created_at text NOT NULL,
        destroyed_at text,
        PRIMARY KEY (partition, period)
      );
    `,
  },
];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name quoted for SQL; throws unless it is a plain lowercase identifier. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`storage.postgres.schema: expected lowercase letters, digits and _ (at most 63, not starting with a digit), got ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

/** Where a component's schema history is recorded: its own table, so components version independently. */
export interface MigrationTrack {
  /** Table (in the schema) listing the applied versions. */
  table: string;
  /** What the tables belong to, for errors. */
  label: string;
}

const EVENT_STORE_TRACK: MigrationTrack = { table: 'schema_migrations', label: 'event store' };

/**
 * Creates the schema when missing and applies every pending migration, all in one
 * transaction that holds an advisory lock, so gateways starting together migrate once.
 * Returns the versions applied. A database newer than this build fails.
 */
export async function migratePostgres(pool: pg.Pool, schema: string, migrations: readonly PgMigration[] = PG_MIGRATIONS, track: MigrationTrack = EVENT_STORE_TRACK): Promise<number[]> {
  const q = quoteSchema(schema);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['bulwark-migrate', schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    const history = `${q}.${quoteSchema(track.table)}`;
    await client.query(`CREATE TABLE IF NOT EXISTS ${history} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${history}`);
    const current = rows[0]?.v ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) throw new Error(`${track.label} schema version ${current} is newer than this build supports (${latest}); upgrade the gateway`);
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query(m.sql.replaceAll('{schema}', q));
      await client.query(`INSERT INTO ${history} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
