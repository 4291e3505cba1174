import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

/** One control-store schema step; versions are dense, ascending and never reused. */
export interface ControlMigration {
  version: number;
  name: string;
  sql: string;
}

/** The control store's schema history (control.db). Append only: never edit an applied step. */
export const CONTROL_MIGRATIONS: readonly ControlMigration[] = [
  {
    version: 1,
    name: 'create-tenants-projects-keys',
    sql: `
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (tenant_id, name)
      );
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        project_id TEXT NOT NULL REFERENCES projects(id),
        name TEXT NOT NULL,
        prefix TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,
        scopes TEXT NOT NULL,
        models TEXT NOT NULL,
        providers TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        rotated_at TEXT,
        rotated_to TEXT,
        overlap_until TEXT
      );
      CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
      CREATE TABLE limit_overrides (
        scope TEXT NOT NULL,
        scope_id TEXT NOT NULL,
        requests_per_minute INTEGER,
        tokens_per_minute INTEGER,
        concurrent INTEGER,
        PRIMARY KEY (scope, scope_id)
      );
    `,
  },
  {
    version: 2,
    name: 'create-budgets-and-key-suspensions',
    sql: `
      CREATE TABLE budgets (
        scope TEXT NOT NULL,
        scope_id TEXT NOT NULL,
        period TEXT NOT NULL,
        amount REAL NOT NULL,
        currency TEXT NOT NULL,
        soft REAL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, scope_id, period)
      );
      CREATE TABLE key_suspensions (
        key_id TEXT PRIMARY KEY REFERENCES api_keys(id),
        reason TEXT NOT NULL,
        suspended_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'create-admin-users-tokens-policies-credentials',
    sql: `
      CREATE TABLE admin_users (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        role TEXT NOT NULL,
        tenant_id TEXT REFERENCES tenants(id),
        created_at TEXT NOT NULL,
        disabled_at TEXT,
        UNIQUE (kind, subject)
      );
      CREATE TABLE admin_tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES admin_users(id),
        prefix TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT
      );
      CREATE TABLE policy_documents (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        project_id TEXT NOT NULL,
        document TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (tenant_id, project_id)
      );
      CREATE TABLE provider_credentials (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        provider TEXT NOT NULL,
        name TEXT NOT NULL,
        sealed TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at TEXT NOT NULL,
        rotated_at TEXT,
        UNIQUE (tenant_id, name)
      );
    `,
  },
  {
    version: 4,
    name: 'project-allow-lists',
    sql: `
      ALTER TABLE projects ADD COLUMN models TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE projects ADD COLUMN providers TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 5,
    name: 'project-scopes',
    sql: `
      ALTER TABLE projects ADD COLUMN scopes TEXT NOT NULL DEFAULT '[]';
    `,
  },
];

/** Applies every step newer than the recorded version in one IMMEDIATE transaction; returns the versions applied. */
export function migrateControl(db: Database, migrations: readonly ControlMigration[] = CONTROL_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS control_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  const run = db.transaction(() => {
    const row = db.prepare('SELECT MAX(version) AS v FROM control_migrations').get() as { v: number | null };
    const current = row.v ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) throw new Error(`control store schema version ${current} is newer than this build supports (${latest}); upgrade the gateway`);
    const record = db.prepare('INSERT INTO control_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const step of migrations) {
      if (step.version <= current) continue;
      db.exec(step.sql);
      record.run(step.version, step.name, new Date().toISOString());
      applied.push(step.version);
    }
  });
  // IMMEDIATE: two gateway processes opening one file cannot both decide a step is missing.
  run.immediate();
  return applied;
}

/**
 * Opens control.db (creating its folder), sets the pragmas every user of it needs and migrates it.
 * Several gateway processes and the CLI share the file: wait for a writer instead of failing at once.
 */
export function openControlDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db: Database = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateControl(db);
  return db;
}
