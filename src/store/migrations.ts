import type { Database } from 'better-sqlite3';

/** One schema step; `version` numbers are dense, ascending and never reused. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The ordered schema history. Append new migrations; never edit an applied one,
 * because databases in the field already recorded it as done.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create-events',
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        time TEXT NOT NULL,
        time_ms INTEGER,
        route TEXT NOT NULL,
        model TEXT,
        provider TEXT,
        policy TEXT NOT NULL,
        decision TEXT NOT NULL,
        status INTEGER NOT NULL,
        input_tokens INTEGER,
        output_tokens INTEGER,
        upstream_latency_ms REAL,
        total_latency_ms REAL NOT NULL,
        streamed INTEGER NOT NULL,
        error TEXT,
        findings TEXT NOT NULL,
        scanners TEXT NOT NULL,
        content TEXT
      );
      -- Only indexes that serve queries: each one slows every insert.
      CREATE INDEX events_time ON events (time_ms);
      CREATE INDEX events_request_id ON events (request_id);
      CREATE INDEX events_decision_time ON events (decision, time_ms);
    `,
  },
  {
    version: 2,
    name: 'audit-chain',
    // Rows written before this migration keep seq NULL: they are not chained (src/audit/README.md).
    sql: `
      ALTER TABLE events ADD COLUMN partition TEXT NOT NULL DEFAULT 'default';
      ALTER TABLE events ADD COLUMN seq INTEGER;
      ALTER TABLE events ADD COLUMN prev_hash TEXT;
      ALTER TABLE events ADD COLUMN hash TEXT;
      -- Serves the writer's head lookup and verification's seq-ordered scan; forbids a forked seq.
      CREATE UNIQUE INDEX events_partition_seq ON events (partition, seq);
      CREATE TABLE audit_checkpoints (
        partition TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        time TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        PRIMARY KEY (partition, seq)
      );
    `,
  },
  {
    version: 3,
    name: 'audit-chain-v2-content',
    // Rows chained before this migration stay format 1 (content hashed by value); new rows are
    // format 2 (content committed by content_digest, so retention can clear it). src/audit/README.md.
    sql: `
      ALTER TABLE events ADD COLUMN chain_format INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE events ADD COLUMN project TEXT;
      ALTER TABLE events ADD COLUMN key_id TEXT;
      ALTER TABLE events ADD COLUMN content_mode TEXT;
      ALTER TABLE events ADD COLUMN content_digest TEXT;
      -- Per-tenant, per-period content data keys, wrapped under the master key; destroyed keys keep
      -- their row (wrapped NULL, destroyed_at set) so a destroyed period is never given a new key.
      CREATE TABLE content_keys (
        partition TEXT NOT NULL,
        period TEXT NOT NULL,
        key_id TEXT NOT NULL UNIQUE,
        wrapped TEXT,
        created_at TEXT NOT NULL,
        destroyed_at TEXT,
        PRIMARY KEY (partition, period)
      );
    `,
  },
];

/** Applies every migration newer than the database's recorded version, in one transaction; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  const run = db.transaction(() => {
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    const current = row.v ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    // A database written by a newer gateway may use columns this build does not know.
    if (current > latest) {
      throw new Error(`event store schema version ${current} is newer than this build supports (${latest}); upgrade the gateway`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      applied.push(m.version);
    }
  });
  // IMMEDIATE takes the write lock up front so two processes opening the same
  // file cannot both decide a migration is missing.
  run.immediate();
  return applied;
}
