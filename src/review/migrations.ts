import type { Database } from 'better-sqlite3';

/**
 * review.db schema, versioned: each entry runs once, in order, in a transaction, and is recorded
 * in `review_migrations`. Append new versions; never edit an applied one.
 */
const migrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE review_items (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        tenant TEXT NOT NULL,
        policy TEXT NOT NULL,
        decision TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('decision', 'sample')),
        event_json TEXT NOT NULL,
        label TEXT CHECK (label IN ('true-positive', 'false-positive', 'needs-policy-change')),
        comment TEXT,
        reviewer TEXT,
        labelled_at TEXT
      );
      CREATE INDEX review_items_time ON review_items (time_ms);
      CREATE INDEX review_items_label ON review_items (label, time_ms);
      CREATE TABLE review_labels (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id TEXT NOT NULL REFERENCES review_items (id),
        label TEXT NOT NULL,
        comment TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        time TEXT NOT NULL
      );
      CREATE TABLE allow_entries (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('tenant', 'policy')),
        tenant TEXT,
        policy TEXT,
        instance TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        item_id TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        CHECK ((scope = 'tenant' AND tenant IS NOT NULL) OR (scope = 'policy' AND policy IS NOT NULL))
      );
      CREATE UNIQUE INDEX allow_entries_key ON allow_entries (scope, ifnull(tenant, ''), ifnull(policy, ''), instance, rule_id, fingerprint);
    `,
  },
];

export const REVIEW_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/** Applies pending migrations; refuses a database newer than this code. */
export function migrateReviewDb(db: Database): void {
  // IMMEDIATE: gateways sharing a data directory may start together; the second waits (busy_timeout), then sees the first's version.
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS review_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const current = (db.prepare('SELECT max(version) AS v FROM review_migrations').get() as { v: number | null }).v ?? 0;
    if (current > REVIEW_SCHEMA_VERSION) throw new Error(`review.db is at schema version ${current}, newer than this Bulwark (${REVIEW_SCHEMA_VERSION}); upgrade Bulwark`);
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO review_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, new Date().toISOString());
    }
  }).immediate();
}
